"""The wall screen at 1920×1080 opened by its kiosk link, and the office's
problem map on a local tile server and as the districts' schematic."""

import io
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from wenming.campaign import services as campaign_services
from wenming.campaign.models import Problem
from wenming.campaign.tests.factories import (
    dispatched,
    jpeg,
    make_campaign,
    make_problem,
    make_site,
    submitted,
)
from wenming.conftest import browser_login, screenshot
from wenming.scoring import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# An image's width once it has loaded (wait_for_function would eval, which the CSP forbids).
_LOADED_WIDTH = ("i => i.complete ? i.naturalWidth : new Promise(r => "
                 "i.addEventListener('load', () => r(i.naturalWidth)))")


def _tile(z, x, y):
    image = Image.new("RGB", (256, 256), "#eef2e6")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, 255, 255], outline="#b9c4a8")
    draw.line([0, 128, 255, 128], fill="#ffffff", width=6)
    draw.text((8, 8), f"{z}/{x}/{y}", fill="#889")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def tile_server():
    """The office's tile server, outside the app: a local HTTP server."""
    asked = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            asked.append(self.path)
            z, x, y = (int(p) for p in self.path.strip("/").removesuffix(".png").split("/"))
            body = _tile(z, x, y)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/{{z}}/{{x}}/{{y}}.png", asked
    server.shutdown()


def _ledger(people, world):
    make_campaign(people["admin"])
    sites = [make_site(people["admin"], world),
             make_site(people["admin"], world, name="德化小区", category="居民小区",
                       lat=33.6190, lng=114.6380),
             make_site(people["admin"], world, name="柳湖市场", district="huaiyang",
                       unit="huaiyang", lat=33.7300, lng=114.8800)]
    late = dispatched(people, sites[0])
    Problem.objects.filter(pk=late.pk).update(deadline=timezone.now() - timedelta(days=1))
    dispatched(people, sites[1])
    make_problem(people["inspector"], sites[2])
    for _ in range(2):
        problem = submitted(people, sites[0])
        campaign_services.verify_problem(people["inspector"], problem)
    # The after-photos should look like photos on the screen.
    for photo in Problem.objects.filter(status="closed").first().photos.filter(stage="after"):
        photo.image.save(photo.image.name.rsplit("/", 1)[-1], io.BytesIO(
            jpeg("seagreen", size=(400, 300))))


def test_wall_screen_by_its_kiosk_link_at_1920(page, people, world, settings, tile_server):
    settings.WENMING_MAP_TILES, asked = tile_server
    settings.WENMING_CITY_NAME = "周口市"
    _ledger(people, world)
    _, token = services.create_kiosk(people["admin"], name="指挥部大厅大屏")
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(page.base_url + reverse("scoring:kiosk_screen", args=[token]))
    page.get_by_text("最新整改销号").wait_for()
    assert page.locator("#kpi-overdue").inner_text() == "1"
    assert page.locator("#kpi-open").inner_text() == "3"
    # The clock ticks: the script replaced the server's HH:MM with the date and seconds.
    expect(page.locator("#kiosk-clock")).to_contain_text("月")
    assert asked, "the browser fetched the tiles from the configured server"
    assert page.locator(".kiosk-latest img").first.evaluate(_LOADED_WIDTH) > 0
    # No site menu, and it fits the screen without scrolling sideways.
    assert page.locator(".site-header").count() == 0
    # A wall screen never scrolls: it fits 1920×1080 both ways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1920
    assert page.evaluate("document.documentElement.scrollHeight") <= 1080
    screenshot(page, "kiosk-1920x1080")


def test_wall_screen_refreshes_itself_and_outlives_a_failed_answer(page, people, world,
                                                                    monkeypatch):
    from wenming.scoring import views

    _ledger(people, world)
    monkeypatch.setattr(views, "KIOSK_REFRESH_SECONDS", 1)
    screen, token = services.create_kiosk(people["admin"], name="大厅")
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(page.base_url + reverse("scoring:kiosk_screen", args=[token]))
    assert page.locator("#kpi-open").inner_text() == "3"
    # The server fails for a while: the last figures stay up.
    page.route("**/scoring/kiosk/**", lambda route: route.fulfill(status=502, body="bad gateway"))
    page.wait_for_timeout(2500)
    assert page.locator("#kpi-open").inner_text() == "3"
    page.unroute("**/scoring/kiosk/**")
    make_problem(people["inspector"], Problem.objects.first().site, code="2.1.1")
    expect(page.locator("#kpi-open")).to_have_text("4", timeout=15000)
    assert page.locator(".kiosk-body").count() == 1


def test_problem_map_on_tiles_and_as_a_schematic(page, people, world, settings, tile_server):
    _ledger(people, world)
    browser_login(page, "victor")
    page.get_by_text("您好").wait_for()
    page.set_viewport_size({"width": 1280, "height": 900})

    settings.WENMING_MAP_TILES, asked = tile_server
    page.goto(page.base_url + reverse("campaign:problem_map"))
    page.locator(".problem-map svg image").first.wait_for(state="attached")
    page.wait_for_timeout(500)
    assert asked and page.locator(".problem-map circle").count() >= 3
    screenshot(page, "problem-map-tiles")

    settings.WENMING_MAP_TILES = ""
    page.goto(page.base_url + reverse("campaign:problem_map"))
    page.get_by_text("未配置地图服务").wait_for()
    screenshot(page, "problem-map-schematic")
    page.locator(".problem-map a").filter(has_text="淮阳区").click()
    page.wait_for_url(f"**/campaign/?district={world['huaiyang'].pk}")
    page.get_by_text("柳湖市场").first.wait_for()
