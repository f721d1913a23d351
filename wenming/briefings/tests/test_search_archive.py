"""Archive search: the page, GET /api/search, the CLI, and keeping the index
in step with publishing."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wenming.briefings import services
from wenming.briefings.models import Series
from wenming.briefings.search import KIND, index_issue, index_series, unindex_issue
from wenming.briefings.tests.factories import build_issue, make_series, publish, small_issue
from wenming.search.models import SearchDocument


def publish_indexed(people, issue):
    issue = publish(people["editor"], people["approver"], issue)
    index_issue(issue)  # what publish_issue does inside its transaction
    return issue


def issue_of(people, series, on, articles, number=None):
    """An issue whose articles are (column, title, body[, source unit])."""
    columns = {}
    for column, title, body, *_ in articles:
        columns.setdefault(column, []).append({"title": title, "paragraphs": [body]})
    data = {"date": on.isoformat(), "columns": [{"name": n, "articles": a}
                                                for n, a in columns.items()]}
    issue = build_issue(people["editor"], series, data, number=number, on=on)
    for _, title, _, *unit in articles:
        if unit:
            article = issue.articles.get(title=title)
            services.update_article(people["editor"], article, source_unit=unit[0])
    return issue


@pytest.fixture
def series(people):
    return make_series(people["editor"])


@pytest.fixture
def archive(people, world, series):
    """Three published issues over three years and a draft."""
    p = people
    first = publish_indexed(p, issue_of(p, series, date(2022, 3, 1), [
        ("工作动态", "全市文明城市创建推进会召开", "会议部署创建工作。", world["chuanhui"]),
        ("文明时讯", "淮阳区开展志愿服务", "柳湖街道志愿者参与文明城市创建。", world["hy_street"]),
    ]))
    second = publish_indexed(p, issue_of(p, series, date(2023, 6, 1), [
        ("工作动态", "红黑榜新闻发布会举行", "发布文明城市创建红黑榜。", world["street"]),
    ]))
    third = publish_indexed(p, issue_of(p, series, date(2024, 9, 1), [
        ("文明时讯", "德化社区评选好人榜", "社区居民参与文明城市创建。", world["community"]),
    ]))
    draft = issue_of(p, series, date(2024, 10, 1), [
        ("工作动态", "尚未发布的文明城市稿件", "草稿内容。"),
    ])
    return {"first": first, "second": second, "third": third, "draft": draft}


def titles(response):
    return [h["title"] for h in response.json()["hits"]]


def test_the_public_finds_published_articles_with_highlights_and_links(client, archive):
    response = client.get(reverse("briefings:search"), {"q": "红黑榜"})
    page = response.content.decode()
    assert response.status_code == 200
    article = archive["second"].articles.get()
    web = reverse("briefings:web_edition", args=[archive["second"].pk])
    assert f'href="{web}#a{article.pk}"' in page
    assert "<mark>红黑榜</mark>新闻发布会举行" in page
    assert "找到 <strong>1</strong> 篇稿件" in page
    unit = article.source_unit.short_name or article.source_unit.name
    assert f"{archive['second']} · 工作动态 · {unit} · 2023年6月1日" in page
    assert "briefings/search.css" in page
    # The link leads to the article's anchor on the public web edition.
    assert f'id="a{article.pk}"' in client.get(web).content.decode()


def test_drafts_are_never_found(client, people, archive):
    assert index_issue(archive["draft"]) == 0
    page = client.get(reverse("briefings:search"), {"q": "尚未发布"}).content.decode()
    assert "没有找到" in page
    client.force_login(people["admin"])
    assert "没有找到" in client.get(reverse("briefings:search"), {"q": "尚未发布"}).content.decode()


def test_title_matches_rank_first_and_date_order_is_newest_first(client, archive):
    relevance = client.get("/api/search", {"q": "红黑榜 文明城市"})
    assert titles(relevance) == ["红黑榜新闻发布会举行"]
    by_rank = titles(client.get("/api/search", {"q": "文明城市"}))
    assert by_rank[0] == "全市文明城市创建推进会召开" and len(by_rank) == 4
    by_date = titles(client.get("/api/search", {"q": "文明城市", "order": "date"}))
    assert by_date[:2] == ["德化社区评选好人榜", "红黑榜新闻发布会举行"]
    assert set(by_date[2:]) == {"全市文明城市创建推进会召开", "淮阳区开展志愿服务"}  # same day


def test_filters_series_years_column_and_source_unit(client, people, world, archive):
    other = make_series(people["editor"], title="创文工作专报")
    publish_indexed(people, issue_of(people, other, date(2024, 2, 1), [
        ("督查通报", "文明城市创建督查通报", "暗访督查发现问题。"),
    ]))
    q = {"q": "文明城市"}
    assert len(titles(client.get("/api/search", q))) == 5
    assert titles(client.get("/api/search", {**q, "series": other.pk})) == ["文明城市创建督查通报"]
    assert sorted(titles(client.get("/api/search", {**q, "year_from": 2023, "year_to": 2023})))\
        == ["红黑榜新闻发布会举行"]
    assert sorted(titles(client.get("/api/search", {**q, "column": "文明时讯"}))) == [
        "德化社区评选好人榜", "淮阳区开展志愿服务"]
    # A district finds the articles of the units below it.
    assert sorted(titles(client.get("/api/search", {**q, "source_unit": world["chuanhui"].pk})))\
        == ["全市文明城市创建推进会召开", "德化社区评选好人榜", "红黑榜新闻发布会举行"]
    page = client.get(reverse("briefings:search"), {**q, "column": "文明时讯",
                                                    "year_from": 2024}).content.decode()
    assert "德化社区评选好人榜" in page and "淮阳区开展志愿服务" not in page
    bad = client.get(reverse("briefings:search"), {**q, "year_from": 2024, "year_to": 2020})
    assert "截止年度不能早于起始年度" in bad.content.decode()


def choices(client):
    form = client.get(reverse("briefings:search"), {"q": "文明城市"}).context["form"]
    return ([v for v, _ in form.fields["column"].choices if v],
            sorted(name for pk, name in form.fields["source_unit"].choices if pk))


def test_filter_choices_follow_publishing_without_rereading_the_archive(
        client, people, world, series, archive):
    assert choices(client) == (["工作动态", "文明时讯"],
                               sorted([world["chuanhui"].name, world["hy_street"].name,
                                       world["street"].name, world["community"].name]))
    # Unchanged archive: the choices come from the cache, not from a pass
    # over every column and article.
    with CaptureQueriesContext(connection) as queries:
        choices(client)
    assert not [q for q in queries if "DISTINCT" in q["sql"]]
    publish_indexed(people, issue_of(people, series, date(2024, 11, 1), [
        ("督查通报", "文明城市督查", "暗访发现问题。", world["city"]),
    ]))
    names, units = choices(client)
    assert names == ["工作动态", "文明时讯", "督查通报"] and world["city"].name in units


def test_quoted_phrases_and_pagination_on_the_page(client, people, series):
    articles = [("工作动态", f"第{i}篇文明交通劝导", f"文明交通志愿服务第{i}次。") for i in range(1, 24)]
    publish_indexed(people, issue_of(people, series, date(2024, 5, 1), articles))
    page1 = client.get(reverse("briefings:search"), {"q": "文明交通"}).content.decode()
    assert page1.count('class="search-hit"') == 20 and "第 1 / 2 页，共 23 条" in page1
    assert "q=%E6%96%87%E6%98%8E%E4%BA%A4%E9%80%9A&page=2" in page1
    page2 = client.get(reverse("briefings:search"), {"q": "文明交通", "page": 2}).content.decode()
    assert page2.count('class="search-hit"') == 3
    # An old link past the end shows the last page.
    late = client.get(reverse("briefings:search"), {"q": "文明交通", "page": 9}).content.decode()
    assert late.count('class="search-hit"') == 3
    phrase = client.get("/api/search", {"q": '"志愿服务第12次"'}).json()
    assert [h["title"] for h in phrase["hits"]] == ["第12篇文明交通劝导"]
    assert "<mark>志愿服务第12次</mark>" in phrase["hits"][0]["snippet"]


def test_past_the_count_cap_the_page_says_more_than_and_pages_end_there(
        client, people, series, settings):
    settings.WENMING_SEARCH_COUNT_CAP = 21
    articles = [("工作动态", f"第{i}篇文明交通劝导", f"文明交通志愿服务第{i}次。") for i in range(1, 31)]
    publish_indexed(people, issue_of(people, series, date(2024, 5, 1), articles))
    page = client.get(reverse("briefings:search"), {"q": "文明交通"}).content.decode()
    assert "找到超过 <strong>21</strong> 篇稿件，只列出前 21 篇" in page
    assert "第 1 / 2 页，共 21 条以上" in page
    last = client.get(reverse("briefings:search"), {"q": "文明交通", "page": 5}).content.decode()
    assert last.count('class="search-hit"') == 1
    data = client.get("/api/search", {"q": "文明交通", "per_page": 20}).json()
    assert data["total"] == 21 and data["total_exact"] is False and data["num_pages"] == 2
    exact = client.get("/api/search", {"q": "第7篇"}).json()
    assert exact["total"] == 1 and exact["total_exact"] is True


def test_series_kept_out_of_the_public_archive_is_found_by_staff_only(client, people, world):
    internal = make_series(people["editor"], title="内部工作简报")
    Series.objects.filter(pk=internal.pk).update(is_public=False)
    internal.refresh_from_db()
    issue = publish_indexed(people, issue_of(people, internal, date(2024, 1, 5), [
        ("工作动态", "信用修复工作内部通报", "仅供内部参考。"),
    ]))
    assert client.get("/api/search", {"q": "信用修复"}).json()["total"] == 0
    client.force_login(people["liaison"])
    assert client.get("/api/search", {"q": "信用修复"}).json()["total"] == 0
    client.force_login(people["viewer"])
    hit = client.get("/api/search", {"q": "信用修复"}).json()["hits"][0]
    assert hit["url"].startswith(reverse("briefings:issue_detail", args=[issue.pk]))
    # Opening the series to the public moves its articles into public search.
    Series.objects.filter(pk=internal.pk).update(is_public=True)
    internal.refresh_from_db()
    assert index_series(internal) == 1
    client.logout()
    hit = client.get("/api/search", {"q": "信用修复"}).json()["hits"][0]
    assert hit["url"].startswith(reverse("briefings:web_edition", args=[issue.pk]))


def test_a_correction_and_its_original_are_both_found(client, people, series):
    original = publish_indexed(people, small_issue(people["editor"], series))
    copy = services.create_correction(people["editor"], original, "更正标题错字。")
    article = copy.articles.get(column__name="工作动态")
    services.update_article(people["editor"], article, title="全市召开创文工作调度会")
    index_issue(copy)  # not published yet: nothing indexed
    assert client.get("/api/search", {"q": "创文"}).json()["total"] == 0
    publish_indexed(people, copy)
    assert titles(client.get("/api/search", {"q": "创文"})) == ["全市召开创文工作调度会"]
    assert client.get("/api/search", {"q": "调度会"}).json()["total"] == 2
    # Each hit says where it was published: issue (and version), column, date.
    page = client.get(reverse("briefings:search"), {"q": "创文"}).content.decode()
    label = f"{copy}（更正版2） · 工作动态 · {copy.date.year}年{copy.date.month}月{copy.date.day}日"
    assert label in page


def test_unindexing_an_issue_removes_its_articles(client, archive):
    assert unindex_issue(archive["first"]) == 2
    assert sorted(titles(client.get("/api/search", {"q": "文明城市"}))) == [
        "德化社区评选好人榜", "红黑榜新闻发布会举行"]


def test_api_answers_json_and_refuses_bad_parameters(client, archive):
    data = client.get("/api/search", {"q": "好人榜", "per_page": 5}).json()
    assert data["total"] == 1 and data["per_page"] == 5 and data["num_pages"] == 1
    hit = data["hits"][0]
    assert hit["title_html"] == "德化社区评选<mark>好人榜</mark>"
    assert hit["issue"] == archive["third"].pk and hit["column"] == "文明时讯"
    assert hit["source_unit_name"] == "德化社区" and hit["date"] == "2024-09-01"
    assert hit["series_title"] == "周口精神文明建设"
    assert client.get("/api/search").status_code == 422
    assert client.get("/api/search", {"q": "好人榜", "order": "x"}).status_code == 422
    assert client.get("/api/search", {"q": "好人榜", "per_page": 500}).status_code == 422
    assert client.get("/api/search", {"q": '"AND(*'}).json()["total"] == 0


def test_reindex_command_rebuilds_and_search_command_prints_json(archive):
    SearchDocument.objects.filter(kind=KIND).delete()
    out = StringIO()
    call_command("search", "reindex", stdout=out)
    assert "索引重建完成" in out.getvalue() and f"{KIND} 4 篇" in out.getvalue()
    out = StringIO()
    call_command("search", "好人榜", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["total"] == 1 and data["hits"][0]["title"] == "德化社区评选好人榜"
    assert data["hits"][0]["url"].endswith(f"#a{archive['third'].articles.get().pk}")
    out = StringIO()
    call_command("search", "红黑榜", stdout=out)
    assert "【红黑榜】新闻发布会举行" in out.getvalue()
