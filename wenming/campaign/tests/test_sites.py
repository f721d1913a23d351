"""Sites: the form and the Excel import say which coordinate system they
expect, and what is stored is WGS-84."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from wenming.campaign.excel import SITE_HEADERS
from wenming.campaign.models import Site, SiteCategory
from wenming.campaign.tests.factories import make_campaign, sheet
from wenming.core import geo

# 周口 五一广场 as 高德 shows it (GCJ-02), and the WGS-84 point it comes from.
WGS = (33.625400, 114.649600)
GCJ = geo.wgs84_to_gcj02(*WGS)


def _xlsx(rows):
    return sheet(SITE_HEADERS, rows, "sites.xlsx", content_type="image/jpeg")


@pytest.fixture
def setup(people):
    make_campaign(people["admin"])


def test_gcj02_round_trip_is_within_a_centimetre():
    lat, lng = geo.gcj02_to_wgs84(*GCJ)
    assert geo.distance_m(lat, lng, *WGS) < 0.01
    assert 300 < geo.distance_m(*GCJ, *WGS) < 700  # the offset is real
    assert geo.gcj02_to_wgs84(48.85, 2.35) == (48.85, 2.35)  # outside China: unchanged


def test_bd09_converts_through_gcj02():
    bd_lat, bd_lng = 33.631663, 114.662276
    lat, lng = geo.to_wgs84(bd_lat, bd_lng, geo.BD09)
    assert geo.distance_m(lat, lng, bd_lat, bd_lng) > 500


def test_site_form_converts_gcj02_and_says_so(client, people, world, setup):
    client.force_login(people["inspector"])
    page = client.get(reverse("campaign:site_new")).content.decode()
    assert "GCJ-02（高德地图、腾讯地图" in page and "平台统一保存为 WGS-84" in page
    response = client.post(reverse("campaign:site_new"), {
        "name": "五一广场", "category": SiteCategory.objects.get(name="公园广场").pk,
        "district": world["chuanhui"].pk, "responsible_unit": world["street"].pk,
        "address": "七一路", "is_active": "on", "coordinate_system": "gcj02",
        "lat": f"{GCJ[0]:.7f}", "lng": f"{GCJ[1]:.7f}"})
    assert response.status_code == 302
    site = Site.objects.get()
    assert geo.distance_m(site.lat, site.lng, *WGS) < 0.2


def test_site_import_is_all_or_nothing_and_names_rows(client, people, world, setup):
    client.force_login(people["inspector"])
    rows = [
        ["五一路农贸市场", "农贸市场", "川汇区", "川汇区/陈州回族街道", "五一路", GCJ[1], GCJ[0]],
        ["德化街", "背街小巷", "川汇区", "德化社区", "", None, None],
        ["坏点位", "飞机场", "川汇区", "川汇区", "", None, None],
        ["错单位", "学校", "川汇区", "不存在的局", "", None, None],
        ["柳湖小区", "居民小区", "德化社区", "淮阳区", "", 114.9, None],
    ]
    response = client.post(reverse("campaign:site_import"), {
        "file": _xlsx(rows), "coordinate_system": "gcj02"})
    # Imported in the background: the task page tells what came of it.
    page = client.get(response.url).content.decode()
    assert "失败" in page
    assert "第4行：点位类别“飞机场”应为" in page
    assert "第5行：找不到责任单位“不存在的局”" in page
    assert "第6行：“德化社区”不是县（市、区）" in page
    assert not Site.objects.exists()

    response = client.post(reverse("campaign:site_import"), {
        "file": _xlsx(rows[:2]), "coordinate_system": "gcj02"})
    assert response.status_code == 302
    assert "点位已导入：新增2个，更新0个。" in client.get(response.url).content.decode()
    market = Site.objects.get(name="五一路农贸市场")
    assert market.responsible_unit == world["street"] and market.district == world["chuanhui"]
    assert geo.distance_m(market.lat, market.lng, *WGS) < 0.2
    assert Site.objects.get(name="德化街").lat is None
    # Importing again updates instead of duplicating.
    client.post(reverse("campaign:site_import"), {"file": _xlsx(rows[:1]),
                                                   "coordinate_system": "wgs84"})
    assert Site.objects.count() == 2
    market.refresh_from_db()
    assert float(market.lat) == pytest.approx(GCJ[0], abs=1e-6)


def test_template_download(client, people, setup):
    client.force_login(people["inspector"])
    response = client.get(reverse("campaign:site_template"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == SITE_HEADERS
