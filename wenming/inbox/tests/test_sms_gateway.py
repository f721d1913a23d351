"""短信 through the gateway set in settings. The gateway is a local HTTP
server in a thread: it sees the JSON payload with its HMAC signature; a
500 is tried again after a pause; a sent message is never sent again.
Citizens who left a mobile on a 随手拍 hear of each status change."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from wenming.campaign import citizen
from wenming.campaign import services as campaign
from wenming.campaign.tests.factories import dispatched, jpeg, make_campaign, make_site, upload
from wenming.campaign.tick import run_tick
from wenming.inbox import sms
from wenming.inbox.models import Preference, TextMessage

SECRET = "gateway-secret"


class Gateway:
    def __init__(self):
        self.received, self.codes = [], []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.received.append((dict(self.headers), body))
                code = gateway.codes.pop(0) if gateway.codes else 200
                self.send_response(code)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(settings):
    g = Gateway()
    settings.WENMING_SMS_BACKEND, settings.WENMING_SMS_URL = "http", g.url
    settings.WENMING_SMS_SECRET = SECRET
    yield g
    g.close()


@pytest.fixture
def liaison_with_sms(people):
    bob = people["liaison"]
    bob.phone = "13800000001"
    bob.save()
    Preference.objects.create(user=bob, sms=True)
    return bob


def _dispatch(people, world):
    make_campaign(people["admin"])
    return dispatched(people, make_site(people["admin"], world))


def test_liaison_who_chose_sms_gets_it_signed_and_once(gateway, liaison_with_sms, people, world):
    problem = _dispatch(people, world)
    totals = run_tick()
    assert totals["sms_sent"] == 1 and totals["sms_failed"] == 0
    headers, body = gateway.received[0]
    payload = json.loads(body)
    assert payload["mobile"] == "13800000001"
    assert payload["text"].startswith(f"【文明办】新交办问题：{problem}")
    assert payload["id"] == f"wenming-sms-{TextMessage.objects.get().pk}"
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Wenming-Signature"] == expected
    assert headers["Content-Type"].startswith("application/json")
    run_tick()
    assert len(gateway.received) == 1
    assert TextMessage.objects.get().status == TextMessage.Status.SENT


def test_a_500_is_tried_again_after_a_pause_then_sent_once(gateway, liaison_with_sms, people,
                                                            world):
    _dispatch(people, world)
    gateway.codes = [500]
    assert run_tick()["sms_failed"] == 1
    text = TextMessage.objects.get()
    assert text.status == TextMessage.Status.PENDING and text.last_error == "HTTP 500"
    assert text.attempts == 1 and text.next_attempt_at > timezone.now()
    run_tick()  # not due yet
    assert len(gateway.received) == 1
    TextMessage.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert run_tick()["sms_sent"] == 1
    TextMessage.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    run_tick()
    assert len(gateway.received) == 2
    bodies = {json.loads(b)["id"] for _, b in gateway.received}
    assert len(bodies) == 1  # the same id on the retry: the gateway may drop a repeat


def test_gives_up_after_the_last_attempt(gateway, liaison_with_sms, people, world):
    _dispatch(people, world)
    gateway.codes = [503] * sms.MAX_ATTEMPTS
    for _ in range(sms.MAX_ATTEMPTS):
        TextMessage.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        run_tick()
    text = TextMessage.objects.get()
    assert text.status == TextMessage.Status.FAILED and text.attempts == sms.MAX_ATTEMPTS
    TextMessage.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    run_tick()
    assert len(gateway.received) == sms.MAX_ATTEMPTS


def test_unreachable_gateway_is_a_failure_not_a_crash(settings, liaison_with_sms, people, world):
    settings.WENMING_SMS_BACKEND, settings.WENMING_SMS_URL = "http", "http://127.0.0.1:9/x"
    _dispatch(people, world)
    assert run_tick()["sms_failed"] == 1


def test_a_wrong_setting_keeps_the_messages_waiting(settings, liaison_with_sms, people, world,
                                                    caplog):
    settings.WENMING_SMS_BACKEND, settings.WENMING_SMS_URL = "http", ""
    _dispatch(people, world)
    assert run_tick()["sms_sent"] == 0
    assert TextMessage.objects.get().status == TextMessage.Status.PENDING
    assert "WENMING_SMS_URL" in caplog.text
    settings.WENMING_SMS_BACKEND = "no.such.Gateway"
    run_tick()
    assert TextMessage.objects.get().status == TextMessage.Status.PENDING


def test_no_gateway_configured_sends_nothing_and_logs(settings, liaison_with_sms, people, world,
                                                       caplog):
    settings.WENMING_SMS_BACKEND = "none"
    _dispatch(people, world)
    with caplog.at_level("INFO", logger="wenming.inbox.sms"):
        run_tick()
    assert TextMessage.objects.get().status == TextMessage.Status.SKIPPED
    assert "not sent" in caplog.text


sent_by_custom = []


class CustomGateway:
    """A vendor's gateway as a deployment would plug it in."""

    sends = True

    def send(self, mobile, text, message_id):
        sent_by_custom.append((mobile, message_id))


def test_a_backend_of_ones_own_by_dotted_path(settings, liaison_with_sms, people, world):
    settings.WENMING_SMS_BACKEND = f"{__name__}.CustomGateway"
    sent_by_custom.clear()
    _dispatch(people, world)
    run_tick()
    run_tick()
    assert [m for m, _ in sent_by_custom] == ["13800000001"]


def test_nobody_gets_sms_without_choosing_it(gateway, people, world):
    people["liaison"].phone = "13800000001"
    people["liaison"].save()
    _dispatch(people, world)
    run_tick()
    assert not TextMessage.objects.exists() and gateway.received == []


def _report(phone="13912345678"):
    return citizen.submit_report(service_code="env", description="七一路垃圾堆积",
                                 address="七一路", contact_phone=phone, ip="10.0.0.9")


def test_citizen_hears_each_status_change_once(client, gateway, people, world):
    make_campaign(people["admin"])
    site = make_site(people["admin"], world)
    report = _report()
    report = citizen.accept_report(people["inspector"], report,
                                   responsible_unit=world["chuanhui"], site=site)
    problem = report.problem
    campaign.submit_rectification(people["liaison"], problem, text="已清理",
                                  photos=[_photo()])
    campaign.verify_problem(people["inspector"], problem, note="已清理干净")
    run_tick()
    run_tick()
    texts = [json.loads(b) for _, b in gateway.received]
    assert [t["mobile"] for t in texts] == ["13912345678"] * 3
    assert "已受理" in texts[0]["text"] and report.tracking_code in texts[0]["text"]
    assert "已整改，等待文明办复查" in texts[1]["text"]
    assert "整改完毕" in texts[2]["text"] and report.tracking_code in texts[2]["text"]
    # The number is shown nowhere public.
    page = client.get(reverse("campaign:report_status", args=[report.tracking_code]))
    assert "13912345678" not in page.content.decode()
    assert "1391234" not in page.content.decode()


def test_rejected_report_is_told_and_no_phone_no_sms(gateway, people):
    report = citizen.reject_report(people["inspector"], _report(), reason="重复反映")
    quiet = citizen.reject_report(people["inspector"], _report(phone=""), reason="重复反映")
    run_tick()
    texts = [json.loads(b)["text"] for _, b in gateway.received]
    assert len(texts) == 1 and "不予受理：重复反映" in texts[0] and report.tracking_code in texts[0]
    assert not TextMessage.objects.filter(recipient=f"report:{quiet.pk}").exists()


def test_landlines_get_nothing_and_country_codes_are_dropped(people):
    landline = citizen.reject_report(people["inspector"], _report(phone="0394-8888888"),
                                     reason="重复反映")
    mobile = citizen.reject_report(people["inspector"], _report(phone="+86 139-1234-5678"),
                                   reason="重复反映")
    assert not TextMessage.objects.filter(recipient=f"report:{landline.pk}").exists()
    assert TextMessage.objects.get(recipient=f"report:{mobile.pk}").mobile == "13912345678"


def _photo():
    return upload(jpeg("green"))


def test_the_sms_command_sends_what_is_due(gateway, liaison_with_sms, people, world):
    _dispatch(people, world)
    out = StringIO()
    call_command("sms", "send", stdout=out)
    call_command("sms", "send", stdout=StringIO())
    assert "短信发送成功 1 条" in out.getvalue() and len(gateway.received) == 1


def test_the_delivery_log_shows_status_and_masks_the_number(client, settings, liaison_with_sms,
                                                            people, world):
    settings.WENMING_SMS_BACKEND = "none"
    _dispatch(people, world)
    run_tick()
    people["admin"].is_staff = people["admin"].is_superuser = True
    people["admin"].save()
    client.force_login(people["admin"])
    page = client.get(reverse("admin:inbox_textmessage_changelist")).content.decode()
    assert "138****0001" in page and "13800000001" not in page
    assert "未发送（未配置短信网关）" in page
