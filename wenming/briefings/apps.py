from django.apps import AppConfig


class BriefingsConfig(AppConfig):
    name = "wenming.briefings"
    label = "briefings"
    verbose_name = "简报"
