from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "wenming.surveys"
    label = "surveys"
    verbose_name = "问卷走访"

    def ready(self):
        from wenming.briefings.sources import register
        from wenming.front.todos import register as register_todo
        from wenming.surveys import drafts, selectors

        register("surveys", "测评结果", drafts.period_draft, columns=("工作动态",), order=20)
        register_todo("surveys", selectors.todos, order=35)
