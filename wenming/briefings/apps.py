from django.apps import AppConfig


class BriefingsConfig(AppConfig):
    name = "wenming.briefings"
    label = "briefings"
    verbose_name = "简报"

    def ready(self):
        from wenming.briefings import selectors
        from wenming.front.todos import register

        register("briefings", selectors.todos, order=10)
