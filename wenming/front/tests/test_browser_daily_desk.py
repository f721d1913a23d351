"""The daily desk in a browser: the approver's day from the to-dos to the
审批单, and every page each role reaches by links fitting a 375 px phone."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from wenming.accounts import roles
from wenming.accounts.demo import DEMO_PASSWORD
from wenming.briefings import services
from wenming.briefings.models import Issue
from wenming.briefings.tests.factories import make_series, small_issue
from wenming.conftest import browser_login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_approvers_day_from_todos_to_the_approval_sheet(page, people):
    issue = small_issue(people["editor"], make_series(people["editor"]))
    services.submit_for_review(people["editor"], issue)

    browser_login(page, "adam")
    page.get_by_text("您好").wait_for()
    page.locator(".site-header .todo-badge:not(.inbox-badge) .badge").get_by_text("1").wait_for()
    todo = page.locator("#todos").get_by_role("link", name="待签发的简报")
    screenshot(page, "desk-1-approver-todos")
    todo.click()
    page.get_by_role("link", name="《周口精神文明建设》2024年第1期").first.click()

    page.get_by_label("签发意见").fill("同意印发，请各县区认真学习。")
    page.get_by_role("button", name="签发", exact=True).click()
    page.get_by_text("已签发。").wait_for()
    assert page.locator("details.history").get_by_text("同意印发，请各县区认真学习。").count()
    screenshot(page, "desk-2-signed-off-with-history")

    with page.expect_popup() as popup:
        page.get_by_role("link", name="审批单（PDF）").click()
    assert popup.value.url.endswith(reverse("briefings:approval_sheet", args=[issue.pk]))
    response = page.request.get(popup.value.url)
    assert response.headers["content-type"] == "application/pdf"
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SIGNED_OFF
    assert issue.sign_off_opinion == "同意印发，请各县区认真学习。"

    # Back on the home page nothing waits any more.
    page.goto(page.base_url + "/")
    page.get_by_text("暂无待办事项").wait_for()


def test_deleting_an_article_asks_first(page, people):
    issue = small_issue(people["editor"], make_series(people["editor"]))
    browser_login(page, "emma")
    page.goto(page.base_url + reverse("briefings:issue_detail", args=[issue.pk]))
    delete = page.get_by_role("button", name="删除 全市召开文明城市创建调度会")
    assert delete.evaluate("b => getComputedStyle(b).color") != "rgb(255, 255, 255)"
    screenshot(page, "desk-3-article-buttons")
    page.once("dialog", lambda dialog: dialog.dismiss())
    delete.click()
    page.wait_for_timeout(300)
    assert issue.articles.count() == 2
    page.once("dialog", lambda dialog: dialog.accept())
    delete.click()
    page.get_by_text("已删除").first.wait_for()
    assert issue.articles.count() == 1


# Not pages to look at: downloads, signing out, the admin, machine endpoints.
_SKIP = re.compile(r"\.(pdf|xlsx|docx|jpg|jpeg|png|txt|json|xml|zip|csv)$|/file\.|/logout|"
                   r"^/admin/|^/api/|/open311/|^/static/|^/media/")
# A bound, not a target: the demo gives each role fewer kinds of page than this.
PAGES_PER_ROLE = 200


def _shape(path):
    """One visit per kind of page: /campaign/problems/12/ and /13/ look alike."""
    return re.sub(r"/[A-Za-z0-9_:-]*\d[A-Za-z0-9_:-]*(?=/|$)", "/N", path)


def _crawl(page, overflowing, who):
    """Every page `who` reaches by links from the home page, one per kind,
    bounded; a page wider than the phone is noted with a screenshot."""
    queue, seen = ["/"], {"/"}
    visited = 0
    while queue and visited < PAGES_PER_ROLE:
        url = queue.pop(0)
        # The stylesheets are in by DOMContentLoaded (the deferred scripts wait
        # for them); images and the rest do not change the width.
        response = page.goto(page.base_url + url, wait_until="domcontentloaded")
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        visited += 1
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width[0] > width[1]:
            overflowing.append(f"{who} {url} {width}")
            screenshot(page, f"overflow-{who}-{_shape(url).strip('/').replace('/', '-')}")
        for href in page.eval_on_selector_all(
                "a[href]", "as => as.map(a => new URL(a.getAttribute('href'), location.href).href)"):
            parts = urlsplit(href)
            if f"{parts.scheme}://{parts.netloc}" != page.base_url:
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            key = _shape(parts.path)
            if _SKIP.search(parts.path) or key in seen:
                continue
            seen.add(key)
            queue.append(path)
    return visited


def test_no_page_is_wider_than_a_phone(page):
    # A transactional test starts without the role groups the migrations made.
    for name in roles.ALL:
        Group.objects.get_or_create(name=name)
    call_command("demo", no_serve=True)
    overflowing, visits = [], {}
    # Office staff, editor, approver, a unit's liaison, the public.
    for username in ("admin", "editor", "approver", "chuanhui", None):
        page.context.clear_cookies()
        if username:
            browser_login(page, username, DEMO_PASSWORD)
            page.get_by_text("您好").wait_for()
        visits[username or "public"] = _crawl(page, overflowing, username or "public")
    screenshot(page, "desk-4-last-page-375")
    # The crawl went deep: more than the menu (about 30 entries for the office).
    assert visits["admin"] > 60 and visits["public"] > 10, visits
    assert overflowing == []


_HEADER_ITEMS = """() => [...document.querySelectorAll(
    '.site-header .brand, .site-header .todo-slot, .desktop-nav summary, ' +
    '.desktop-nav > ul > li > a, .desktop-user > li')]
  .map(e => { const r = e.getBoundingClientRect();
              return {text: e.innerText.trim().slice(0, 12), x: r.x, y: r.y,
                      right: r.right, bottom: r.bottom}; })"""


@pytest.mark.parametrize("width", [1024, 1280, 1440])
def test_header_items_never_overlap_on_desktop_widths(page, people, width):
    # The administrator has every menu group, both badges and the longest
    # user line (name, unit and roles).
    page.set_viewport_size({"width": width, "height": 800})
    browser_login(page, "alice")
    page.get_by_text("您好").wait_for()
    page.locator(".site-header .inbox-badge").wait_for()
    if width == 1280:
        screenshot(page, "header-1280")
    items = page.evaluate(_HEADER_ITEMS)
    assert any(i["text"] == "系统" for i in items) and any("王管理" in i["text"] for i in items)
    header = page.locator(".site-header").bounding_box()
    for n, a in enumerate(items):
        assert a["right"] <= width + 0.5, a
        assert a["bottom"] <= header["y"] + header["height"] + 0.5, a
        for b in items[n + 1:]:
            apart = (a["right"] <= b["x"] + 0.5 or b["right"] <= a["x"] + 0.5
                     or a["bottom"] <= b["y"] + 0.5 or b["bottom"] <= a["y"] + 0.5)
            assert apart, (a, b)
