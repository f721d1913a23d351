"""A refused request is one line in the log, not a traceback; a server
error keeps its traceback."""

import io
import logging

import pytest
from django.urls import reverse


@pytest.fixture
def console():
    """What the configured console handler writes."""
    handler = next(h for h in logging.getLogger().handlers
                   if isinstance(h, logging.StreamHandler))
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_forbidden_page_is_logged_in_one_line(client, people, console):
    client.force_login(people["liaison"])
    response = client.get(reverse("audit:event_list"))
    assert response.status_code == 403
    log = console.getvalue()
    assert "Forbidden (Permission denied): /audit/" in log
    assert "Traceback" not in log and len(log.strip().splitlines()) == 1


def test_server_error_keeps_its_traceback(console):
    try:
        raise RuntimeError("坏了")
    except RuntimeError:
        logging.getLogger("django.request").error("Internal Server Error: /x",
                                                  exc_info=True, extra={"status_code": 500})
    assert "Traceback" in console.getvalue() and "坏了" in console.getvalue()
