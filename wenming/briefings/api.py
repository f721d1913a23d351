"""Archive search over the API: GET /api/search?q=…"""

from datetime import date
from typing import Literal

from ninja import Field, Query, Router, Schema

from wenming.api.errors import examples, responses
from wenming.briefings.search import search_articles
from wenming.core.web import MAX_ID

router = Router(tags=["简报检索"])


class HitOut(Schema):
    id: int
    title: str
    title_html: str
    snippet: str
    score: float
    date: date | None
    year: int | None
    url: str
    series: int | None
    series_title: str
    issue: int | None
    issue_title: str
    column: str
    source_unit: int | None
    source_unit_name: str


class SearchOut(Schema):
    query: str
    total: int = Field(description="命中稿件数；超过计数上限（默认 10000 篇）时为该上限")
    total_exact: bool = Field(description="total 是否为确切数目；为 false 时实际命中更多，"
                                          "分页止于计数上限")
    page: int
    per_page: int
    num_pages: int
    hits: list[HitOut]


SEARCH_EXAMPLE = {
    "query": "垃圾分类", "total": 1, "total_exact": True, "page": 1, "per_page": 20, "num_pages": 1,
    "hits": [{
        "id": 1024, "title": "川汇区推进垃圾分类进社区",
        "title_html": "川汇区推进<mark>垃圾分类</mark>进社区",
        "snippet": "……德化社区设立<mark>垃圾分类</mark>投放点12处，志愿者每日值守……",
        "score": 7.42, "date": "2024-06-12", "year": 2024, "url": "/briefings/articles/1024/",
        "series": 3, "series_title": "文明创建工作简报", "issue": 156,
        "issue_title": "文明创建工作简报 2024年第18期", "column": "工作动态",
        "source_unit": 5, "source_unit_name": "川汇区文明办"}],
}


def _hit(hit):
    # A plain dict: ninja validates the response against SearchOut once;
    # building HitOut instances first would validate every hit twice.
    o = hit.origin
    return {
        "id": hit.object_id, "title": hit.title, "title_html": hit.title_html,
        "snippet": hit.snippet, "score": hit.score, "date": hit.date, "year": hit.year,
        "url": hit.url, "series": o.series_id if o else None,
        "series_title": o.series_title if o else "", "issue": o.issue_id if o else None,
        "issue_title": o.issue if o else "", "column": o.column if o else "",
        "source_unit": o.source_unit_id if o else None,
        "source_unit_name": o.source_unit_name if o else ""}


@router.get("/search", response=responses(SearchOut, 400, 422), summary="检索简报档案",
            description="分词检索已发布简报的稿件。多个词须同时出现；用引号括起的词组按原文连续出现查找。"
                        "未登录用户只能检索公开发布的简报，登录后另可检索本人有权查看的内部简报。"
                        "命中片段中的 <mark> 标签之外的文字均已 HTML 转义。"
                        "可按系列、年度、栏目、供稿单位筛选，按相关度或日期排序，分页返回。",
            openapi_extra=examples(SEARCH_EXAMPLE))
def search_archive(
    request,
    q: str = Query(..., max_length=200, description="检索词"),
    series: int | None = Query(None, ge=1, le=MAX_ID, description="简报系列编号"),
    year_from: int | None = Query(None, ge=1949, le=2100, description="起始年度"),
    year_to: int | None = Query(None, ge=1949, le=2100, description="截止年度"),
    column: str | None = Query(None, max_length=30, description="栏目名称"),
    source_unit: int | None = Query(None, ge=1, le=MAX_ID,
                                    description="供稿单位编号（含下级单位）"),
    order: Literal["relevance", "date"] = Query("relevance", description="排序：相关度或日期"),
    page: int = Query(1, ge=1, le=10_000),
    per_page: int = Query(20, ge=1, le=100),
):
    results = search_articles(request.user, q, series=series, year_from=year_from,
                              year_to=year_to, column=column, source_unit=source_unit,
                              order=order, page=page, per_page=per_page)
    return {"query": results.query, "total": results.total, "total_exact": results.exact,
            "page": results.page, "per_page": results.per_page, "num_pages": results.num_pages,
            "hits": [_hit(h) for h in results.hits]}
