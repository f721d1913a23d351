"""What every public form shares: the sender's address behind proxies, the
signed form token, the honeypot and the hourly limit per address. Each
app's tests send its own forms end to end."""

import time
from datetime import timedelta

import pytest
from django.core import signing
from django.test import RequestFactory
from django.utils import timezone

from wenming.campaign.models import CitizenReport
from wenming.core.errors import DomainError
from wenming.core.public_forms import (
    HoneypotField,
    RateLimited,
    check_form_token,
    check_rate,
    client_ip,
    form_token,
    normalize_tracking_code,
    tracking_code,
)


def _request(remote="10.0.0.1", forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_without_proxies_the_connecting_address_counts(settings):
    settings.AXES_IPWARE_PROXY_COUNT = None
    assert client_ip(_request(forwarded="203.0.113.9")) == "10.0.0.1"


def test_behind_proxies_the_address_our_outermost_proxy_saw_counts(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    assert client_ip(_request(forwarded="6.6.6.6, 203.0.113.9")) == "203.0.113.9"
    settings.AXES_IPWARE_PROXY_COUNT = 2
    assert client_ip(_request(forwarded="6.6.6.6, 203.0.113.9, 10.0.0.2")) == "203.0.113.9"


def test_a_missing_or_malformed_forwarded_address_falls_back_to_the_connection(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 2
    assert client_ip(_request(forwarded="203.0.113.9")) == "10.0.0.1"
    settings.AXES_IPWARE_PROXY_COUNT = 1
    assert client_ip(_request(forwarded="unknown")) == "10.0.0.1"
    assert client_ip(_request(remote="")) == ""


def _aged(purpose, seconds):
    return form_token(purpose, issued_at=time.time() - seconds)


def test_a_token_gives_its_nonce_and_every_form_gets_another():
    first, second = _aged("nominate:1", 60), _aged("nominate:1", 60)
    nonce = check_form_token(first, "nominate:1")
    assert nonce == check_form_token(first, "nominate:1")
    assert len(nonce) == 32 and nonce != check_form_token(second, "nominate:1")


@pytest.mark.parametrize("make_token,message", [
    (lambda: form_token("nominate:1"), "提交过快，请核对填写内容后再提交。"),
    (lambda: _aged("nominate:1", 3 * 3600),
     "页面停留时间过长，表单已失效，请刷新页面后重新提交。"),
    (lambda: _aged("objection:1", 60), "表单校验失败，请刷新页面后重新提交。"),
    (lambda: "forged", "表单校验失败，请刷新页面后重新提交。"),
    (lambda: "", "表单校验失败，请刷新页面后重新提交。"),
    (lambda: signing.dumps({"p": "nominate:1", "n": "x", "t": 0}, salt="other"),
     "表单校验失败，请刷新页面后重新提交。"),
], ids=["too-fresh", "too-old", "other-form", "forged", "missing", "other-salt"])
def test_fresh_stale_foreign_and_forged_tokens_are_refused(make_token, message):
    with pytest.raises(DomainError) as refused:
        check_form_token(make_token(), "nominate:1")
    assert refused.value.message == message


def test_the_ages_come_from_settings(settings):
    settings.WENMING_PUBLIC_FORM_MIN_SECONDS = 0
    settings.WENMING_PUBLIC_FORM_MAX_AGE = 30
    check_form_token(form_token("x"), "x")
    with pytest.raises(DomainError, match="表单已失效"):
        check_form_token(_aged("x", 60), "x")


def test_the_honeypot_takes_nothing():
    field = HoneypotField()
    assert not field.required and field.clean("") == ""
    with pytest.raises(Exception, match="提交失败，请刷新页面后重试"):
        field.clean("http://spam.example")


def _report(ip, minutes_ago=0):
    report = CitizenReport.objects.create(tracking_code=f"SPTEST{CitizenReport.objects.count()}",
                                          service_code="env", description="垃圾",
                                          submitter_ip=ip)
    CitizenReport.objects.filter(pk=report.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago))


def test_an_address_gets_its_limit_within_the_window(db):
    rows = CitizenReport.objects.all()
    _report("192.0.2.1", minutes_ago=90)  # outside the hour
    _report("192.0.2.1")
    check_rate(rows, "192.0.2.1", 2)
    _report("192.0.2.1")
    with pytest.raises(RateLimited, match="请一小时后再试"):
        check_rate(rows, "192.0.2.1", 2)
    with pytest.raises(RateLimited, match="请稍后再试"):
        check_rate(rows, "192.0.2.1", 3, seconds=2 * 3600, message="提交过于频繁，请稍后再试。")
    check_rate(rows, "192.0.2.2", 2)  # another address
    check_rate(rows, "", 0)  # no address, nothing to count


def test_tracking_codes_are_random_readable_and_never_repeat_a_taken_one():
    seen = set()
    for _ in range(50):
        code = tracking_code("YY", seen.__contains__)
        assert code.startswith("YY-") and len(code) == 9
        assert not set(code[3:]) & set("01OI")
        assert code not in seen
        seen.add(code)
    first = tracking_code("XF", lambda c: False)
    calls = []
    again = tracking_code("XF", lambda c: calls.append(c) or len(calls) == 1)
    assert len(calls) == 2 and again == calls[1] and first != ""


def test_a_typed_tracking_code_is_read_as_stored():
    assert normalize_tracking_code(" yy-7kq3mz ") == "YY-7KQ3MZ"
    assert normalize_tracking_code("yy7kq3mz") == "YY-7KQ3MZ"
    assert normalize_tracking_code("") == ""
