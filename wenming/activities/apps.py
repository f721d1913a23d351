from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "wenming.activities"
    label = "activities"
    verbose_name = "文明单位与专项活动"

    def ready(self):
        from wenming.activities import drafts
        from wenming.briefings.sources import register

        register("activities", "专项活动综述", drafts.period_draft,
                 for_object=drafts.themed_campaign_draft, columns=("工作动态", "志愿服务"), order=30)
