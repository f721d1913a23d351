"""A published list is frozen: it is corrected by a new version that points
to the old one, goes through review and notice again, and on publication
replaces it; the old one stays readable, marked 已被更正."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from wenming.audit.models import AuditEvent
from wenming.core.errors import DomainError
from wenming.credit import services
from wenming.credit.models import CreditList, Listing
from wenming.credit.tests.factories import code, legal_row, make_list, publish, published_list

S = CreditList.Status


@pytest.fixture
def red(people, world):
    return published_list(people, world, [
        legal_row("鑫源食品有限公司", code(1)),
        legal_row("华泰商贸有限公司", code(2), "守合同重信用"),
        legal_row("七一路农贸市场", code(3), "诚信示范市场", kind="市场"),
    ], published_on=date.today() - timedelta(days=30))


def test_a_correction_is_a_new_draft_version_with_the_listings(people, red):
    Listing.objects.filter(entity__code=code(3)).update(status=Listing.Status.REMOVED)
    copy = services.correct_list(people["editor"], red, "华泰商贸有限公司列入事由有误。")
    red.refresh_from_db()
    assert (copy.status, copy.version, copy.supersedes, red.correction) == (
        S.COLLECTING, 2, red, copy)
    assert (copy.year, copy.color, copy.subject, copy.title) == (
        red.year, red.color, red.subject, red.title)
    assert copy.correction_reason == "华泰商贸有限公司列入事由有误。"
    # The listings in force are copied, the removed one is not; the old rows stay as they were.
    assert sorted(copy.listings.values_list("entity__code", flat=True)) == [code(1), code(2)]
    assert red.status == S.PUBLISHED and red.listings.count() == 3
    event = AuditEvent.objects.get(verb="credit_list.correct")
    assert event.object_id == str(copy.pk) and event.after["supersedes"] == red.pk


def test_only_published_lists_are_corrected_once_by_the_office(people, world, red):
    with pytest.raises(PermissionDenied):
        services.correct_list(people["liaison"], red, "更正")
    draft = make_list(people["editor"], year=2024)
    with pytest.raises(DomainError, match="只有已发布的名单需要更正"):
        services.correct_list(people["editor"], draft, "更正")
    with pytest.raises(DomainError, match="请填写更正原因|更正原因"):
        services.correct_list(people["editor"], red, "")
    services.correct_list(people["editor"], red, "更正")
    with pytest.raises(DomainError, match="已有更正版本"):
        services.correct_list(people["editor"], red, "再次更正")


def test_the_published_correction_supersedes_the_old_version(client, people, red):
    copy = services.correct_list(people["editor"], red, "华泰商贸有限公司列入事由有误。")
    Listing.objects.filter(credit_list=copy, entity__code=code(2)).update(basis="tax_a")
    # Until the correction is published, the old version is in force.
    old_url = reverse("credit:public_list", args=[red.pk])
    assert "已被更正" not in client.get(old_url).content.decode()
    assert client.get(reverse("credit:public_list", args=[copy.pk])).status_code == 404
    publish(people, copy)
    red.refresh_from_db()
    copy.refresh_from_db()
    assert red.status == S.SUPERSEDED and red.current_version == copy
    assert copy.number and copy.number != red.number
    page = client.get(old_url).content.decode()
    assert "已被更正" in page and reverse("credit:public_list", args=[copy.pk]) in page
    page = client.get(reverse("credit:public_list", args=[copy.pk])).content.decode()
    assert "本名单为更正版" in page and "华泰商贸有限公司列入事由有误。" in page
    index = client.get(reverse("credit:public_index")).content.decode()
    assert reverse("credit:public_list", args=[copy.pk]) in index and old_url not in index
    # The lookup shows the listing in force once, from the correction.
    lookup = client.get(reverse("credit:lookup"), {"q": "华泰商贸"}).content.decode()
    assert reverse("credit:public_list", args=[copy.pk]) in lookup and old_url not in lookup
    # A superseded list is frozen and is not corrected again.
    with pytest.raises(DomainError):
        services.correct_list(people["editor"], red, "更正")
    assert services.correct_list(people["editor"], copy, "第二次更正").version == 3


def test_staff_start_a_correction_from_the_list_page(client, people, red):
    client.force_login(people["editor"])
    page = client.get(reverse("credit:list_detail", args=[red.pk])).content.decode()
    assert "更正名单" in page
    response = client.post(reverse("credit:list_correct", args=[red.pk]),
                           {"reason": "文书号有误。"})
    copy = CreditList.objects.get(supersedes=red)
    assert response.status_code == 302 and response.url == reverse("credit:list_detail",
                                                                   args=[copy.pk])
    page = client.get(reverse("credit:list_detail", args=[red.pk])).content.decode()
    assert "已被更正" in page and "更正名单" not in page
    page = client.get(reverse("credit:manage")).content.decode()
    assert "<th>序号</th>" in page and "<td>2</td>" in page
