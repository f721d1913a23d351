from django.apps import AppConfig


class HonorsConfig(AppConfig):
    name = "wenming.honors"
    label = "honors"
    verbose_name = "好人榜"

    def ready(self):
        from wenming.briefings.sources import register
        from wenming.honors import drafts

        register("honors", "好人榜", drafts.period_draft, columns=("典型选树", "工作动态"), order=50)
