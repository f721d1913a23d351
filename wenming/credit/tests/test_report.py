"""Credit reports: a numbered PDF of an entity's listings and restorations,
with a verification code the public page checks."""

from datetime import date

import pytest
from django.urls import reverse

from wenming.accounts import roles
from wenming.accounts.tests.factories import make_user
from wenming.core.testing import pdf_text, squash
from wenming.credit import services
from wenming.credit.models import Entity, Listing, Report
from wenming.credit.tests.factories import code, legal_row, published_list


@pytest.fixture
def history(people, world):
    """鑫源: black-listed in 2023 for a penalty, restored in 2024, red-listed in 2024."""
    published_list(people, world, [legal_row("鑫源食品有限公司", code(1), "市场监管行政处罚")],
                   color="black", published_on=date(2023, 12, 29))
    liaison = make_user("dora", roles.LIAISON, unit=world["dept"])
    listing = Listing.objects.get()
    restoration = services.apply_restoration(liaison, listing, applicant="鑫源食品有限公司",
                                             reason="已履行", applied_on=date(2024, 7, 1))
    services.decide_restoration(liaison, restoration, approve=True, note="准予修复",
                                today=date(2024, 7, 10))
    published_list(people, world, [legal_row("鑫源食品有限公司", code(1), "守合同重信用")],
                   year=2024, published_on=date(2024, 12, 30))
    return Entity.objects.get()


def test_office_issues_a_numbered_report(client, people, history):
    client.force_login(people["editor"])
    response = client.post(reverse("credit:report_issue", args=[history.pk]),
                           {"purpose": "评先评优"})
    report = Report.objects.get()
    assert response.status_code == 302 and response.url == reverse("credit:report_pdf",
                                                                    args=[report.pk])
    pdf = client.get(response.url)
    assert pdf["Content-Type"] == "application/pdf"
    text = squash(pdf_text(pdf.content))
    for piece in ["信用报告", report.number, report.verification_code, "鑫源食品有限公司",
                  code(1), "二、现行列入记录", "法人红名单", "守合同重信用",
                  "三、历史列入记录", "法人黑名单", "市场监管行政处罚", "已移出",
                  "四、信用修复记录", "XF20240001", "准予修复", "评先评优", "/credit/verify/"]:
        assert squash(piece) in text, piece
    content = report.content
    assert [(r["seq"], r["list"]) for r in content["current"]] == [(1, "法人红名单（2024年度）")]
    assert [(r["seq"], r["state"]) for r in content["past"]] == [(1, "已移出（2024年7月10日）")]
    assert content["restorations"][0]["result"] == "准予修复"


def test_report_numbers_and_codes_are_distinct(people, history):
    first = services.issue_report(people["editor"], history)
    second = services.issue_report(people["approver"], history)
    assert first.number != second.number and first.number.endswith("0001")
    assert second.number.endswith("0002")
    assert first.verification_code != second.verification_code


def test_public_verification(client, people, history):
    report = services.issue_report(people["editor"], history, purpose="招标投标")
    url = reverse("credit:verify")
    page = client.get(url, {"number": report.number, "code": report.verification_code})
    body = page.content.decode()
    assert "核验通过" in body and "鑫源食品有限公司" in body
    assert "现行列入记录</dt><dd>1 条" in body and "信用修复记录</dt><dd>1 条" in body
    # Typed back from paper: lower case, no dashes.
    typed = report.verification_code.replace("-", "").lower()
    assert "核验通过" in client.get(url, {"number": report.number, "code": typed}).content.decode()
    wrong = client.get(url, {"number": report.number, "code": "AAAA-BBBB-CCCC"}).content.decode()
    assert "核验未通过" in wrong and "鑫源食品有限公司" not in wrong
    assert "核验未通过" in client.get(url, {"number": "XYBG000", "code": "x"}).content.decode()


def test_liaisons_do_not_issue_reports(client, people, history):
    client.force_login(people["liaison"])
    assert client.post(reverse("credit:report_issue", args=[history.pk])).status_code == 403
