"""What a unit's liaison may see and do: its own dispatched problems only
(others answer 404), never undercover plans before they are done, and never
close its own problems."""

import pytest
from django.urls import reverse

from wenming.campaign import catalog
from wenming.campaign.models import Problem
from wenming.campaign.tests.factories import (
    dispatched,
    make_campaign,
    make_problem,
    make_site,
    submitted,
    upload,
)


@pytest.fixture
def site(people, world):
    make_campaign(people["admin"])
    return make_site(people["admin"], world)


@pytest.fixture
def other_site(people, world, site):
    return make_site(people["admin"], world, name="柳湖农贸市场", district="huaiyang",
                     unit="huaiyang")


def test_liaison_sees_its_units_queue_only(client, people, site, other_site):
    mine = dispatched(people, site, description="东门占道经营")
    theirs = dispatched(people, other_site, description="柳湖市场垃圾未清")
    client.force_login(people["liaison"])
    page = client.get(reverse("campaign:unit_queue")).content.decode()
    assert "东门占道经营" in page and "柳湖市场垃圾未清" not in page
    assert client.get(reverse("campaign:problem_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("campaign:problem_detail", args=[theirs.pk])).status_code == 404
    ledger = client.get(reverse("campaign:problem_list")).content.decode()
    assert "东门占道经营" in ledger and "柳湖市场垃圾未清" not in ledger


def test_problem_of_a_unit_below_is_in_the_districts_queue(client, people, site, world):
    site.responsible_unit = world["street"]
    site.save()
    problem = dispatched(people, site)
    client.force_login(people["liaison"])
    assert client.get(reverse("campaign:problem_detail", args=[problem.pk])).status_code == 200


def test_undispatched_problem_is_not_shown_to_the_unit(client, people, site):
    problem = make_problem(people["inspector"], site)
    client.force_login(people["liaison"])
    assert client.get(reverse("campaign:problem_detail", args=[problem.pk])).status_code == 404


def test_other_liaison_cannot_act_on_the_problem(client, people, site):
    problem = dispatched(people, site)
    client.force_login(people["other_liaison"])
    response = client.post(reverse("campaign:problem_action", args=[problem.pk, "submit"]),
                           {"submit-text": "已整改", "submit-photos": [upload()]})
    assert response.status_code == 404
    assert Problem.objects.get(pk=problem.pk).status == "dispatched"


def test_liaison_submits_through_the_page(client, people, site):
    problem = dispatched(people, site)
    client.force_login(people["liaison"])
    page = client.get(reverse("campaign:problem_detail", args=[problem.pk])).content.decode()
    assert "提交整改" in page and "复查通过" not in page
    response = client.post(reverse("campaign:problem_action", args=[problem.pk, "submit"]),
                           {"submit-text": "已清理占道摊位", "submit-photos": [upload()]})
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == "submitted"
    assert problem.rectifications.get().photos.count() == 1


def test_liaison_cannot_close_its_own_problem(client, people, site):
    problem = submitted(people, site)
    client.force_login(people["liaison"])
    response = client.post(reverse("campaign:problem_action", args=[problem.pk, "verify"]),
                           {"verify-note": "自己销号"})
    assert response.status_code == 403
    assert Problem.objects.get(pk=problem.pk).status == "submitted"


def test_undercover_plan_hidden_from_units_until_done(client, people, site):
    plan = catalog.create_plan(
        people["inspector"], campaign=catalog.active_campaign(), title="春节前暗访", starts_on=_today(),
        ends_on=_today(), inspectors=[people["inspector"]], sites=[site], is_undercover=True)
    open_plan = catalog.create_plan(
        people["inspector"], campaign=catalog.active_campaign(), title="例行督查",
        starts_on=_today(), ends_on=_today(), inspectors=[people["inspector"]], sites=[site])
    client.force_login(people["liaison"])
    listing = client.get(reverse("campaign:plan_list")).content.decode()
    assert "例行督查" in listing and "春节前暗访" not in listing
    assert client.get(reverse("campaign:plan_detail", args=[plan.pk])).status_code == 404
    assert client.get(reverse("campaign:plan_detail", args=[open_plan.pk])).status_code == 200

    catalog.complete_plan(people["inspector"], plan)
    assert "春节前暗访" in client.get(reverse("campaign:plan_list")).content.decode()
    assert client.get(reverse("campaign:plan_detail", args=[plan.pk])).status_code == 200


def test_plan_of_another_units_sites_is_not_listed(client, people, other_site):
    catalog.create_plan(people["inspector"], campaign=catalog.active_campaign(),
                        title="淮阳督查", starts_on=_today(), ends_on=_today(),
                        inspectors=[people["inspector"]], sites=[other_site])
    client.force_login(people["liaison"])
    assert "淮阳督查" not in client.get(reverse("campaign:plan_list")).content.decode()


def _today():
    from django.utils import timezone

    return timezone.localdate()
