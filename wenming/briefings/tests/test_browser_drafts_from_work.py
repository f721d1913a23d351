"""An editor builds a draft issue from a month of work with 从工作中生成稿件
and previews its PDF."""

import subprocess

import pytest

from wenming.briefings.models import Article
from wenming.briefings.tests.factories import make_series, small_issue
from wenming.briefings.tests.work import (
    BULLETIN_TITLE,
    CAMPAIGN_TITLE,
    CREDIT_TITLE,
    SURVEY_TITLE,
    work_of_january,
)
from wenming.conftest import browser_login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_builds_a_draft_from_four_sources_and_renders_its_pdf(page, people, world,
                                                                      tmp_path):
    work_of_january(people, world)
    issue = small_issue(people["editor"], make_series(people["editor"]))
    page.set_viewport_size({"width": 1280, "height": 900})
    browser_login(page, "emma")
    page.get_by_text("您好").wait_for()

    page.goto(f"{page.base_url}/briefings/issues/{issue.pk}/")
    page.get_by_label("起始日期").fill("2024-01-01")
    page.get_by_label("截止日期").fill("2024-01-31")
    page.get_by_role("button", name="从工作中生成稿件").click()
    page.get_by_role("heading", name="2024年1月可用稿件").wait_for()
    assert page.get_by_text(BULLETIN_TITLE).is_visible()
    assert page.get_by_label("生成好人榜").is_disabled()
    assert page.get_by_text("本期无数据").is_visible()
    for label in ("考核通报摘要", "测评结果", "专项活动综述", "红黑榜发布情况"):
        page.get_by_label(f"生成{label}").check()
    page.get_by_label("红黑榜发布情况编入栏目").select_option(label="文明时讯")
    screenshot(page, "briefing-drafts-from-work")
    page.get_by_role("button", name="编入勾选的稿件").click()
    page.get_by_text("已生成4篇稿件").wait_for()
    page.get_by_text("来源：考核通报摘要").wait_for()
    screenshot(page, "briefing-drafts-placed")

    placed = dict(Article.objects.exclude(source_key="").values_list("source_key", "title"))
    assert placed == {"scoring": BULLETIN_TITLE, "surveys": SURVEY_TITLE,
                      "activities": CAMPAIGN_TITLE, "credit": CREDIT_TITLE}

    pdf = page.request.get(f"{page.base_url}/briefings/issues/{issue.pk}/render.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    path = tmp_path / "issue.pdf"
    path.write_bytes(pdf.body())
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = "".join(text.split())
    for title in (BULLETIN_TITLE, SURVEY_TITLE, CAMPAIGN_TITLE, CREDIT_TITLE):
        assert "".join(title.split()) in flat, title
