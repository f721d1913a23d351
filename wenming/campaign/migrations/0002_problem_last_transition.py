import django.utils.timezone
from django.db import migrations, models
from django.db.models import F, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce

# Actions that change a problem's status, unit or deadline (services.TRANSITIONS
# with a target); reminders, overdue marks and escalations do not.
TRANSITION_ACTIONS = ("create", "dispatch", "submit", "dispute", "reassign", "dismiss", "verify",
                      "reject", "cancel")


def backfill(apps, schema_editor):
    Problem = apps.get_model("campaign", "Problem")
    ProblemEvent = apps.get_model("campaign", "ProblemEvent")
    latest = (ProblemEvent.objects.filter(problem=OuterRef("pk"), action__in=TRANSITION_ACTIONS)
              .order_by().values("problem").annotate(m=Max("at")).values("m"))
    Problem.objects.update(last_transition_at=Coalesce(Subquery(latest), F("found_at")))


class Migration(migrations.Migration):

    dependencies = [
        ("campaign", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="problem",
            name="last_transition_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="problem",
            index=models.Index(fields=["campaign", "last_transition_at"],
                               name="problem_transition"),
        ),
    ]
