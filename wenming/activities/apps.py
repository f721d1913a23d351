from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "wenming.activities"
    label = "activities"
    verbose_name = "文明单位与专项活动"
