"""Screens every page shares: deletes ask first, link-like buttons show."""

import re
from pathlib import Path

import wenming

ROOT = Path(wenming.__file__).resolve().parent
_FORM = re.compile(r"<form\b[^>]*>", re.S)


def test_every_delete_form_asks_for_confirmation():
    forms = []
    for path in ROOT.rglob("templates/**/*.html"):
        for tag in _FORM.findall(path.read_text()):
            if re.search(r"action=\"[^\"]*(delete|remove)", tag):
                forms.append((path.name, "data-confirm=" in tag))
    assert len(forms) >= 6
    assert [name for name, asks in forms if not asks] == []


def test_the_confirmation_script_is_a_static_file_on_every_page(client, people):
    client.force_login(people["editor"])
    page = client.get("/").content.decode()
    assert "/static/wenming/confirm.js" in page and "onsubmit" not in page
    script = (ROOT / "static" / "wenming" / "confirm.js").read_text()
    assert "data-confirm" in script and "preventDefault" in script


def test_link_buttons_are_not_white_on_white():
    css = (ROOT / "static" / "wenming" / "app.css").read_text()
    assert re.search(r"button\.linklike \{ color: var\(--pico-primary\); \}", css)
