from django.apps import AppConfig


class HonorsConfig(AppConfig):
    name = "wenming.honors"
    label = "honors"
    verbose_name = "好人榜"

    def ready(self):
        from wenming.briefings.sources import register
        from wenming.front.todos import register as register_todo
        from wenming.honors import drafts, selectors

        register("honors", "好人榜", drafts.period_draft, columns=("典型选树", "工作动态"), order=50)
        register_todo("honors", selectors.todos, order=50)
