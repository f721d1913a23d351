"""Sign-off as offices do it: the approver writes a 签发意见 or returns the
issue with comments; the page shows the whole history and prints a 审批单."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from wenming.audit.selectors import history
from wenming.briefings import services
from wenming.briefings.models import Issue
from wenming.briefings.render.approval import approval_sheet_data
from wenming.briefings.tests.factories import make_series, small_issue
from wenming.core.errors import DomainError


@pytest.fixture
def in_review(people):
    issue = small_issue(people["editor"], make_series(people["editor"]))
    return services.submit_for_review(people["editor"], issue)


def _do(client, issue, action, **data):
    return client.post(reverse("briefings:issue_transition", args=[issue.pk, action]), data,
                       follow=True)


def test_sign_off_needs_an_opinion(client, people, in_review):
    with pytest.raises(DomainError, match="签发意见"):
        services.sign_off_issue(people["approver"], in_review, "  ")
    client.force_login(people["approver"])
    page = _do(client, in_review, "sign_off", opinion="").content.decode()
    assert "“签发意见”不能为空" in page
    in_review.refresh_from_db()
    assert in_review.status == Issue.Status.IN_REVIEW


def test_approver_signs_off_with_an_opinion_shown_in_the_history(client, people, in_review):
    client.force_login(people["approver"])
    page = _do(client, in_review, "sign_off", opinion="同意印发，请抄送各县区。").content.decode()
    in_review.refresh_from_db()
    assert in_review.status == Issue.Status.SIGNED_OFF
    assert in_review.sign_off_opinion == "同意印发，请抄送各县区。"
    assert "办理记录" in page and "签发简报" in page and "提交签发" in page
    assert page.count("同意印发，请抄送各县区。") >= 2  # the opinion and its history row
    assert "issue.sign_off" not in page


def test_return_needs_comments_and_withdraws_nothing_silently(client, people, in_review):
    with pytest.raises(DomainError, match="退回意见"):
        services.return_to_draft(people["approver"], in_review, "")
    client.force_login(people["approver"])
    page = _do(client, in_review, "return", reason="第二篇数据需核实。").content.decode()
    in_review.refresh_from_db()
    assert in_review.status == Issue.Status.DRAFT
    assert in_review.review_comment == "第二篇数据需核实。" and in_review.sign_off_opinion == ""
    steps = [(s.label, s.actor, s.comment) for s in history(in_review)]
    assert steps[-1] == ("退回修改", "赵签发", "第二篇数据需核实。")
    assert "第二篇数据需核实。" in page


def test_approval_sheet_names_people_dates_and_the_opinion(client, people, in_review):
    services.sign_off_issue(people["approver"], in_review, "同意印发。")
    in_review.refresh_from_db()
    data = approval_sheet_data(in_review, history(in_review))
    assert data["fields"][1] == ["期号", f"{in_review.year}年{in_review.number_text}"]
    assert data["items"] == ["全市召开文明城市创建调度会", "川汇区开展志愿服务进社区活动"]
    assert [s[:2] for s in data["steps"]] == [["拟稿", "李编辑"], ["审核", "李编辑"],
                                              ["签发", "赵签发"]]
    assert all(s[2].endswith("日") for s in data["steps"]) and data["opinion"] == "同意印发。"
    client.force_login(people["viewer"])
    response = client.get(reverse("briefings:approval_sheet", args=[in_review.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "签发审批单" in "".join(text.split()) and "赵签发" in "".join(text.split())


def test_user_text_stays_text_on_the_sheet(client, people, in_review):
    services.sign_off_issue(people["approver"], in_review, '#read("/etc/passwd") ]*_ 同意')
    client.force_login(people["approver"])
    response = client.get(reverse("briefings:approval_sheet", args=[in_review.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
