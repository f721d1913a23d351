from datetime import date, timedelta

import pytest

from wenming.activities.tests.factories import jpeg_bytes
from wenming.conftest import browser_login, screenshot
from wenming.honors.models import HonorRoll, Nomination
from wenming.honors.tests.factories import make_roll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, username):
    page.context.clear_cookies()
    browser_login(page, username)
    page.get_by_text("您好").wait_for()


def test_from_public_nomination_to_the_published_roll(page, people, world, settings, tmp_path):
    # A person fills the form faster than a script could be told apart in a test.
    settings.WENMING_PUBLIC_FORM_MIN_SECONDS = 0
    roll = make_roll(people, panel=[people["approver"]],
                     nominations_close_on=date.today() + timedelta(days=20))
    photo = tmp_path / "好人.jpg"
    photo.write_bytes(jpeg_bytes((600, 800), colour=(180, 60, 60)))

    # A citizen nominates a neighbour from a phone, without an account.
    page.goto(page.base_url + "/honors/public/")
    page.get_by_role("link", name="推荐人选：2023年下半年“周口好人榜”").click()
    page.get_by_label("被推荐人所在县（市、区）").select_option(label="川汇区")
    page.get_by_label("推荐类别").select_option(label="助人为乐")
    page.get_by_label("被推荐人姓名").fill("刘好人")
    page.get_by_label("被推荐人联系电话").fill("13812345678")
    page.get_by_label("工作单位及身份").fill("川汇区德化社区居民")
    page.get_by_label("简要事迹").fill("十年如一日义务为社区老人理发。")
    page.get_by_label("事迹材料").fill("刘好人每周六在社区为老人义务理发。\n十年来服务老人三千余人次。")
    page.get_by_label("照片").set_input_files(str(photo))
    page.locator("#id_nominator_name").fill("邻居老张")
    page.get_by_label("推荐人电话").fill("13987654321")
    screenshot(page, "honors-1-public-nominates-phone")
    page.get_by_role("button", name="提交推荐").click()
    page.get_by_text("推荐已提交").wait_for()
    nomination = Nomination.objects.get()
    assert nomination.source == "public" and nomination.area == world["chuanhui"]

    # The 川汇区 office verifies it, on a phone.
    _login(page, "bob")
    page.goto(page.base_url + f"/honors/nominations/{nomination.pk}/")
    page.get_by_label("意见").fill("经社区走访，事迹属实。")
    screenshot(page, "honors-2-district-verifies-phone")
    page.get_by_role("button", name="核实属实").click()
    page.get_by_text("已核实，转入评议").wait_for()

    # The panel member votes.
    _login(page, "adam")
    page.goto(page.base_url + "/honors/")
    page.get_by_role("link", name="刘好人").click()
    page.get_by_label("同意", exact=True).check()
    page.get_by_role("button", name="提交评议").click()
    page.get_by_text("评议意见已记录").wait_for()

    # The office concludes the review and puts the roll on public notice.
    page.set_viewport_size({"width": 1280, "height": 900})
    _login(page, "emma")
    page.goto(page.base_url + f"/honors/rolls/{roll.pk}/")
    page.get_by_role("button", name="结束评议").click()
    page.get_by_text("评议已结束").wait_for()
    page.get_by_label("公示开始").fill(date.today().isoformat())
    page.get_by_label("公示截止").fill((date.today() + timedelta(days=6)).isoformat())
    page.get_by_role("button", name="发布公示").click()
    page.get_by_text("已进入公示").wait_for()
    screenshot(page, "honors-3-office-roll-on-notice")

    # The public reads the notice on a phone.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(page.base_url + "/honors/public/")
    page.get_by_role("link", name="2023年下半年“周口好人榜”拟入选人物公示").click()
    page.get_by_text("十年如一日义务为社区老人理发").wait_for()
    screenshot(page, "honors-4-public-notice-phone")

    # A week later the notice has ended; the approver publishes.
    HonorRoll.objects.filter(pk=roll.pk).update(
        notice_starts_on=date.today() - timedelta(days=8),
        notice_ends_on=date.today() - timedelta(days=2))
    page.set_viewport_size({"width": 1280, "height": 900})
    _login(page, "adam")
    page.goto(page.base_url + f"/honors/rolls/{roll.pk}/")
    page.get_by_role("button", name="发布好人榜").click()
    page.get_by_text("好人榜已发布").wait_for()

    # The published roll: web page and PDF, with no phone number anywhere.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(page.base_url + "/honors/public/")
    page.get_by_role("link", name="2023年下半年“周口好人榜”").click()
    page.get_by_role("heading", name="周口好人榜").wait_for()
    page.get_by_role("img", name="刘好人").wait_for()
    html = page.content()
    assert "刘好人" in html and "13812345678" not in html and "13987654321" not in html
    screenshot(page, "honors-5-published-roll-phone")
    pdf_url = page.get_by_role("link", name="下载 PDF").get_attribute("href")
    response = page.request.get(page.base_url + pdf_url)
    assert response.ok and response.headers["content-type"] == "application/pdf"
