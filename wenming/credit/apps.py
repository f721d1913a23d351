from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "wenming.credit"
    label = "credit"
    verbose_name = "诚信红黑榜"

    def ready(self):
        from wenming.briefings.sources import register
        from wenming.credit import drafts, selectors
        from wenming.front.todos import register as register_todo

        register("credit", "红黑榜发布情况", drafts.period_draft,
                 columns=("诚信建设", "工作动态"), order=40)
        register_todo("credit", selectors.todos, order=40)
