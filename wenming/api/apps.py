from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "wenming.api"
    label = "api"
    verbose_name = "接口"

    def ready(self):
        from django.db.models.signals import post_save

        from wenming.campaign.models import CitizenReport, ProblemEvent

        post_save.connect(_problem_event_saved, sender=ProblemEvent,
                          dispatch_uid="api.webhook_on_problem_event")
        post_save.connect(_report_saved, sender=CitizenReport,
                          dispatch_uid="api.webhook_on_report_rejected")


def _problem_event_saved(sender, instance, created, **kwargs):
    # Every transition of a problem writes one event; an integrator whose
    # report became the problem is told after the transition commits (a
    # failed post is retried by `wenming webhooks deliver`, never undoes it).
    if not created:
        return
    from django.db import transaction

    from wenming.api.services import enqueue_for_event

    event_id = instance.pk
    transaction.on_commit(lambda: enqueue_for_event(event_id), robust=True)


def _report_saved(sender, instance, created, **kwargs):
    if created or instance.status != instance.Status.REJECTED:
        return
    from django.db import transaction

    from wenming.api.services import enqueue_for_rejection

    report_id = instance.pk
    transaction.on_commit(lambda: enqueue_for_rejection(report_id), robust=True)
