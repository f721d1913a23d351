"""Civilization titles: award, validity, annual review, expiring list."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from wenming.activities import services
from wenming.activities.models import CivilizedUnit
from wenming.audit.models import AuditEvent
from wenming.core.errors import DomainError

Category, Level = CivilizedUnit.Category, CivilizedUnit.Level


def award(editor, unit, **fields):
    spec = {"unit": unit, "category": Category.UNIT, "level": Level.MUNICIPAL,
            "awarded_on": date(2024, 5, 20)}
    spec.update(fields)
    return services.award_title(editor, **spec)


def test_office_awards_a_title_valid_three_years_by_default(client, people, world):
    client.force_login(people["editor"])
    response = client.post(reverse("activities:title_new"), {
        "unit": world["dept"].pk, "category": "unit", "level": "provincial",
        "awarded_on": "2024-05-20", "batch": "第十五届", "document_no": "豫文明〔2024〕8号"})
    title = CivilizedUnit.objects.get()
    assert response.status_code == 302
    assert title.holder_name == "市市场监督管理局" and title.title_name == "省级文明单位"
    assert title.valid_until == date(2027, 5, 20)
    assert AuditEvent.objects.filter(verb="title.award", object_id=str(title.pk)).exists()


def test_family_title_needs_the_family_name(people, world):
    with pytest.raises(DomainError, match="文明家庭请填写"):
        award(people["editor"], world["community"], category=Category.FAMILY)
    title = award(people["editor"], world["community"], category=Category.FAMILY,
                  holder_name="李建华家庭")
    assert str(title) == "李建华家庭（市级文明家庭）"


def test_title_refusals(people, world):
    editor = people["editor"]
    with pytest.raises(DomainError, match="应晚于"):
        award(editor, world["dept"], valid_until=date(2024, 1, 1))
    award(editor, world["dept"])
    with pytest.raises(DomainError, match="已登记，不能重复"):
        award(editor, world["dept"])
    with pytest.raises(PermissionDenied):
        award(people["liaison"], world["chuanhui"])


def test_liaison_cannot_open_the_award_form(client, people):
    client.force_login(people["liaison"])
    assert client.get(reverse("activities:title_new")).status_code == 403


def test_expiring_titles_are_listed_ahead_with_a_configurable_horizon(client, people, world,
                                                                      settings):
    editor, today = people["editor"], date.today()
    soon = award(editor, world["dept"], awarded_on=today - timedelta(days=1000),
                 valid_until=today + timedelta(days=20))
    later = award(editor, world["chuanhui"], awarded_on=today - timedelta(days=900),
                  valid_until=today + timedelta(days=150))
    award(editor, world["huaiyang"], awarded_on=today - timedelta(days=1200),
          valid_until=today - timedelta(days=1))  # already expired: not "expiring"
    client.force_login(editor)
    page = client.get(reverse("activities:title_list"))
    assert [t.pk for t in page.context["expiring"]] == [soon.pk]
    assert "20天" in page.content.decode()
    page = client.get(reverse("activities:title_list") + "?days=180")
    assert [t.pk for t in page.context["expiring"]] == [soon.pk, later.pk]
    settings.WENMING_TITLE_EXPIRY_DAYS = 200
    assert len(client.get(reverse("activities:title_list")).context["expiring"]) == 2


def test_failed_annual_review_revokes_the_title(people, world):
    editor = people["editor"]
    title = award(editor, world["dept"], awarded_on=date(2022, 3, 1))
    services.record_annual_review(editor, title, year=2023, result="passed",
                                  reviewed_on=date(2024, 3, 1))
    with pytest.raises(DomainError, match="2023年度的复查结果已登记"):
        services.record_annual_review(editor, title, year=2023, result="passed")
    with pytest.raises(DomainError, match="有效期内"):
        services.record_annual_review(editor, title, year=2030, result="passed")
    with pytest.raises(DomainError, match="请填写复查意见"):
        services.record_annual_review(editor, title, year=2024, result="failed")
    services.record_annual_review(editor, title, year=2024, result="failed",
                                  note="发生严重违纪问题", reviewed_on=date(2025, 3, 1))
    title.refresh_from_db()
    assert title.revoked_on == date(2025, 3, 1) and title.status() == "revoked"
    assert title.revoke_reason == "2024年度复查不合格"
    with pytest.raises(DomainError, match="已于2025-03-01撤销"):
        services.record_annual_review(editor, title, year=2025, result="passed")
    with pytest.raises(DomainError, match="撤销"):
        services.update_title(editor, title, batch="改")


def test_review_through_the_page(client, people, world):
    title = award(people["editor"], world["dept"], awarded_on=date(2022, 3, 1))
    client.force_login(people["editor"])
    client.post(reverse("activities:title_action", args=[title.pk, "review"]), {
        "r-year": "2023", "r-result": "conditional", "r-reviewed_on": "2024-03-01",
        "r-note": "台账不全"})
    assert title.reviews.get().get_result_display() == "限期整改"
    client.post(reverse("activities:title_action", args=[title.pk, "revoke"]),
                {"x-reason": "单位撤并"})
    title.refresh_from_db()
    assert title.revoke_reason == "单位撤并"


def test_liaison_sees_only_own_units_titles(client, people, world):
    mine = award(people["editor"], world["street"], holder_name="陈州回族街道")
    theirs = award(people["editor"], world["huaiyang"])
    client.force_login(people["liaison"])
    page = client.get(reverse("activities:title_list"))
    assert [t.pk for t in page.context["titles"]] == [mine.pk]
    assert client.get(reverse("activities:title_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("activities:title_detail", args=[theirs.pk])).status_code == 404


def test_titles_export(client, people, world):
    award(people["editor"], world["dept"])
    client.force_login(people["viewer"])
    response = client.get(reverse("activities:titles_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:3] == ["称号获得者", "所属单位", "称号"]
    assert sheet["C2"].value == "市级文明单位" and sheet["E2"].value == "2027年5月20日"


def test_expiring_titles_command(people, world):
    from django.core.management import call_command

    today = date.today()
    award(people["editor"], world["dept"], awarded_on=today - timedelta(days=1000),
          valid_until=today + timedelta(days=10))
    out = io.StringIO()
    call_command("expiring_titles", "--days", "30", stdout=out)
    assert "30天内到期的文明称号共1个" in out.getvalue() and "剩10天  市市场监督管理局" in out.getvalue()
    out = io.StringIO()
    call_command("expiring_titles", "--days", "5", stdout=out)
    assert "5天内没有到期的文明称号" in out.getvalue()
