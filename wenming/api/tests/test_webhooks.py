"""When a problem made from an integrator's report changes status, the
integrator's webhook gets a signed POST right after the change commits; a
failed post is retried with backoff by `wenming webhooks deliver`, and each
delivery is logged. The hotline is a real HTTP server on 127.0.0.1."""

import hashlib
import hmac
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from wenming.api.models import WebhookDelivery
from wenming.api.services import file_problem, submit_external_report
from wenming.api.tests.factories import Hotline, make_key
from wenming.campaign import citizen, services
from wenming.campaign.models import CitizenReport
from wenming.campaign.tests.factories import make_campaign


@pytest.fixture
def hotline():
    server = Hotline()
    yield server
    server.close()


def _report(key, external_id="12345-0001"):
    return submit_external_report(key, external_id=external_id, service_code="env",
                                  description="人民路菜市场门口垃圾堆积", lat="33.6255",
                                  lng="114.6497")


def _accept(people, world, report, capture):
    make_campaign(people["admin"])
    with capture(execute=True):
        citizen.accept_report(people["inspector"], report, responsible_unit=world["chuanhui"])
    return CitizenReport.objects.get(pk=report.pk).problem


def test_dispatch_posts_signed_webhook(people, world, hotline,
                                       django_capture_on_commit_callbacks):
    key, _, secret = make_key(people, world, webhook_url=hotline.url)
    problem = _accept(people, world, _report(key), django_capture_on_commit_callbacks)
    payloads = hotline.payloads()
    assert [p["event"] for p in payloads] == ["problem.create", "problem.dispatch"]
    last = payloads[-1]
    assert last["external_id"] == "12345-0001" and last["problem_id"] == problem.pk
    assert last["status"] == "dispatched" and last["status_label"] == "整改中"
    assert last["open311_status"] == "open" and last["status_notes"] == "已交川汇区整改。"
    headers, body = hotline.received[-1]
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-Wenming-Signature"], expected)
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}
    assert WebhookDelivery.objects.filter(response_code=200, attempts=1).count() == 2

    # Closing it later is told too.
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_problem(people["inspector"], problem, reason="经核实为重复上报")
    assert hotline.payloads()[-1]["status"] == "cancelled"
    assert hotline.payloads()[-1]["open311_status"] == "closed"


def test_failed_delivery_is_retried_with_backoff(people, world, hotline,
                                                 django_capture_on_commit_callbacks):
    hotline.status = 500
    key, _, _ = make_key(people, world, webhook_url=hotline.url)
    _accept(people, world, _report(key), django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.order_by("id").last()
    assert delivery.status == "pending" and delivery.attempts == 1
    assert delivery.response_code == 500
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=50)

    # Not due yet: the cron job leaves it alone.
    call_command("webhooks", "deliver", stdout=StringIO())
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and len(hotline.received) == 2

    hotline.status = 204
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    out = StringIO()
    call_command("webhooks", "deliver", stdout=out)
    assert "送达 2 条" in out.getvalue()
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 2
    # Delivered is delivered: running again sends nothing.
    call_command("webhooks", "deliver", stdout=StringIO())
    assert len(hotline.received) == 4


def test_unreachable_hotline_is_given_up_after_the_last_attempt(
        people, world, django_capture_on_commit_callbacks):
    closed = Hotline()
    url = closed.url
    closed.close()
    key, _, _ = make_key(people, world, webhook_url=url)
    _accept(people, world, _report(key), django_capture_on_commit_callbacks)
    for _ in range(10):
        WebhookDelivery.objects.update(next_attempt_at=timezone.now())
        call_command("webhooks", "deliver", stdout=StringIO())
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"failed"}
    assert set(WebhookDelivery.objects.values_list("attempts", flat=True)) == {8}
    assert WebhookDelivery.objects.exclude(last_error="").count() == 2


def test_other_problems_send_nothing(people, world, hotline,
                                     django_capture_on_commit_callbacks):
    make_key(people, world, webhook_url=hotline.url)
    report = citizen.submit_report(service_code="env", description="无密钥上报",
                                   address="人民路")
    _accept(people, world, report, django_capture_on_commit_callbacks)
    assert hotline.received == [] and not WebhookDelivery.objects.exists()


def test_declined_report_is_told_once(people, world, hotline,
                                      django_capture_on_commit_callbacks):
    key, _, _ = make_key(people, world, webhook_url=hotline.url)
    report = _report(key)
    with django_capture_on_commit_callbacks(execute=True):
        citizen.reject_report(people["inspector"], report, reason="不属于文明创建范围")
    assert [p["event"] for p in hotline.payloads()] == ["report.rejected"]
    payload = hotline.payloads()[0]
    assert payload["external_id"] == "12345-0001" and payload["problem_id"] is None
    assert payload["open311_status"] == "closed"
    assert payload["status_notes"] == "不予受理：不属于文明创建范围"
    # Saving the report again tells nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        CitizenReport.objects.get(pk=report.pk).save()
    assert len(hotline.received) == 1 and WebhookDelivery.objects.count() == 1


def test_problem_filed_by_a_key_posts_its_status_changes(people, world, hotline,
                                                         django_capture_on_commit_callbacks):
    make_campaign(people["admin"])
    key, _, secret = make_key(people, world, webhook_url=hotline.url)
    with django_capture_on_commit_callbacks(execute=True):
        problem, created = file_problem(key, external_id="12345-0009", service_code="env",
                                        description="五一路口垃圾桶满溢", address="五一路口")
    assert created
    with django_capture_on_commit_callbacks(execute=True):
        services.dispatch_problem(people["inspector"], problem, unit=world["street"])
    payloads = hotline.payloads()
    assert [p["event"] for p in payloads] == ["problem.create", "problem.dispatch"]
    assert payloads[0]["status"] == "found" and payloads[0]["status_notes"] == "已受理，正在交办。"
    last = payloads[-1]
    assert last["external_id"] == "12345-0009" and last["problem_id"] == problem.pk
    assert last["service_request_id"] == "" and last["status"] == "dispatched"
    assert last["status_notes"] == "已交陈州回族街道整改。"
    headers, body = hotline.received[-1]
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-Wenming-Signature"], expected)


def test_a_stopped_key_hears_nothing_more(people, world, hotline,
                                          django_capture_on_commit_callbacks):
    from wenming.api.services import revoke_key

    make_campaign(people["admin"])
    key, _, _ = make_key(people, world, webhook_url=hotline.url)
    hotline.status = 500  # the first post fails and waits for its retry
    with django_capture_on_commit_callbacks(execute=True):
        problem, _ = file_problem(key, external_id="12345-0010", service_code="env",
                                  description="五一路口垃圾桶满溢", address="五一路口")
    revoke_key(people["admin"], key)
    hotline.status = 200
    with django_capture_on_commit_callbacks(execute=True):
        services.dispatch_problem(people["inspector"], problem, unit=world["street"])
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    call_command("webhooks", "deliver", stdout=StringIO())
    # Only the post made before the key was stopped reached the hotline.
    assert len(hotline.received) == 1
    [pending] = WebhookDelivery.objects.all()
    assert pending.status == "failed" and "已停用" in pending.last_error

