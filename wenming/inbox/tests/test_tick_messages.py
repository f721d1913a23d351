"""Deadlines coming up and deadlines passed reach the liaisons' inboxes
from the tick; running the tick twice (or two at once) puts nothing there
twice."""

from datetime import timedelta

from django.utils import timezone

from wenming.campaign.models import Problem
from wenming.campaign.tests.factories import dispatched, make_campaign, make_site
from wenming.campaign.tick import run_tick
from wenming.inbox.models import Message


def _problem(people, world, **deadline):
    make_campaign(people["admin"])
    problem = dispatched(people, make_site(people["admin"], world))
    Problem.objects.filter(pk=problem.pk).update(deadline=timezone.now() + timedelta(**deadline))
    return problem


def _titles(user):
    return list(Message.objects.filter(recipient=user).values_list("title", flat=True))


def test_due_soon_reaches_the_liaison_once(people, world):
    problem = _problem(people, world, hours=5)
    run_tick(deliver=False)
    run_tick(deliver=False)
    assert _titles(people["liaison"]).count(f"问题即将到期：{problem}") == 1


def test_overdue_reaches_the_liaison_once_per_level(people, world):
    problem = _problem(people, world, hours=-1)
    assert run_tick(deliver=False)["overdue"] == 1
    run_tick(deliver=False)
    overdue = [t for t in _titles(people["liaison"]) if t.startswith("问题已逾期")]
    assert overdue == [f"问题已逾期：{problem}"]
    text = Message.objects.get(recipient=people["liaison"], title__startswith="问题已逾期").text
    assert "1级督办单" in text
    # Days later the next level is a new fact, told once more.
    campaign = problem.campaign
    Problem.objects.filter(pk=problem.pk).update(
        deadline=timezone.now() - timedelta(days=campaign.level2_after_days, hours=1))
    run_tick(deliver=False)
    run_tick(deliver=False)
    assert len([t for t in _titles(people["liaison"]) if t.startswith("问题已逾期")]) == 2


def test_a_second_tick_finding_the_same_facts_adds_nothing(people, world):
    # As if the first tick's marks on the problems were lost: the messages'
    # own keys still hold.
    problem = _problem(people, world, hours=5)
    run_tick(deliver=False)
    before = Message.objects.count()
    Problem.objects.filter(pk=problem.pk).update(reminded_for=None)
    assert run_tick(deliver=False)["reminded"] == 1
    assert Message.objects.count() == before
