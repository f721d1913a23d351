"""briefings.services.place_article, the one door through which a draft
from the work (see briefings.sources) becomes an article."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from wenming.audit.models import AuditEvent
from wenming.briefings import services
from wenming.briefings.models import Article
from wenming.briefings.sources import all_sources, get_source, last_month, period_text
from wenming.briefings.tests.factories import make_series, publish, small_issue
from wenming.briefings.tests.work import (
    BULLETIN_TITLE,
    CAMPAIGN_TITLE,
    JANUARY,
    bulletin_of_january,
    themed_campaign_of_january,
)
from wenming.core.errors import DomainError


@pytest.fixture
def issue(people):
    return small_issue(people["editor"], make_series(people["editor"]))


def test_every_work_app_offers_its_source():
    assert [s.label for s in all_sources()] == [
        "考核通报摘要", "测评结果", "专项活动综述", "红黑榜发布情况", "好人榜", "台账整改情况"]


def test_editor_places_a_draft_marked_with_its_source(people, issue):
    column = issue.columns.get(name="工作动态")
    article = services.place_article(people["editor"], column, "一月份创建工作综述",
                                     ["第一段。", "第二段。"], "scoring")
    assert article.column == column and article.order == 2
    assert article.paragraphs == ["第一段。", "第二段。"]
    assert article.source_key == "scoring" and article.source_label == "考核通报摘要"
    event = AuditEvent.objects.get(verb="article.place", object_id=str(article.pk))
    assert event.actor == people["editor"] and event.after["source"] == "考核通报摘要"


def test_admin_may_place_but_approver_liaison_and_viewer_may_not(people, issue):
    column = issue.columns.first()
    services.place_article(people["admin"], column, "标题", ["正文。"], "surveys")
    for who in ("approver", "liaison", "viewer", "inspector"):
        with pytest.raises(PermissionDenied):
            services.place_article(people[who], column, "标题", ["正文。"], "surveys")
    assert Article.objects.filter(source_key="surveys").count() == 1


def test_an_issue_that_is_not_a_draft_takes_no_generated_article(people, issue):
    services.submit_for_review(people["editor"], issue)
    with pytest.raises(DomainError, match="不是草稿，不能再加入稿件"):
        services.place_article(people["editor"], issue.columns.first(), "标题", ["正文。"],
                               "credit")
    published = publish(people["editor"], people["approver"], small_issue(
        people["editor"], issue.series, on=date(2024, 4, 1)))
    with pytest.raises(DomainError, match="不是草稿"):
        services.place_article(people["editor"], published.columns.first(), "标题", ["正文。"],
                               "credit")
    assert not Article.objects.exclude(source_key="").exists()


def test_an_unknown_source_or_an_empty_article_is_refused(people, issue):
    column = issue.columns.first()
    with pytest.raises(DomainError, match="没有名为“nowhere”的稿件来源"):
        services.place_article(people["editor"], column, "标题", ["正文。"], "nowhere")
    with pytest.raises(DomainError, match="正文"):
        services.place_article(people["editor"], column, "标题", [], "honors")


def test_placing_several_is_all_or_nothing(people, issue):
    column = issue.columns.first()
    draft = get_source("scoring")  # any source key will do for the placements
    good = type("D", (), {"title": "好稿", "paragraphs": ["正文。"]})
    bad = type("D", (), {"title": "", "paragraphs": ["正文。"]})
    with pytest.raises(DomainError, match="标题"):
        services.place_articles(people["editor"], [(column, good, draft.key),
                                                   (column, bad, draft.key)])
    assert not Article.objects.filter(title="好稿").exists()


def test_bulletin_summary_keeps_its_rankings_through_the_door(people, world, issue):
    bulletin = bulletin_of_january(people, world)
    draft = get_source("scoring").object_draft(bulletin.pk)
    assert draft == get_source("scoring").period_draft(*JANUARY)
    article = services.place_article(people["editor"], issue.columns.first(), draft.title,
                                     draft.paragraphs, "scoring")
    assert article.title == BULLETIN_TITLE == bulletin.title
    assert "县区排名" in article.body and "共督查发现问题1个" in article.body


def test_themed_campaign_summary_has_a_lead_and_a_paragraph_per_activity(people, world, issue):
    themed_campaign = themed_campaign_of_january(people, world)
    draft = get_source("activities").object_draft(themed_campaign.pk)
    column = issue.columns.get(name="工作动态")
    article = services.place_article(people["editor"], column, draft.title, draft.paragraphs,
                                     "activities")
    assert article.title == CAMPAIGN_TITLE and article.column == column
    assert len(article.paragraphs) == 3
    assert "川汇区于1月6日在德化社区开展“德化社区环境大扫除”活动。" in article.body
    # Only the period's activities are told when pulled for a period.
    assert len(get_source("activities").period_draft(date(2024, 1, 7), date(2024, 1, 31))
               .paragraphs) == 2


def test_sources_with_nothing_to_tell_give_no_draft(people, world):
    empty = themed_campaign_of_january(people, world)
    empty.activities.all().delete()
    assert get_source("activities").object_draft(empty.pk) is None
    for source in all_sources():
        assert source.period_draft(date(2020, 1, 1), date(2020, 1, 31)) is None, source.key


def test_period_words_and_the_default_period():
    assert last_month(date(2024, 3, 15)) == (date(2024, 2, 1), date(2024, 2, 29))
    assert last_month(date(2024, 1, 1)) == (date(2023, 12, 1), date(2023, 12, 31))
    assert period_text(*JANUARY) == "2024年1月"
    assert period_text(date(2024, 1, 1), date(2024, 3, 31)) == "2024年1—3月"
    assert period_text(date(2024, 1, 5), date(2024, 2, 3)) == "2024年1月5日至2月3日"
