"""The problem map: open problems by site on the configured tile server,
or a schematic of districts linking to the ledger when none is set."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from wenming.campaign.models import Problem
from wenming.campaign.tests.factories import dispatched, make_campaign, make_problem, make_site
from wenming.core import geo, maps

TILES = "https://tiles.example.gov.cn/vec/{z}/{x}/{y}.png?tk=KEY"


def _world(people, world):
    make_campaign(people["admin"])
    site = make_site(people["admin"], world)
    far = make_site(people["admin"], world, name="柳湖市场", district="huaiyang",
                    unit="huaiyang", lat=33.7300, lng=114.8800)
    late = dispatched(people, site)
    Problem.objects.filter(pk=late.pk).update(deadline=timezone.now() - timedelta(days=1))
    make_problem(people["inspector"], far)
    return site, far


def test_tiles_cover_the_sites_and_the_points_land_on_them():
    points = [(33.6254, 114.6496), (33.73, 114.88)]
    box = maps.layout("https://t/{z}/{x}/{y}.png", points, 960, 600)
    assert 8 <= box.zoom <= 12
    for lat, lng in points:
        x, y = box.place(lat, lng)
        assert 40 <= x <= 920 and 40 <= y <= 560
    # Every pixel of the box is under some tile.
    assert min(x for _, x, _ in box.tiles) <= 0 and min(y for _, _, y in box.tiles) <= 0
    assert max(x for _, x, _ in box.tiles) + 256 >= 960
    assert max(y for _, _, y in box.tiles) + 256 >= 600
    # A GCJ-02 base map gets the points shifted by the offset (some hundred metres).
    gcj = maps.layout("https://t/{z}/{x}/{y}.png", points, 960, 600, datum=geo.GCJ02)
    assert gcj.place(*points[0]) != box.place(*points[0])


def test_map_on_the_configured_tile_server(client, people, world, settings):
    settings.WENMING_MAP_TILES = TILES
    settings.WENMING_MAP_ATTRIBUTION = "审图号：GS(2024)0001号"
    _world(people, world)
    client.force_login(people["viewer"])
    response = client.get(reverse("campaign:problem_map"))
    html = response.content.decode()
    assert response.status_code == 200
    tiles = re.findall(r'<image href="([^"]+)"', html)
    assert tiles and all(t.startswith("https://tiles.example.gov.cn/vec/") for t in tiles)
    assert "&amp;tk=KEY" in html or "?tk=KEY" in html
    # The CSP lets this page, and only the tile server, load the tiles.
    assert "img-src 'self' data: blob: https://tiles.example.gov.cn" in \
        response["Content-Security-Policy"]
    assert "五一路农贸市场：未销号1个（逾期1）" in html
    assert "柳湖市场：未销号1个（待交办1）" in html
    assert html.count("<circle") >= 2 and "GS(2024)0001" in html
    assert "tiles.example" not in client.get(reverse("home"))["Content-Security-Policy"]


def test_schematic_of_districts_without_a_tile_server(client, people, world, settings):
    settings.WENMING_MAP_TILES = ""
    _world(people, world)
    client.force_login(people["inspector"])
    html = client.get(reverse("campaign:problem_map")).content.decode()
    assert "<image" not in html and "未配置地图服务" in html
    ledger = reverse("campaign:problem_list")
    assert f'href="{ledger}?district={world["chuanhui"].pk}"' in html
    assert "未销号 1 · 逾期 1" in html  # 川汇区
    assert "未销号 1 · 逾期 0" in html  # 淮阳区
    # The link leads to that district's part of the ledger.
    page = client.get(f"{ledger}?district={world['huaiyang'].pk}").content.decode()
    assert "柳湖市场" in page and "五一路农贸市场" not in page


def test_liaisons_do_not_see_the_citywide_map(client, people, world):
    _world(people, world)
    client.force_login(people["liaison"])
    assert client.get(reverse("campaign:problem_map")).status_code == 403


def test_tile_server_but_no_located_site_falls_back_to_the_schematic(client, people, world,
                                                                       settings):
    settings.WENMING_MAP_TILES = TILES
    make_campaign(people["admin"])
    site = make_site(people["admin"], world, lat=None, lng=None)
    make_problem(people["inspector"], site)
    client.force_login(people["admin"])
    html = client.get(reverse("campaign:problem_map")).content.decode()
    assert "<image" not in html and "未销号 1 · 逾期 0" in html and "还没有坐标" in html
