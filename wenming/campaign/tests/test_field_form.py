"""The inspector's field form on a phone: pick a site, get its checklist,
mark pass or problem with photos; a retried submit never duplicates."""

import re

import pytest
from django.urls import reverse

from wenming.campaign.models import Finding, Inspection, Problem
from wenming.campaign.tests.factories import criterion, jpeg, make_campaign, make_site, upload


@pytest.fixture
def site(people, world):
    make_campaign(people["admin"])
    return make_site(people["admin"], world)


def _client_id(response):
    return re.search(r'name="client_id" value="([0-9a-f-]{36})"', response.content.decode())[1]


def test_checklist_holds_the_field_criteria_of_the_sites_category(client, people, site):
    client.force_login(people["inspector"])
    response = client.get(reverse("campaign:field_form", args=[site.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    # 农贸市场: 1.1.1, 1.1.2 and 2.1.1 are field criteria; 2.2.1 is a document review.
    for code in ("1.1.1", "1.1.2", "2.1.1"):
        assert f"<b>{code}</b>" in page
    assert "<b>1.2.1</b>" not in page and "<b>2.2.1</b>" not in page
    assert 'capture="environment"' in page and 'accept="image/*"' in page


def test_site_search_finds_the_site(client, people, site):
    client.force_login(people["inspector"])
    response = client.get(reverse("campaign:field_sites"), {"q": "五一路"})
    assert reverse("campaign:field_form", args=[site.pk]) in response.content.decode()


def _submit(client, site, client_id, photo=None):
    c1, c2 = criterion("1.1.1"), criterion("1.1.2")
    return client.post(reverse("campaign:field_form", args=[site.pk]), {
        "client_id": client_id,
        f"r{c1.pk}": "problem", f"d{c1.pk}": "东门外占道经营", f"s{c1.pk}": "immediate",
        f"p{c1.pk}": [photo or upload(jpeg(gps=(33.62, 114.65)))],
        f"r{c2.pk}": "pass", f"r{criterion('2.1.1').pk}": "na",
    })


def test_inspection_with_a_problem_and_a_retried_submit(client, people, site):
    client.force_login(people["inspector"])
    client_id = _client_id(client.get(reverse("campaign:field_form", args=[site.pk])))
    response = _submit(client, site, client_id)
    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("campaign:inspection_detail", args=[inspection.pk])
    problem = Problem.objects.get()
    assert problem.description == "东门外占道经营" and problem.severity == "immediate"
    assert problem.inspection == inspection and problem.inspector == people["inspector"]
    assert set(inspection.findings.values_list("result", flat=True)) == {"pass", "problem"}
    assert inspection.findings.count() == 2  # 不涉及 is not recorded
    # The photo's GPS became the problem's location.
    assert (float(problem.lat), float(problem.lng)) == pytest.approx((33.62, 114.65), abs=1e-4)
    assert problem.location_source == "photo"

    # The phone lost the answer and sends the same form again.
    again = _submit(client, site, client_id)
    assert again.status_code == 302 and again["Location"] == response["Location"]
    assert Inspection.objects.count() == 1 and Problem.objects.count() == 1
    assert Finding.objects.count() == 2


def test_problem_without_description_is_refused_naming_the_criterion(client, people, site):
    client.force_login(people["inspector"])
    c1 = criterion("1.1.1")
    response = client.post(reverse("campaign:field_form", args=[site.pk]), {
        "client_id": "0b7c0a57-4d8f-4a43-9d43-5f8f6c1ad001", f"r{c1.pk}": "problem",
        f"d{c1.pk}": "", f"p{c1.pk}": [upload()]})
    assert response.status_code == 400
    assert "1.1.1 问题描述" in response.content.decode()
    assert not Inspection.objects.exists() and not Problem.objects.exists()


def test_unknown_result_is_refused_naming_the_criterion(client, people, site):
    client.force_login(people["inspector"])
    c1, c2 = criterion("1.1.1"), criterion("1.1.2")
    response = client.post(reverse("campaign:field_form", args=[site.pk]), {
        "client_id": "0b7c0a57-4d8f-4a43-9d43-5f8f6c1ad003", f"r{c1.pk}": "fail",
        f"r{c2.pk}": "pass"})
    assert response.status_code == 400
    assert "1.1.1 督查结果“fail”无效" in response.content.decode()
    assert not Inspection.objects.exists() and not Finding.objects.exists()


def test_without_photo_gps_the_sites_coordinates_are_used(client, people, site):
    client.force_login(people["inspector"])
    _submit(client, site, "0b7c0a57-4d8f-4a43-9d43-5f8f6c1ad002", photo=upload(jpeg()))
    problem = Problem.objects.get()
    site.refresh_from_db()
    assert problem.location_source == "site" and problem.lat == site.lat


def test_liaison_cannot_use_the_field_form(client, people, site):
    client.force_login(people["liaison"])
    assert client.get(reverse("campaign:field_form", args=[site.pk])).status_code == 403
    assert client.get(reverse("campaign:field_sites")).status_code == 403
