"""The ledger: filters, counts by status, keyset pages, and the Excel export
as offices keep it."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from wenming.campaign import services
from wenming.campaign.models import Problem
from wenming.campaign.tests.factories import (
    dispatched,
    make_campaign,
    make_problem,
    make_site,
    submitted,
)


@pytest.fixture
def sites(people, world):
    make_campaign(people["admin"])
    return (make_site(people["admin"], world),
            make_site(people["admin"], world, name="七一路背街", category="背街小巷"),
            make_site(people["admin"], world, name="柳湖农贸市场", district="huaiyang",
                      unit="huaiyang"))


def _page(client, **params):
    """The list and, as the page then fetches them, the counts by status."""
    return (client.get(reverse("campaign:problem_list"), params).content.decode()
            + client.get(reverse("campaign:problem_counts"), params).content.decode())


def test_filters_and_counts(client, people, sites, world):
    market, lane, huaiyang = sites
    inspector = people["inspector"]
    make_problem(inspector, market, description="甲：市场占道")
    dispatched(people, lane, code="1.2.1", description="乙：背街垃圾")
    p3 = dispatched(people, huaiyang, description="丙：淮阳市场占道")
    Problem.objects.filter(pk=p3.pk).update(deadline=timezone.now() - timedelta(hours=1))
    make_problem(inspector, market, description="丁：重复占道",
                 found_at=timezone.now() - timedelta(days=40))
    client.force_login(inspector)

    page = _page(client)
    assert all(t in page for t in ["甲：", "乙：", "丙：", "丁："])
    assert "待交办 <b>2</b>" in page and "整改中 <b>2</b>" in page and "全部 <b>4</b>" in page

    page = _page(client, district=world["huaiyang"].pk)
    assert "丙：" in page and "甲：" not in page and "全部 <b>1</b>" in page
    page = _page(client, unit=world["chuanhui"].pk, status="dispatched")
    assert "乙：" in page and "甲：" not in page and "丙：" not in page
    page = _page(client, category=lane.category_id)
    assert "乙：" in page and "甲：" not in page
    page = _page(client, overdue="1")
    assert "丙：" in page and "乙：" not in page
    area = Problem.objects.get(description="乙：背街垃圾").area
    page = _page(client, area=area.pk)
    assert "乙：" in page and "甲：" in page and "丙：" in page  # all in area 1
    today = timezone.localdate()
    page = _page(client, date_from=(today - timedelta(days=1)).isoformat(),
                 date_to=today.isoformat())
    assert "甲：" in page and "丁：" not in page
    page = _page(client, q="垃圾")
    assert "乙：" in page and "甲：" not in page


def test_repeat_filter(client, people, sites):
    market = sites[0]
    make_problem(people["inspector"], market, description="第一次占道")
    make_problem(people["inspector"], market, description="第二次占道")
    client.force_login(people["inspector"])
    page = _page(client, repeat="1")
    assert "第二次占道" in page and "第一次占道" not in page


def test_keyset_pages_walk_the_whole_ledger_once(client, people, sites):
    market = sites[0]
    now = timezone.now()
    for i in range(7):
        make_problem(people["inspector"], market, description=f"问题{i:02d}号",
                     found_at=now - timedelta(hours=i % 3))  # ties on found_at
    from wenming.campaign.selectors import keyset_page

    seen, cursor = [], ""
    while True:
        rows, cursor = keyset_page(Problem.objects.all(), cursor, size=3)
        seen += [p.pk for p in rows]
        if not cursor:
            break
    expected = list(Problem.objects.order_by("-found_at", "-id").values_list("pk", flat=True))
    assert seen == expected

    client.force_login(people["inspector"])
    first = client.get(reverse("campaign:problem_list"))
    assert "下一页" not in first.content.decode()  # 7 fit on one page of 30


def test_export_is_the_ledger_as_offices_keep_it(client, people, sites):
    market = sites[0]
    problem = submitted(people, market, description="东门占道经营")
    services.verify_problem(people["inspector"], problem, note="已整改到位")
    client.force_login(people["inspector"])
    response = client.get(reverse("campaign:problem_export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:12] == ("序号", "问题编号", "问题描述", "点位", "县区", "责任单位", "状态",
                            "发现时间", "整改期限", "逾期天数", "整改情况", "复查结果")
    assert rows[1][:7] == (1, problem.pk, "东门占道经营", "五一路农贸市场", "川汇区", "川汇区",
                           "已销号")
    assert rows[1][9] == 0
    assert rows[1][10] == "已清理占道摊位" and rows[1][11].startswith("已销号")
    link = sheet.cell(row=2, column=13).hyperlink.target
    assert link.startswith("http://testserver/campaign/photos/")
    assert client.get(link.replace("http://testserver", "")).status_code == 200


def test_viewer_reads_the_ledger_but_has_no_actions(client, people, sites):
    problem = dispatched(people, sites[0])
    client.force_login(people["viewer"])
    page = client.get(reverse("campaign:problem_detail", args=[problem.pk])).content.decode()
    assert "办理过程" in page and "办理</h2>" not in page


def test_export_follows_the_screens_filters_newest_first(client, people, sites):
    late = dispatched(people, sites[0], description="过期未改")
    Problem.objects.filter(pk=late.pk).update(
        is_overdue=True, deadline=timezone.now() - timedelta(days=3, hours=1))
    dispatched(people, sites[1], description="按期整改中")
    newer = dispatched(people, sites[0], description="又一处逾期")
    Problem.objects.filter(pk=newer.pk).update(
        is_overdue=True, deadline=timezone.now() - timedelta(hours=5),
        found_at=timezone.now())
    client.force_login(people["inspector"])
    screen = client.get(reverse("campaign:problem_list") + "?overdue=1")
    export_link = reverse("campaign:problem_export") + "?overdue=1"
    assert export_link in screen.content.decode()
    rows = list(load_workbook(io.BytesIO(client.get(export_link).content)).active
                .iter_rows(values_only=True))[1:]
    assert [r[1] for r in rows] == [p.pk for p in screen.context["problems"]] == [newer.pk, late.pk]
    assert [r[9] for r in rows] == [0, 3]
