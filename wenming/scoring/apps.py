from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "wenming.scoring"
    verbose_name = "考核排名"

    def ready(self):
        from wenming.briefings.sources import register
        from wenming.front.todos import register as register_todo
        from wenming.scoring import drafts, selectors

        register("scoring", "考核通报摘要", drafts.period_draft, for_object=drafts.bulletin_draft,
                 columns=("督查通报", "工作动态"), order=10)
        register_todo("scoring", selectors.todos, order=20)
