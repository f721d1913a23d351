from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wenming.core"
    label = "core"
    verbose_name = "公共组件"

    def ready(self):
        from wenming.core import checks  # noqa: F401  (registers the settings checks)
