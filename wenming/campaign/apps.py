from django.apps import AppConfig


class CampaignConfig(AppConfig):
    name = "wenming.campaign"
    label = "campaign"
    verbose_name = "创文创卫"

    def ready(self):
        from wenming.briefings.sources import register
        from wenming.campaign import drafts, selectors
        from wenming.front.todos import register as register_todo

        register("campaign", "台账整改情况", drafts.period_draft,
                 columns=("督查通报", "工作动态"), order=60)
        register_todo("campaign", selectors.todos, order=30)
