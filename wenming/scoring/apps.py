from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "wenming.scoring"
    verbose_name = "考核排名"

    def ready(self):
        from wenming.briefings.sources import register
        from wenming.scoring import drafts

        register("scoring", "考核通报摘要", drafts.period_draft, for_object=drafts.bulletin_draft,
                 columns=("督查通报", "工作动态"), order=10)
