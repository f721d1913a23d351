"""The full-text search engine, on whichever database runs the tests."""

from datetime import date

import pytest
from django.db import connection, transaction

from wenming import search
from wenming.search import Document, index_document, remove_document
from wenming.search.models import SearchDocument
from wenming.search.segment import index_tokens, parse_query

pytestmark = pytest.mark.django_db
KIND = "test.note"


def note(pk, title, body="", *, published=True, on=date(2024, 3, 1), **filters):
    return index_document(KIND, pk, title, body, filters=filters, published=published, date=on,
                          url=f"/notes/{pk}")


def ids(results):
    return [h.object_id for h in results.hits]


def find(q, **kwargs):
    kwargs.setdefault("kind", KIND)
    return search.search(q, **kwargs)


def test_title_hits_rank_above_body_hits():
    note(1, "全市推进重点工作", "志愿服务进社区。" * 8 + "各单位开展志愿服务活动，志愿服务常态化。")
    note(2, "川汇区志愿服务队走进德化社区", "近日，川汇区组织志愿者开展服务。")
    note(3, "城乡环境整治", "与本检索无关的内容。")
    results = find("志愿服务")
    assert ids(results) == [2, 1]
    assert results.hits[0].score > results.hits[1].score


def test_all_words_must_match_and_segmentation_knows_the_office_vocabulary():
    note(1, "新时代文明实践中心揭牌", "淮阳区新时代文明实践中心正式运行。")
    note(2, "文明实践活动", "开展理论宣讲。")
    note(3, "淮阳区召开会议", "部署春耕工作。")
    assert "新时代文明实践" in index_tokens("新时代文明实践中心").split()
    assert parse_query("新时代文明实践中心").terms == ["新时代文明实践中心"]
    assert ids(find("新时代文明实践中心")) == [1]
    # A shorter word inside a longer one is found too.
    assert sorted(ids(find("文明实践"))) == [1, 2]
    assert ids(find("淮阳区 文明实践")) == [1]


def test_quoted_phrase_must_appear_as_written():
    note(1, "工作动态", "全市文明城市创建工作推进会召开。")
    note(2, "工作动态", "创建工作取得成效，文明城市测评在即。")
    assert sorted(ids(find("文明城市 创建"))) == [1, 2]
    assert ids(find('"文明城市创建"')) == [1]
    assert ids(find("“文明城市创建”")) == [1]
    assert ids(find('"城市创建工作"')) == [1]
    assert ids(find('"创建工作取得"')) == [2]
    assert ids(find('"文明城市 创建"')) == [1]  # spaces between hanzi do not count


def test_snippets_highlight_matches_and_escape_the_text():
    note(1, "<b>红黑榜</b>发布", "前言。" * 30 + "<script>alert(1)</script>本期红黑榜公布 & 说明。"
         + "后记。" * 30)
    hit = find("红黑榜").hits[0]
    assert hit.title_html == "&lt;b&gt;<mark>红黑榜</mark>&lt;/b&gt;发布"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;本期<mark>红黑榜</mark>公布 &amp; 说明" \
        in hit.snippet
    assert "<script" not in hit.snippet and "<b>" not in hit.title_html
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert len(hit.snippet) < 250


def test_search_syntax_typed_by_users_is_plain_text():
    note(1, "文明城市 AND 创建", "NEAR 志愿服务 OR 测评")
    for q in ['"', 'AND(', "*", "文明*", "NEAR(文明 城市)", "OR", "-", "'", "\\", "((",
              '"文明', '文明"城市', "^", ":", "{title_tokens}: 文明", "title_tokens:文明",
              "文明 -城市", "'; DROP TABLE search_searchdocument; --", "　", "\x00", '"文明\x00城市"']:
        find(q)  # no exception
    assert not find("*").searchable and find("*").total == 0
    assert ids(find("AND(")) == [1]
    assert ids(find('"文明')) == [1]
    assert find("文明", filters={"column": "a\x00b"}).total == 0


def test_public_sees_published_documents_only():
    note(1, "好人榜发布", "第一季度好人榜。")
    note(2, "好人榜草稿", "尚未发布。", published=False)
    assert ids(find("好人榜")) == [1]
    assert sorted(ids(find("好人榜", public_only=False))) == [1, 2]


def test_filters_and_year_range():
    note(1, "督办通知", "暗访督查发现问题。", on=date(2020, 5, 1), series=1, column="工作动态")
    note(2, "督办通知", "暗访督查发现问题。", on=date(2022, 5, 1), series=1, column="文明时讯")
    note(3, "督办通知", "暗访督查发现问题。", on=date(2024, 5, 1), series=2, column="工作动态")
    assert sorted(ids(find("暗访督查", filters={"series": 1}))) == [1, 2]
    assert sorted(ids(find("暗访督查", filters={"series": [1, 2]}))) == [1, 2, 3]
    assert ids(find("暗访督查", filters={"series": 1, "column": "文明时讯"})) == [2]
    assert sorted(ids(find("暗访督查", year_from=2021))) == [2, 3]
    assert ids(find("暗访督查", year_from=2021, year_to=2023)) == [2]
    assert ids(find("暗访督查", filters={"series": []})) == []
    with pytest.raises(ValueError):
        find("暗访督查", filters={"bad key": 1})


def test_title_matches_come_first_on_every_page():
    for i in range(1, 6):
        note(i, f"第{i}期工作简报", "垃圾分类进社区。" * i)
    for i in range(6, 9):
        note(i, f"垃圾分类工作第{i}篇", "社区宣传。")
    pages = [ids(find("垃圾分类", per_page=2, page=n)) for n in (1, 2, 3, 4)]
    seen = [pk for page in pages for pk in page]
    assert sorted(seen[:3]) == [6, 7, 8] and sorted(seen[3:]) == [1, 2, 3, 4, 5]
    # The body-only group is ranked by bm25 / ts_rank: more mentions first.
    assert seen[3] == 5


def test_more_query_words_in_the_title_rank_higher():
    note(1, "社区工作动态", "垃圾分类与志愿服务。")
    note(2, "垃圾分类宣传", "志愿服务队参与。")
    note(3, "志愿服务队开展垃圾分类宣传", "近日。")
    assert ids(find("垃圾分类 志愿服务")) == [3, 2, 1]
    scores = [h.score for h in find("垃圾分类 志愿服务").hits]
    assert scores == sorted(scores, reverse=True)


def test_wide_filters_fall_back_to_checks_on_the_rows():
    note(1, "督办通知", "问题整改。", on=date(2019, 5, 1), unit=150)
    note(2, "督办通知", "问题整改。", on=date(2023, 5, 1), unit=3)
    assert ids(find("督办", filters={"unit": list(range(100, 300))})) == [1]
    assert ids(find("督办", year_from=2020)) == [2]
    assert ids(find("督办", year_to=2020)) == [1]
    assert sorted(ids(find("督办", year_from=1900, year_to=2100))) == [1, 2]


def test_pagination_and_sort_by_date():
    for i in range(1, 26):
        note(i, f"台账第{i}号", "问题台账整改。", on=date(2024, 1, i))
    first = find("台账", order="date", per_page=10)
    assert first.total == 25 and first.num_pages == 3
    assert ids(first) == list(range(25, 15, -1))
    last = find("台账", order="date", per_page=10, page=3)
    assert ids(last) == [5, 4, 3, 2, 1]
    assert find("台账", per_page=10, page=4).hits == []
    assert find("台账", per_page=1000).per_page == search.MAX_PER_PAGE
    with pytest.raises(ValueError):
        find("台账", order="popular")


def test_replacing_and_removing_keep_the_index_in_step():
    note(1, "信用修复指南", "市场主体申请信用修复。")
    note(1, "红名单公示", "守信激励对象。")
    assert find("信用修复").total == 0
    assert ids(find("红名单")) == [1]
    assert SearchDocument.objects.count() == 1
    remove_document(KIND, 1)
    assert find("红名单").total == 0


def test_bulk_deletes_and_loads_reach_the_full_text_index():
    # The full-text structures follow the table by themselves (triggers on
    # SQLite, a generated column on PostgreSQL): flush, loaddata and
    # bulk_create need no extra step.
    search.bulk_index(KIND, [Document(i, f"知晓率调查{i}", "入户走访。", published=True)
                             for i in range(1, 4)])
    assert find("知晓率").total == 3
    SearchDocument.objects.all().delete()
    assert find("知晓率").total == 0
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                           "AND tbl_name = 'search_searchdocument' ORDER BY name")
            assert [r[0] for r in cursor.fetchall()] == [
                f"search_searchdocument_{table}_{when}" for table in ("fts", "title")
                for when in ("ad", "ai", "au")] + [
                f"search_version_{event}" for event in ("delete", "insert", "update")]


def test_a_repeated_search_is_answered_from_the_cache_until_any_write(django_assert_num_queries):
    note(1, "知晓率调查", "入户走访。")
    note(2, "满意率调查", "知晓率与满意率。")
    first = find("知晓率")
    with django_assert_num_queries(1):  # the index's version, nothing else
        again = find("知晓率")
    assert ids(again) == ids(first) == [1, 2]
    # Written behind the services' back: the database gives the index a new
    # version all the same.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_searchdocument WHERE object_id = %s", [1])
    assert ids(find("知晓率")) == [2]
    note(3, "知晓率测评", "问卷。", published=False)
    assert ids(find("知晓率")) == [2]
    assert ids(find("知晓率", public_only=False)) == [3, 2]
    # Other arguments, other entries.
    assert find("知晓率", per_page=1, public_only=False).num_pages == 2


def test_a_rolled_back_write_leaves_no_cached_result_behind():
    note(1, "知晓率调查", "入户走访。")
    assert ids(find("知晓率")) == [1]
    with pytest.raises(RuntimeError), transaction.atomic():
        note(2, "知晓率测评", "问卷。")
        assert ids(find("知晓率")) == [2, 1]
        raise RuntimeError
    assert ids(find("知晓率")) == [1]
    # A later write of other contents never meets the rolled-back version.
    note(3, "知晓率通报", "通报。")
    assert sorted(ids(find("知晓率"))) == [1, 3]


def test_rebuild_replaces_a_kinds_documents_from_its_registered_source(monkeypatch):
    note(99, "早已删除的记录", "满意率。")
    source = [Document(1, "满意率测评", "群众满意率提升。", published=True, date=date(2024, 1, 1)),
              Document(2, "满意率回访", "电话回访。", published=True, date=date(2024, 2, 1))]
    monkeypatch.setitem(search._registry, KIND, lambda: iter(source))
    seen = []
    summary = search.rebuild([KIND], progress=lambda kind, n: seen.append((kind, n)))
    assert summary[KIND][0] == 2 and seen[-1] == (KIND, 2)
    assert sorted(ids(find("满意率"))) == [1, 2]
    with pytest.raises(ValueError, match="未注册"):
        search.rebuild(["no.such"])


def test_every_page_of_a_two_word_query_follows_the_one_relevance_order():
    # Both words in the title, one of them in the title, neither: pages of
    # two cut through each group, and together give the order of one page.
    note(1, "垃圾分类志愿服务", "社区。")
    note(2, "志愿服务队开展垃圾分类", "社区。")
    for pk in range(3, 8):
        note(pk, f"垃圾分类第{pk}期", "志愿服务。" * pk)
    note(8, "志愿服务简讯", "垃圾分类。")
    for pk in range(9, 13):
        note(pk, f"工作简报第{pk}期", "垃圾分类与志愿服务。" * (pk - 8))
    note(13, "无关简报", "垃圾分类。")
    whole = ids(find("垃圾分类 志愿服务", per_page=20))
    assert sorted(whole[:2]) == [1, 2] and sorted(whole[2:8]) == [3, 4, 5, 6, 7, 8]
    assert whole[8:] == [12, 11, 10, 9]
    pages = [ids(find("垃圾分类 志愿服务", per_page=2, page=n)) for n in range(1, 8)]
    assert [pk for page in pages for pk in page] == whole
    assert find("垃圾分类 志愿服务", per_page=3, page=2).total == 12
    assert ids(find("垃圾分类 志愿服务", per_page=5, page=2)) == whole[5:10]


def test_kind_filter_with_other_kinds_before_between_and_after():
    for pk, kind in enumerate(["a.first", KIND, "t.middle", "z.last"], start=1):
        index_document(kind, pk, "文明单位复查", "测评。", published=True)
    assert [h.kind for h in find("文明单位").hits] == [KIND]
    assert sorted(h.kind for h in find("文明单位", kind=["a.first", "z.last"]).hits) \
        == ["a.first", "z.last"]
    assert find("文明单位", kind=["a.first", KIND, "t.middle", "z.last"]).total == 4
    assert find("文明单位", kind="no.such").total == 0


def test_words_spelled_like_index_tags_match_only_the_text():
    # Kind, year and visibility are words in the index's tags column; a
    # query for such a word must not find every document carrying it.
    note(1, "文明单位复查", "测评。", on=date(2024, 3, 1))
    note(2, "草稿", "unpublished 一词出现在正文。", published=False)
    note(3, "y2024 年度测评", "文明单位。")
    assert ids(find("y2024")) == [3]
    assert ids(find("文明单位 y2024")) == [3]
    assert find("unpublished").total == 0
    assert ids(find("unpublished", public_only=False)) == [2]
    hidden = [w for w in SearchDocument.objects.get(object_id=1).tags.split()
              if w != "y2024"]
    assert all(find(w, public_only=False).total == 0 for w in hidden)


def test_counting_stops_at_the_cap_and_pages_keep_the_one_order():
    # Titles with the word, bodies with it, and a newest-first order: with a
    # cap of 7 the total says "at least 7", the pages end there and show
    # exactly what the uncapped search shows on them.
    for pk in range(1, 5):
        note(pk, f"垃圾分类第{pk}期", "社区。", on=date(2024, 1, pk))
    for pk in range(5, 13):
        note(pk, f"工作简报第{pk}期", "垃圾分类。" * pk, on=date(2024, 2, pk))
    whole = find("垃圾分类", per_page=20, count_cap=None)
    assert whole.total == 12 and whole.exact
    capped = find("垃圾分类", per_page=3, count_cap=7)
    assert capped.total == 7 and not capped.exact and capped.num_pages == 3
    pages = [find("垃圾分类", per_page=3, page=n, count_cap=7) for n in (1, 2, 3, 4)]
    assert [h.object_id for p in pages for h in p.hits] == ids(whole)[:7]
    assert [h.score for p in pages for h in p.hits] == [h.score for h in whole.hits][:7]
    assert find("垃圾分类", per_page=20, count_cap=12).exact
    newest = find("垃圾分类", per_page=5, order="date", count_cap=7)
    assert ids(newest) == [12, 11, 10, 9, 8] and not newest.exact
