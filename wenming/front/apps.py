from django.apps import AppConfig


class FrontConfig(AppConfig):
    name = "wenming.front"
    label = "front"
    verbose_name = "首页与运维"
