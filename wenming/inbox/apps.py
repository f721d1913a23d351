from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "wenming.inbox"
    label = "inbox"
    verbose_name = "站内消息"
