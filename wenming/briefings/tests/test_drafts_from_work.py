"""从工作中生成稿件 in the issue editor, and the pages elsewhere that send
the editor to the same door, through real requests."""


import pytest
from django.urls import reverse

from wenming.briefings.models import Article
from wenming.briefings.tests.factories import make_series, small_issue
from wenming.briefings.tests.work import (
    BULLETIN_TITLE,
    CAMPAIGN_TITLE,
    CREDIT_TITLE,
    SURVEY_TITLE,
    work_of_january,
)

JAN = {"start": "2024-01-01", "end": "2024-01-31"}


@pytest.fixture
def issue(people):
    return small_issue(people["editor"], make_series(people["editor"]))


@pytest.fixture
def work(people, world):
    return work_of_january(people, world)


def test_draft_issue_offers_drafts_from_work_with_last_month_as_default(client, people, issue):
    client.force_login(people["editor"])
    page = client.get(reverse("briefings:issue_detail", args=[issue.pk])).content.decode()
    assert "从工作中生成稿件" in page
    page = client.get(reverse("briefings:issue_drafts", args=[issue.pk])).content.decode()
    assert "一键生成简报初稿" in page and page.count("本期无数据") == 6


def test_editor_sees_previews_and_empty_sources_disabled(client, people, issue, work):
    client.force_login(people["editor"])
    page = client.get(reverse("briefings:issue_drafts", args=[issue.pk]), JAN).content.decode()
    for title in (BULLETIN_TITLE, SURVEY_TITLE, CAMPAIGN_TITLE, CREDIT_TITLE):
        assert title in page
    assert page.count("本期无数据") == 1  # 好人榜: no roll published in January
    assert 'value="honors" id="source-honors" aria-label="生成好人榜" disabled' in page


def test_editor_places_ticked_sources_in_chosen_columns(client, people, issue, work):
    news = issue.columns.get(name="文明时讯")
    client.force_login(people["editor"])
    response = client.post(reverse("briefings:issue_drafts", args=[issue.pk]), {
        **JAN, "source": ["surveys", "credit"], "column_credit": news.pk})
    assert response.status_code == 302
    placed = {a.source_key: a for a in Article.objects.exclude(source_key="")}
    assert set(placed) == {"surveys", "credit"}
    assert placed["credit"].column == news and placed["credit"].title == CREDIT_TITLE
    # The survey's article keeps the figures the statistics page wrote.
    assert placed["surveys"].column.name == "工作动态"
    assert "共收回有效问卷130份，其中入户走访100份、网络问卷30份" in placed["surveys"].body
    page = client.get(reverse("briefings:issue_detail", args=[issue.pk])).content.decode()
    assert "来源：测评结果" in page and "来源：红黑榜发布情况" in page


def test_one_click_places_every_available_source(client, people, issue, work):
    client.force_login(people["editor"])
    response = client.post(reverse("briefings:issue_drafts", args=[issue.pk]),
                           {**JAN, "all": "1"}, follow=True)
    assert "已生成5篇稿件" in response.content.decode()
    assert sorted(Article.objects.exclude(source_key="").values_list("source_key", flat=True)) \
        == ["activities", "campaign", "credit", "scoring", "surveys"]


def test_nothing_ticked_or_nothing_there_places_nothing(client, people, issue):
    client.force_login(people["editor"])
    page = client.post(reverse("briefings:issue_drafts", args=[issue.pk]), JAN).content.decode()
    assert "请勾选要生成的稿件" in page
    page = client.post(reverse("briefings:issue_drafts", args=[issue.pk]),
                       {**JAN, "all": "1"}).content.decode()
    assert "所选时段没有可生成的稿件" in page
    bad = client.get(reverse("briefings:issue_drafts", args=[issue.pk]),
                     {"start": "2024-02-01", "end": "2024-01-01"}).content.decode()
    assert "截止日期不能早于起始日期" in bad
    assert not Article.objects.exclude(source_key="").exists()


def test_an_issue_in_review_takes_no_generated_article(client, people, issue, work):
    from wenming.briefings import services

    services.submit_for_review(people["editor"], issue)
    client.force_login(people["editor"])
    response = client.post(reverse("briefings:issue_drafts", args=[issue.pk]),
                           {**JAN, "all": "1"}, follow=True)
    assert "不是草稿，不能再加入稿件" in response.content.decode()
    assert not Article.objects.exclude(source_key="").exists()


def test_only_editors_generate_drafts(client, people, issue):
    for who in ("viewer", "approver", "liaison"):
        client.force_login(people[who])
        assert client.get(reverse("briefings:issue_drafts", args=[issue.pk])).status_code == 403
        assert client.post(reverse("briefings:place_source", args=["surveys"]),
                           {"column": issue.columns.first().pk}).status_code == 403


def test_bulletin_page_sends_the_editor_to_the_same_door(client, people, issue, work):
    bulletin = work["bulletin"]
    client.force_login(people["editor"])
    page = client.get(f"/scoring/bulletins/{bulletin.pk}/").content.decode()
    url = reverse("briefings:place_source", args=["scoring"]) + f"?object={bulletin.pk}"
    assert url in page
    assert "县区排名" in client.get(url).content.decode()
    response = client.post(url, {"column": issue.columns.first().pk})
    assert response.status_code == 302
    article = Article.objects.get(title=bulletin.title)
    assert article.issue == issue and "县区排名" in article.body
    assert article.source_key == "scoring"


def test_themed_campaign_article_page_sends_the_editor_to_the_same_door(client, people, issue,
                                                                        work):
    themed_campaign = work["themed_campaign"]
    client.force_login(people["editor"])
    page = client.get(reverse("activities:themed_campaign_article", args=[themed_campaign.pk]))
    url = reverse("briefings:place_source", args=["activities"]) + f"?object={themed_campaign.pk}"
    assert url in page.content.decode()
    column = issue.columns.get(name="工作动态")
    response = client.post(url, {"column": column.pk})
    assert response.status_code == 302 and response.url == reverse(
        "briefings:issue_detail", args=[issue.pk])
    article = Article.objects.get(title=CAMPAIGN_TITLE)
    assert article.column == column and len(article.paragraphs) == 3


def test_statistics_page_sends_the_editor_to_the_same_door(client, people, issue, work):
    client.force_login(people["editor"])
    page = client.get(reverse("surveys:stats"), {"period": "2024-01"}).content.decode()
    url = reverse("briefings:place_source", args=["surveys"]) + "?start=2024-01-01&amp;end=2024-01-31"
    assert url in page
    response = client.post(url.replace("&amp;", "&"), {"column": issue.columns.first().pk})
    assert response.status_code == 302
    article = Article.objects.get(source_key="surveys")
    assert article.title == SURVEY_TITLE and "共收回有效问卷130份" in article.body
    client.force_login(people["viewer"])
    page = client.get(reverse("surveys:stats"), {"period": "2024-01"}).content.decode()
    assert "编入简报" not in page


def test_a_source_without_data_shows_so(client, people, issue):
    client.force_login(people["editor"])
    page = client.get(reverse("briefings:place_source", args=["honors"]),
                      {"start": "2024-01-01", "end": "2024-01-31"}).content.decode()
    assert "本期无数据" in page
    assert client.get(reverse("briefings:place_source", args=["nowhere"])).status_code == 404
    assert client.get(reverse("briefings:place_source", args=["scoring"]),
                      {"object": "x"}).status_code == 400
