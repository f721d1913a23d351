"""Credit restoration (信用修复): eligibility per basis, the listing
department decides, approval removes the listing with its date, history kept."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wenming.accounts import roles
from wenming.accounts.tests.factories import make_user
from wenming.audit.models import AuditEvent
from wenming.core.errors import DomainError
from wenming.credit import services
from wenming.credit.models import Listing, Restoration
from wenming.credit.tests.factories import code, legal_row, published_list

PUBLISHED = date(2023, 12, 29)


@pytest.fixture
def dept_liaison(world):
    return make_user("dora", roles.LIAISON, unit=world["dept"])


@pytest.fixture
def black(people, world):
    return published_list(people, world, [
        legal_row("鑫源食品有限公司", code(1), "市场监管行政处罚", document="周市监罚〔2023〕5号"),
        legal_row("华泰药房有限公司", code(2), "食品药品安全违法"),
        legal_row("隆盛建材有限公司", code(3), "失信被执行人"),
    ], color="black", published_on=PUBLISHED)


def _listing(n):
    return Listing.objects.get(entity__code=code(n))


def test_eligibility_per_basis(black, settings):
    penalty, drugs, court = _listing(1), _listing(2), _listing(3)
    assert services.restoration_refusal(penalty, date(2024, 6, 28)) == \
        "“市场监管行政处罚”需公示满6个月后方可申请信用修复，即2024年6月29日起。"
    assert services.restoration_refusal(penalty, date(2024, 6, 29)) == ""
    assert "需公示满12个月" in services.restoration_refusal(drugs, date(2024, 6, 29))
    assert services.restoration_refusal(drugs, date(2024, 12, 29)) == ""
    assert "不适用信用修复" in services.restoration_refusal(court, date(2030, 1, 1))
    # The months are configurable.
    settings.WENMING_CREDIT_RESTORATION_MONTHS = {"market_penalty": 3}
    assert services.restoration_refusal(penalty, date(2024, 3, 29)) == ""


def test_red_list_entries_are_not_restored(people, world):
    published_list(people, world, [legal_row("鑫源食品有限公司", code(1))])
    assert services.restoration_refusal(_listing(1)) == "只有黑名单的列入记录可以申请信用修复。"


def test_department_decides_and_approval_removes_the_listing(people, black, dept_liaison):
    listing = _listing(1)
    restoration = services.apply_restoration(
        dept_liaison, listing, applicant="鑫源食品有限公司", contact="13900139000",
        reason="已全部履行行政处罚决定并完成整改，承诺今后依法经营。",
        evidence_note="罚没款缴款书、整改报告",
        evidence=SimpleUploadedFile("整改报告.pdf", b"%PDF-1.4 test"),
        applied_on=date(2024, 7, 1))
    assert restoration.number == "XF20240001" and restoration.evidence.name
    with pytest.raises(DomainError) as e:
        services.apply_restoration(dept_liaison, listing, applicant="x", reason="y",
                                   applied_on=date(2024, 7, 2))
    assert "已有待审核的信用修复申请" in e.value.message
    # The office does not decide; the listing department does.
    with pytest.raises(PermissionDenied):
        services.decide_restoration(people["editor"], restoration, approve=True, note="同意")
    services.decide_restoration(dept_liaison, restoration, approve=True,
                                note="材料齐全，准予修复。", today=date(2024, 7, 10))
    listing.refresh_from_db()
    assert listing.status == Listing.Status.REMOVED
    assert listing.removed_on == date(2024, 7, 10)
    assert listing.removal_reason == "信用修复（XF20240001）"
    assert listing.state_label() == "已移出（2024年7月10日）"
    # History: the listing, the application and the trail all stay.
    assert Restoration.objects.get().status == Restoration.Status.APPROVED
    assert set(AuditEvent.objects.filter(object_type="credit.restoration")
               .values_list("verb", flat=True)) == {"restoration.apply", "restoration.decide"}
    with pytest.raises(DomainError):
        services.decide_restoration(dept_liaison, restoration, approve=False, note="再议")


def test_rejection_keeps_the_listing(black, dept_liaison):
    listing = _listing(1)
    restoration = services.apply_restoration(dept_liaison, listing, applicant="鑫源",
                                             reason="申请修复", applied_on=date(2024, 7, 1))
    services.decide_restoration(dept_liaison, restoration, approve=False,
                                note="尚未缴纳罚款。", today=date(2024, 7, 5))
    listing.refresh_from_db()
    assert listing.status == Listing.Status.ACTIVE and listing.is_current(date(2024, 7, 5))
    # A new application may follow.
    services.apply_restoration(dept_liaison, listing, applicant="鑫源", reason="已缴纳",
                               applied_on=date(2024, 8, 1))


def test_too_early_is_refused(black, dept_liaison):
    with pytest.raises(DomainError) as e:
        services.apply_restoration(dept_liaison, _listing(1), applicant="鑫源", reason="申请",
                                   applied_on=date(2024, 1, 15))
    assert "2024年6月29日起" in e.value.message


def test_other_liaisons_cannot_touch_it(client, people, black):
    listing = _listing(1)
    with pytest.raises(PermissionDenied):
        services.apply_restoration(people["liaison"], listing, applicant="x", reason="y",
                                   applied_on=date(2024, 7, 1))
    client.force_login(people["liaison"])
    assert client.get(reverse("credit:listing_detail", args=[listing.pk])).status_code == 404


def test_restoration_through_the_pages(client, people, black, dept_liaison):
    listing = _listing(1)
    client.force_login(dept_liaison)
    page = client.get(reverse("credit:listing_detail", args=[listing.pk])).content.decode()
    assert "登记修复申请" in page
    response = client.post(reverse("credit:listing_action", args=[listing.pk, "restoration"]), {
        "applicant": "鑫源食品有限公司", "contact": "13900139000",
        "reason": "已履行处罚决定。", "evidence_note": "缴款书", "applied_on": "2024-07-01",
        "evidence": SimpleUploadedFile("缴款书.jpg", b"\xff\xd8\xff"),
    }, follow=True)
    assert "信用修复申请已登记" in response.content.decode()
    restoration = Restoration.objects.get()
    assert "XF20240001" in client.get(reverse("credit:restoration_list")).content.decode()
    response = client.post(reverse("credit:restoration_decide", args=[restoration.pk]),
                           {"approve": "1", "note": "准予修复。"}, follow=True)
    assert "已作出审核决定" in response.content.decode()
    listing.refresh_from_db()
    assert listing.status == Listing.Status.REMOVED
    # The published list stays as published, with the removal noted beside the row.
    client.logout()
    page = client.get(reverse("credit:public_list", args=[black.pk])).content.decode()
    assert "鑫源食品有限公司" in page and "已移出（" in page
