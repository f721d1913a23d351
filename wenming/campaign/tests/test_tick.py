"""`wenming campaign tick`: overdue problems get a numbered supervision
notice and escalate by level; units are reminded before deadlines; a second
run changes and sends nothing."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from wenming.campaign import services
from wenming.campaign.models import Notification, Problem, ProblemEvent, SupervisionNotice
from wenming.campaign.tests.factories import dispatched, make_campaign, make_site, submitted
from wenming.campaign.tick import run_tick


@pytest.fixture
def site(people, world):
    make_campaign(people["admin"])
    return make_site(people["admin"], world)


def _late(problem, **delta):
    Problem.objects.filter(pk=problem.pk).update(deadline=timezone.now() - timedelta(**delta))


def test_overdue_problem_gets_a_supervision_notice(people, site):
    problem = dispatched(people, site)
    _late(problem, hours=2)
    out = StringIO()
    call_command("campaign", "tick", "--no-send", stdout=out)
    assert "新逾期 1 个，下发督办单 1 份" in out.getvalue()
    problem.refresh_from_db()
    assert problem.is_overdue and problem.escalation_level == 1
    notice = SupervisionNotice.objects.get()
    year = timezone.localdate().year
    assert notice.number == f"周创文督〔{year}〕1号" and notice.level == 1
    assert notice.content["unit"] == "川汇区" and notice.content["reason"] == "逾期1天未完成整改"
    actions = list(problem.events.values_list("action", flat=True))
    assert actions[-2:] == ["overdue", "escalate"]
    assert Notification.objects.filter(kind="overdue", unit=site.responsible_unit).count() == 1


def test_second_tick_sends_nothing_twice(people, site):
    _late(dispatched(people, site), hours=2)
    dispatched(people, site, code="1.1.2")
    Problem.objects.filter(criterion__code="1.1.2").update(
        deadline=timezone.now() + timedelta(hours=3))
    first = run_tick(deliver=False)
    assert first["overdue"] == 1 and first["notices"] == 1 and first["reminded"] == 1
    counts = (SupervisionNotice.objects.count(), ProblemEvent.objects.count(),
              Notification.objects.count())
    second = run_tick(deliver=False)
    assert second == {"overdue": 0, "notices": 0, "reminded": 0, "sent": 0, "failed": 0,
                      "sms_sent": 0, "sms_failed": 0}
    assert (SupervisionNotice.objects.count(), ProblemEvent.objects.count(),
            Notification.objects.count()) == counts


def test_escalation_by_level(people, site):
    problem = dispatched(people, site)
    _late(problem, hours=1)
    run_tick(deliver=False)
    _late(problem, days=4)
    run_tick(deliver=False)
    _late(problem, days=8)
    run_tick(deliver=False)
    levels = list(problem.notices.order_by("level").values_list("level", flat=True))
    assert levels == [1, 2, 3]
    problem.refresh_from_db()
    assert problem.escalation_level == 3
    numbers = [n.seq for n in SupervisionNotice.objects.order_by("seq")]
    assert numbers == [1, 2, 3]
    run_tick(deliver=False)
    assert problem.notices.count() == 3


def test_problem_found_late_jumps_straight_to_its_level(people, site):
    problem = dispatched(people, site)
    _late(problem, days=5)
    run_tick(deliver=False)
    assert list(problem.notices.values_list("level", flat=True)) == [2]


def test_submitted_or_closed_problems_are_not_escalated(people, site):
    problem = submitted(people, site)
    _late(problem, days=2)
    assert run_tick(deliver=False)["notices"] == 0


def test_reminder_comes_again_for_a_new_deadline(people, site, world):
    problem = dispatched(people, site)
    Problem.objects.filter(pk=problem.pk).update(deadline=timezone.now() + timedelta(hours=5))
    assert run_tick(deliver=False)["reminded"] == 1
    assert run_tick(deliver=False)["reminded"] == 0
    services.dispute_problem(people["liaison"], problem, reason="属街道管辖")
    services.reassign_problem(people["inspector"], problem, unit=world["street"])
    Problem.objects.filter(pk=problem.pk).update(deadline=timezone.now() + timedelta(hours=6))
    assert run_tick(deliver=False)["reminded"] == 1


def test_office_escalates_by_hand(people, site):
    problem = dispatched(people, site)
    notice = services.issue_supervision_notice(people["inspector"], problem,
                                               reason="群众反映强烈")
    assert notice.level == 1 and notice.issued_by == people["inspector"]
    notice2 = services.issue_supervision_notice(people["inspector"], problem)
    assert notice2.level == 2 and notice2.seq == notice.seq + 1
    problem.refresh_from_db()
    assert problem.escalation_level == 2
