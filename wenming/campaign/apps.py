from django.apps import AppConfig


class CampaignConfig(AppConfig):
    name = "wenming.campaign"
    label = "campaign"
    verbose_name = "创文创卫"
