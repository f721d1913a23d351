"""The closed loop through the services: found → dispatched → submitted →
verified (closed) or rejected → back to the unit; disputes and reassignment."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from wenming.audit.models import AuditEvent
from wenming.campaign import services
from wenming.campaign.models import Campaign, Problem, ProblemEvent, Rectification
from wenming.campaign.tests.factories import (
    dispatched,
    make_campaign,
    make_problem,
    make_site,
    submitted,
    upload,
)
from wenming.core.errors import DomainError


@pytest.fixture
def site(people, world):
    make_campaign(people["admin"])
    return make_site(people["admin"], world)


def test_problem_goes_round_the_loop_and_is_closed(people, site):
    inspector, liaison = people["inspector"], people["liaison"]
    problem = make_problem(inspector, site, severity="immediate")
    assert problem.status == Problem.Status.FOUND and problem.responsible_unit == site.responsible_unit
    assert problem.area.code == "1" and problem.category == site.category

    problem = services.dispatch_problem(inspector, problem)
    assert problem.status == Problem.Status.DISPATCHED
    assert problem.deadline - problem.dispatched_at == timedelta(hours=24)

    problem = services.submit_rectification(liaison, problem, text="已清理",
                                            photos=[upload()])
    assert problem.status == Problem.Status.SUBMITTED
    problem = services.verify_problem(inspector, problem, note="现场复查已整改")
    assert problem.status == Problem.Status.CLOSED and problem.closed_at
    assert problem.rectifications.get().result == Rectification.Result.VERIFIED

    actions = list(problem.events.values_list("action", flat=True))
    assert actions == ["create", "dispatch", "submit", "verify"]
    assert {p.stage for p in problem.photos.all()} == {"found", "after"}
    verbs = set(AuditEvent.objects.filter(object_type="campaign.problem")
                .values_list("verb", flat=True))
    assert {"problem.create", "problem.dispatch", "problem.submit", "problem.verify"} <= verbs


def test_rejected_rectification_goes_back_to_the_unit(people, site):
    problem = submitted(people, site)
    problem = services.reject_rectification(people["inspector"], problem,
                                            reason="摊位仍在门外")
    assert problem.status == Problem.Status.REJECTED
    assert problem.rectifications.get().review_note == "摊位仍在门外"
    problem = services.submit_rectification(people["liaison"], problem, text="再次清理",
                                             photos=[upload()])
    assert problem.status == Problem.Status.SUBMITTED and problem.rectifications.count() == 2


def test_deadlines_follow_the_campaigns_settings(people, site):
    campaign = Campaign.objects.get()
    campaign.hours_serious = 240
    campaign.save()
    problem = dispatched(people, site, severity="serious")
    assert problem.deadline - problem.dispatched_at == timedelta(hours=240)


def test_liaison_cannot_close_its_own_problem(people, site):
    problem = submitted(people, site)
    with pytest.raises(PermissionDenied):
        services.verify_problem(people["liaison"], problem)
    assert Problem.objects.get(pk=problem.pk).status == Problem.Status.SUBMITTED


def test_other_units_liaison_cannot_rectify(people, site):
    problem = dispatched(people, site)
    with pytest.raises(PermissionDenied):
        services.submit_rectification(people["other_liaison"], problem, text="x",
                                      photos=[upload()])


def test_illegal_transition_is_refused_in_chinese(people, site):
    problem = make_problem(people["inspector"], site)
    with pytest.raises(DomainError, match="当前状态为“待交办”，不能变更为“已销号”"):
        services.verify_problem(people["inspector"], problem)


def test_rectification_needs_after_photos(people, site):
    problem = dispatched(people, site)
    with pytest.raises(DomainError, match="整改后的照片"):
        services.submit_rectification(people["liaison"], problem, text="已整改", photos=[])


def test_dispute_then_reassign_to_the_right_unit(people, site, world):
    problem = dispatched(people, site)
    problem = services.dispute_problem(people["liaison"], problem,
                                       reason="该路段属市城管局管辖")
    assert problem.status == Problem.Status.DISPUTED
    problem = services.reassign_problem(people["inspector"], problem, unit=world["dept"],
                                        note="改派市场监管局")
    assert problem.status == Problem.Status.DISPATCHED and problem.responsible_unit == world["dept"]
    event = problem.events.get(action="reassign")
    assert event.data["from_unit"] == "川汇区" and event.data["unit"] == world["dept"].name


def test_dispute_dismissed_keeps_the_unit_and_deadline(people, site):
    problem = dispatched(people, site)
    deadline = problem.deadline
    services.dispute_problem(people["liaison"], problem, reason="不是我们的")
    problem = services.dismiss_dispute(people["inspector"], problem, note="点位属川汇区")
    assert problem.status == Problem.Status.DISPATCHED and problem.deadline == deadline


def test_repeat_within_thirty_days_is_flagged(people, site):
    first = make_problem(people["inspector"], site)
    again = make_problem(people["inspector"], site)
    other = make_problem(people["inspector"], site, code="1.1.2")
    assert again.is_repeat and again.repeat_of == first
    assert not first.is_repeat and not other.is_repeat


def test_old_finding_is_not_a_repeat(people, site):
    from django.utils import timezone

    make_problem(people["inspector"], site, found_at=timezone.now() - timedelta(days=31))
    assert not make_problem(people["inspector"], site).is_repeat


def test_same_client_id_never_makes_two_problems(people, site):
    import uuid

    from wenming.campaign.tests.factories import criterion

    cid = uuid.uuid4()
    kwargs = dict(site=site, criterion=criterion("1.1.1"), description="占道经营",
                  photos=[upload()], client_id=cid)
    a = services.create_problem(people["inspector"], **kwargs)
    b = services.create_problem(people["inspector"], **kwargs)
    assert a.pk == b.pk and Problem.objects.count() == 1
    assert ProblemEvent.objects.filter(action="create").count() == 1


def test_cancel_needs_a_reason(people, site):
    problem = make_problem(people["inspector"], site)
    with pytest.raises(DomainError, match="撤销理由"):
        services.cancel_problem(people["inspector"], problem, reason="")
    problem = services.cancel_problem(people["inspector"], problem, reason="重复录入")
    assert problem.status == Problem.Status.CANCELLED


def test_allowed_actions_follow_the_state_table(people, site):
    problem = dispatched(people, site)
    assert services.allowed_actions(people["liaison"], problem) == {"submit", "dispute"}
    assert "submit" not in services.allowed_actions(people["inspector"], problem)
    assert services.allowed_actions(people["other_liaison"], problem) == set()
    assert services.allowed_actions(people["viewer"], problem) == set()


def test_admin_changes_deadlines_through_the_settings_page(client, people, site):
    from django.urls import reverse

    client.force_login(people["admin"])
    response = client.post(reverse("campaign:campaign_settings"), {
        "hours_immediate": 12, "hours_normal": 48, "hours_serious": 120,
        "remind_before_hours": 12, "level2_after_days": 2, "level3_after_days": 5,
        "issuer": "周口市创文办", "notice_prefix": "周创督"})
    assert response.status_code == 302
    problem = dispatched(people, site, severity="immediate")
    assert problem.deadline - problem.dispatched_at == timedelta(hours=12)
    bad = client.post(reverse("campaign:campaign_settings"), {
        "hours_immediate": 12, "hours_normal": 48, "hours_serious": 120,
        "remind_before_hours": 12, "level2_after_days": 5, "level3_after_days": 5,
        "issuer": "周口市创文办", "notice_prefix": "周创督"})
    assert "三级督办的天数应大于" in bad.content.decode()
    client.force_login(people["inspector"])
    assert client.get(reverse("campaign:campaign_settings")).status_code == 403
