"""From a unit's submission to the published, frozen issue."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from wenming.audit.models import AuditEvent
from wenming.briefings import services
from wenming.briefings.models import Issue, Submission
from wenming.briefings.tests.factories import make_series, publish, small_issue
from wenming.core.errors import DomainError


@pytest.fixture
def series(people):
    return make_series(people["editor"])


def test_submission_adopted_composed_signed_off_and_published(client, people, series):
    liaison, editor, approver = people["liaison"], people["editor"], people["approver"]
    client.force_login(liaison)
    response = client.post(reverse("briefings:submission_list"), {
        "series": series.pk, "title": "川汇区开展文明交通劝导",
        "body": "近日，川汇区组织志愿者上路劝导。\n劝导活动持续一周。", "author": "陈联络"})
    submission = Submission.objects.get()
    assert response.status_code == 302 and submission.unit == people["liaison"].unit

    issue = small_issue(editor, series)
    column = issue.columns.get(name="工作动态")
    client.force_login(editor)
    client.post(reverse("briefings:submission_detail", args=[submission.pk]),
                {"action": "adopt", "column": column.pk})
    submission.refresh_from_db()
    assert submission.status == Submission.Status.ADOPTED
    article = submission.article
    assert article.issue == issue and article.source_unit == people["liaison"].unit

    # The editor moves the adopted article to the top of its column.
    client.post(reverse("briefings:article_action", args=[article.pk, "up"]))
    assert list(column.articles.order_by("order").values_list("title", flat=True))[0] == \
        "川汇区开展文明交通劝导"

    client.post(reverse("briefings:issue_transition", args=[issue.pk, "submit"]))
    client.force_login(approver)
    client.post(reverse("briefings:issue_transition", args=[issue.pk, "sign_off"]),
                {"opinion": "同意印发。"})
    client.post(reverse("briefings:issue_transition", args=[issue.pk, "publish"]))
    issue.refresh_from_db()
    assert issue.status == Issue.Status.PUBLISHED and issue.signed_off_by == approver
    assert issue.pdf.name.endswith(".pdf") and issue.docx.name.endswith(".docx")
    verbs = list(AuditEvent.objects.filter(object_type="briefings.issue", object_id=str(issue.pk))
                 .values_list("verb", flat=True))
    for verb in ["issue.create", "issue.submit_for_review", "issue.sign_off", "issue.publish"]:
        assert verb in verbs


def test_empty_issue_cannot_be_signed_off_and_the_message_lists_what_is_missing(people, series):
    issue = services.create_issue(people["editor"], series, date=date(2024, 5, 1),
                                  columns=["工作动态", "文明时讯"])
    services.submit_for_review(people["editor"], issue)
    with pytest.raises(DomainError) as e:
        services.sign_off_issue(people["approver"], issue, "同意印发。")
    assert "栏目“工作动态”没有稿件" in e.value.message and "栏目“文明时讯”没有稿件" in e.value.message
    issue.refresh_from_db()
    assert issue.status == Issue.Status.IN_REVIEW


def test_duplicate_number_in_series_and_year_is_refused(people, series):
    small_issue(people["editor"], series, number=3)
    with pytest.raises(DomainError, match="2024年第3期已存在"):
        services.create_issue(people["editor"], series, date=date(2024, 9, 1), number=3)
    # The same number in another year, or as a supplement, is fine.
    services.create_issue(people["editor"], series, date=date(2025, 1, 5), number=3)
    services.create_issue(people["editor"], series, date=date(2024, 9, 1), number=3,
                          is_supplement=True)
    assert Issue.objects.count() == 3


def test_numbers_restart_each_year_and_serials_do_not(people, series):
    first = services.create_issue(people["editor"], series, date=date(2024, 12, 1), serial=41)
    second = services.create_issue(people["editor"], series, date=date(2025, 1, 8))
    supplement = services.create_issue(people["editor"], series, date=date(2025, 1, 9),
                                       is_supplement=True)
    assert (first.number, second.number, second.serial) == (1, 1, 42)
    assert supplement.number == 1 and supplement.number_text == "增刊第1期"
    assert second.number_text == "第1期（总第42期）"


def test_published_issue_is_frozen_and_points_to_correction(client, people, series):
    issue = publish(people["editor"], people["approver"], small_issue(people["editor"], series))
    article = issue.articles.first()
    with pytest.raises(DomainError, match="更正"):
        services.update_article(people["editor"], article, title="改过的标题")
    client.force_login(people["editor"])
    response = client.post(reverse("briefings:article_edit", args=[article.pk]), {
        "art-column": article.column_id, "art-title": "改过的标题", "art-body": "x"},
        follow=True)
    assert "请使用“更正”" in response.content.decode()
    article.refresh_from_db()
    assert article.title == "全市召开文明城市创建调度会"


def test_correction_is_a_new_version_and_both_stay_viewable(client, people, series):
    editor, approver = people["editor"], people["approver"]
    original = publish(editor, approver, small_issue(editor, series))
    correction = services.create_correction(editor, original, "更正第一篇稿件标题中的时间。")
    assert correction.correction_of == original and correction.version == 2
    services.update_article(editor, correction.articles.get(column__name="工作动态"),
                            title="全市召开文明城市创建工作调度会")
    publish(editor, approver, correction)

    for issue, title in [(original, "全市召开文明城市创建调度会"),
                         (correction, "全市召开文明城市创建工作调度会")]:
        page = client.get(reverse("briefings:web_edition", args=[issue.pk])).content.decode()
        assert title in page and "更正版2" in page
    assert "更正第一篇稿件标题中的时间" in client.get(
        reverse("briefings:web_edition", args=[correction.pk])).content.decode()


def test_article_over_50000_characters_is_refused_naming_the_field(people, series):
    issue = small_issue(people["editor"], series)
    column = issue.columns.first()
    with pytest.raises(DomainError, match="“正文”共50001字，超过50000字的上限"):
        services.add_article(people["editor"], column, title="长文", body="字" * 50001)


def test_control_characters_are_refused_naming_field_and_line(client, people, series):
    issue = small_issue(people["editor"], series)
    client.force_login(people["editor"])
    response = client.post(reverse("briefings:article_add", args=[issue.pk]), {
        "art-column": issue.columns.first().pk, "art-title": "标题",
        "art-body": "第一行\n第二行\x07响铃"})
    assert "“正文”第2行含有控制字符（U+0007）" in response.content.decode()
    assert not issue.articles.filter(title="标题").exists()


def test_roles_are_checked_in_the_services(people, series):
    issue = small_issue(people["editor"], series)
    with pytest.raises(PermissionDenied):
        services.add_column(people["liaison"], issue, "新栏目")
    services.submit_for_review(people["editor"], issue)
    with pytest.raises(PermissionDenied):
        services.sign_off_issue(people["editor"], issue, "同意。")


def test_illegal_transition_is_refused_in_chinese(people, series):
    issue = small_issue(people["editor"], series)
    with pytest.raises(DomainError, match="当前状态为“草稿”，不能变更为“已发布”"):
        services.publish_issue(people["approver"], issue)


def test_editor_returns_a_submission_with_a_reason(client, people, series):
    submission = services.submit_article(people["liaison"], series, title="稿件", body="内容")
    client.force_login(people["editor"])
    client.post(reverse("briefings:submission_detail", args=[submission.pk]),
                {"action": "return", "reason": "内容过简，请补充数据。"})
    submission.refresh_from_db()
    assert submission.status == Submission.Status.RETURNED
    client.force_login(people["liaison"])
    page = client.get(reverse("briefings:submission_detail", args=[submission.pk]))
    assert "内容过简，请补充数据。" in page.content.decode()


def test_liaison_never_sees_another_units_submission(client, people, series):
    theirs = services.submit_article(people["other_liaison"], series, title="淮阳区稿件",
                                     body="内容")
    client.force_login(people["liaison"])
    assert client.get(reverse("briefings:submission_detail", args=[theirs.pk])).status_code == 404
    assert "淮阳区稿件" not in client.get(reverse("briefings:submission_list")).content.decode()


def test_liaison_cannot_open_the_composing_pages(client, people, series):
    issue = small_issue(people["editor"], series)
    client.force_login(people["liaison"])
    assert client.get(reverse("briefings:issue_detail", args=[issue.pk])).status_code == 403


def test_editor_renames_a_column_and_makes_it_news_items(client, people, series):
    issue = small_issue(people["editor"], series)
    column = issue.columns.get(name="工作动态")
    client.force_login(people["editor"])
    client.post(reverse("briefings:column_action", args=[column.pk, "edit"]),
                {f"col{column.pk}-name": "基层实践", f"col{column.pk}-lead_in": "on"})
    column.refresh_from_db()
    assert (column.name, column.lead_in) == ("基层实践", True)
    assert AuditEvent.objects.filter(verb="issue.update_column").exists()
