"""Notifications reach the unit's group robot in the WeCom and DingTalk
message formats; a sent message is never sent again. The robot is a local
HTTP server in a thread."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone

from wenming.campaign.models import Notification, Problem
from wenming.campaign.tests.factories import dispatched, make_campaign, make_site
from wenming.campaign.tick import run_tick


class Robot:
    def __init__(self):
        self.received, self.answer = [], {"errcode": 0, "errmsg": "ok"}
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                robot.received.append((self.path, json.loads(body)))
                payload = json.dumps(robot.answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/cgi-bin/webhook/send?key=abc"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robot():
    r = Robot()
    yield r
    r.close()


@pytest.fixture
def overdue(people, world):
    make_campaign(people["admin"])
    people["liaison"].phone = "13800000001"
    people["liaison"].save()
    problem = dispatched(people, make_site(people["admin"], world))
    Problem.objects.filter(pk=problem.pk).update(deadline=timezone.now() - timedelta(hours=1))
    return problem


def test_wecom_robot_gets_each_message_once(robot, overdue, settings):
    settings.WENMING_WEBHOOK_URL, settings.WENMING_WEBHOOK_KIND = robot.url, "wecom"
    totals = run_tick()
    assert totals["sent"] == 2 and totals["failed"] == 0  # the dispatch and the notice
    path, message = robot.received[-1]
    assert path == "/cgi-bin/webhook/send?key=abc"
    assert message["msgtype"] == "text"
    assert "【创文督办】川汇区" in message["text"]["content"]
    assert "〕1号" in message["text"]["content"]
    assert message["text"]["mentioned_mobile_list"] == ["13800000001"]
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}
    run_tick()
    assert len(robot.received) == 2


def test_dingtalk_format_with_signature(robot, overdue, settings):
    settings.WENMING_WEBHOOK_URL, settings.WENMING_WEBHOOK_KIND = robot.url, "dingtalk"
    settings.WENMING_WEBHOOK_SECRET = "SECxyz"
    run_tick()
    path, message = robot.received[0]
    query = parse_qs(urlparse(path).query)
    assert query["key"] == ["abc"] and query["timestamp"] and query["sign"]
    assert message["msgtype"] == "text" and message["at"]["atMobiles"] == ["13800000001"]
    assert "@13800000001" in message["text"]["content"]


def test_failed_delivery_is_retried_and_then_sent_once(robot, overdue, settings):
    settings.WENMING_WEBHOOK_URL = robot.url
    robot.answer = {"errcode": 93000, "errmsg": "invalid webhook url"}
    assert run_tick()["failed"] == 2
    failed = Notification.objects.filter(status="failed")
    assert failed.count() == 2 and "93000" in failed.first().last_error
    robot.answer = {"errcode": 0, "errmsg": "ok"}
    assert run_tick()["sent"] == 2
    run_tick()
    assert len(robot.received) == 4  # two refused, two delivered, none again


def test_without_a_robot_messages_wait_in_the_queue(overdue, settings):
    settings.WENMING_WEBHOOK_URL = ""
    totals = run_tick()
    assert totals["sent"] == 0 and Notification.objects.filter(status="pending").count() == 2


def test_unreachable_robot_is_a_failure_not_a_crash(overdue, settings):
    settings.WENMING_WEBHOOK_URL = "http://127.0.0.1:9/unreachable"
    assert run_tick()["failed"] == 2
