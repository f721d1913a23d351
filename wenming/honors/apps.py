from django.apps import AppConfig


class HonorsConfig(AppConfig):
    name = "wenming.honors"
    label = "honors"
    verbose_name = "好人榜"
