"""The whole integration as people do it: the office's administrator
creates a key for the 12345 hotline, the hotline's script posts a report
with it (through Open311, for the office to take up, or straight into the
ledger as a problem), the office dispatches it, and the hotline receives
the signed webhook."""

import hashlib
import hmac

import pytest
import requests

from wenming.api.tests.factories import Hotline
from wenming.campaign.models import CitizenReport
from wenming.campaign.tests.factories import make_campaign
from wenming.conftest import browser_login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def hotline():
    server = Hotline()
    yield server
    server.close()


def test_key_report_dispatch_webhook(page, people, world, hotline):
    make_campaign(people["admin"])
    browser_login(page, "alice")
    page.get_by_text("您好").wait_for()
    page.goto(page.base_url + "/api/keys/")
    page.get_by_role("button", name="新建密钥").click()
    page.get_by_label("名称").fill("市12345热线平台")
    page.get_by_label("所属单位").select_option(label="川汇区")
    page.get_by_label("Open311 提交诉求").check()
    page.get_by_label("回调地址").fill(hotline.url)
    screenshot(page, "api-1-new-key")
    page.get_by_role("button", name="生成密钥").click()
    page.get_by_text("密钥只显示这一次").wait_for()
    screenshot(page, "api-2-key-shown-once")
    token = page.locator("#api-token").inner_text().strip()
    secret = page.locator("#webhook-secret").inner_text().strip()

    # The hotline's own script files a citizen's call.
    response = requests.post(f"{page.base_url}/campaign/open311/v2/requests.json", data={
        "api_key": token, "service_code": "env", "lat": "33.6255", "long": "114.6497",
        "description": "市民来电：五一路口垃圾桶满溢无人清运"}, timeout=10)
    assert response.status_code == 201
    code = response.json()[0]["service_request_id"]

    # The office takes it up and dispatches it to 川汇区.
    report = CitizenReport.objects.get(tracking_code=code)
    page.goto(f"{page.base_url}/campaign/reports/{report.pk}/")
    page.get_by_label("责任单位").select_option(label="川汇区")
    screenshot(page, "api-3-accept-report")
    page.get_by_role("button", name="受理").click()
    page.get_by_text("已受理，转为台账问题。").wait_for()

    # The webhook went out as the dispatch committed, before the page came back.
    payloads = hotline.payloads()
    assert [p["event"] for p in payloads] == ["problem.create", "problem.dispatch"]
    assert payloads[-1]["service_request_id"] == code
    assert payloads[-1]["status_notes"] == "已交川汇区整改。"
    headers, body = hotline.received[-1]
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Wenming-Signature"] == expected

    # The key's page shows the use and the deliveries.
    page.goto(page.base_url + "/api/keys/")
    page.get_by_role("link", name="市12345热线平台").click()
    page.get_by_text("已送达").first.wait_for()
    screenshot(page, "api-4-key-deliveries")


def test_hotline_files_problem_office_dispatches_webhook(page, people, world, hotline):
    make_campaign(people["admin"])
    browser_login(page, "alice")
    page.get_by_text("您好").wait_for()
    page.goto(page.base_url + "/api/keys/new/")
    page.get_by_label("名称").fill("市12345热线平台")
    page.get_by_label("所属单位").select_option(label="川汇区")
    page.get_by_label("读取问题台账").check()
    page.get_by_label("推送工单、登记问题").check()
    page.get_by_label("回调地址").fill(hotline.url)
    page.get_by_role("button", name="生成密钥").click()
    page.get_by_text("密钥只显示这一次").wait_for()
    token = page.locator("#api-token").inner_text().strip()
    secret = page.locator("#webhook-secret").inner_text().strip()

    # The hotline's script files a citizen's call straight into the ledger.
    api = f"{page.base_url}/api/ledger/problems"
    auth = {"Authorization": f"Bearer {token}"}
    call = {"external_id": "12345-20240110-0001", "service_code": "env",
            "description": "市民来电：五一路口垃圾桶满溢无人清运",
            "address": "五一路与七一路交叉口", "lat": 33.6255, "long": 114.6497}
    response = requests.post(api, json=call, headers=auth, timeout=10)
    assert response.status_code == 201 and response.json()["status"] == "found"
    problem_id = response.json()["id"]
    # Sent again (a retry after a timeout): the same problem.
    again = requests.post(api, json=call, headers=auth, timeout=10)
    assert again.status_code == 200 and again.json()["id"] == problem_id

    # The office finds it in the ledger and dispatches it.
    page.goto(f"{page.base_url}/campaign/problems/{problem_id}/")
    page.get_by_text("市12345热线平台推送（工单号 12345-20240110-0001）").wait_for()
    screenshot(page, "api-5-filed-problem")
    page.get_by_role("button", name="交办").click()
    page.get_by_text("已交办。").wait_for()
    screenshot(page, "api-6-filed-problem-dispatched")

    # The hotline was told, signed, and reads the timeline to tell the citizen.
    payloads = hotline.payloads()
    assert [p["event"] for p in payloads] == ["problem.create", "problem.dispatch"]
    assert payloads[-1]["external_id"] == "12345-20240110-0001"
    assert payloads[-1]["status_notes"] == "已交川汇区整改。"
    headers, body = hotline.received[-1]
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Wenming-Signature"] == expected
    timeline = requests.get(f"{api}/{problem_id}/timeline", headers=auth, timeout=10).json()
    assert [e["action"] for e in timeline] == ["create", "dispatch"]
