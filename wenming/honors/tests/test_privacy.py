"""A person's ID number and phone number never appear on a public page and
are masked in every export. The public side is crawled from its index, so a
page added later is checked as soon as it is linked."""

import io
import json
import re
from collections import deque
from datetime import date, timedelta
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import resolve, reverse
from openpyxl import load_workbook

from wenming.activities.tests.factories import upload
from wenming.core.idcard import mask_id_number, mask_phone
from wenming.core.testing import pdf_text, squash
from wenming.honors import services, urls
from wenming.honors.models import HonorRoll, Nomination, Objection
from wenming.honors.tests.factories import id_number, make_roll, nominate, token, vote_all

LINK = re.compile(r'(?:href|src)="([^"#?]+)(?:\?[^"]*)?"')


def _person(actor, roll, i, **fields):
    return nominate(actor, roll, name=f"好人{i}", id_number=id_number(f"4116021980010100{i}"),
                    phone=f"1380394000{i}", photos=[upload()], **fields)


def _review(people, roll, nominations):
    for n in nominations:
        services.verify_nomination(people["liaison"], n, "属实")
        vote_all(roll, n)
    services.conclude_review(people["editor"], roll)


@pytest.fixture
def rolls(people, world):
    today = date.today()
    public_args = {"category": "honesty", "workplace": "川汇区个体户", "summary": "拾金不昧。",
                   "deeds": "归还捡到的钱包。", "nominator_name": "路人",
                   "area": world["chuanhui"]}
    # A published roll with a correction, a public nomination and a handled objection.
    published = make_roll(people)
    a, b = _person(people["liaison"], published, 1), _person(people["liaison"], published, 2)
    public = services.nominate_public(
        published, name="好人3", phone="13803940003", nominator_phone="13903940013",
        token=token(f"nominate:{published.pk}"), **public_args)
    _review(people, published, [a, b, public])
    services.start_notice(people["editor"], published, starts_on=today - timedelta(3),
                          ends_on=today + timedelta(3))
    objection = services.file_objection(a, content="有异议", contact_phone="13703940004",
                                        token=token(f"objection:{published.pk}"))
    services.handle_objection(people["editor"], objection, upheld=False, resolution="不成立")
    HonorRoll.objects.filter(pk=published.pk).update(notice_starts_on=today - timedelta(10),
                                                     notice_ends_on=today - timedelta(4))
    services.publish_roll(people["approver"], published)
    correction = services.create_correction(people["editor"], published, "订正简要事迹。")
    services.publish_roll(people["approver"], correction)
    # A roll on public notice with a pending objection.
    noticed = make_roll(people, year=2024, period="h1")
    c = _person(people["liaison"], noticed, 5)
    _review(people, noticed, [c])
    services.start_notice(people["editor"], noticed, starts_on=today, ends_on=today + timedelta(6))
    services.file_objection(c, content="另有隐情", contact_phone="13703940006",
                            token=token(f"objection:{noticed.pk}"))
    # A roll taking nominations, with one from the public.
    collecting = make_roll(people, year=2024, period="h2")
    _person(people["liaison"], collecting, 7)
    services.nominate_public(collecting, name="好人8", phone="13803940008",
                             nominator_phone="13903940018",
                             token=token(f"nominate:{collecting.pk}"), **public_args)
    return {key: HonorRoll.objects.get(pk=roll.pk) for key, roll in [
        ("published", published), ("correction", correction), ("noticed", noticed),
        ("collecting", collecting)]}


def _secrets():
    values = set()
    for n in Nomination.objects.all():
        values |= {n.id_number, n.phone, n.nominator_phone}
    values |= set(Objection.objects.values_list("contact_phone", flat=True))
    return {v for v in values if v}


def _crawl(client, start):
    seen, queue, pages = set(), deque([start]), {}
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        kind = response["Content-Type"]
        if kind.startswith("application/pdf"):
            pages[url] = squash(pdf_text(response.content))
        elif kind.startswith("image/"):
            pages[url] = response.content.decode("latin-1")
        else:
            html = response.content.decode()
            pages[url] = html
            for link in LINK.findall(html):
                target = urlsplit(urljoin(url, link)).path
                if target.startswith("/honors/public/"):
                    queue.append(target)
    return pages


def test_no_public_page_shows_an_id_number_or_a_phone_number(rolls):
    client = Client()
    pages = _crawl(client, reverse("honors:public_index"))
    # Forms reached with a query string and versions are in the crawl too.
    pages[reverse("honors:public_objection", args=[rolls["noticed"].pk])] = client.get(
        reverse("honors:public_objection", args=[rolls["noticed"].pk])).content.decode()
    # So are the objections' status pages, reached with the objector's code.
    for code in Objection.objects.values_list("tracking_code", flat=True):
        url = reverse("honors:public_objection_status", args=[code])
        pages[url] = client.get(url).content.decode()
    secrets = _secrets()
    assert len(secrets) == 14
    masked = {mask_id_number(v) for v in secrets if len(v) == 18}
    for url, text in pages.items():
        flat = re.sub(r"\s", "", text)
        for value in secrets | masked:
            assert value not in flat, f"{value} on {url}"
    # Every kind of public page was reached by following links.
    reached = {resolve(url).url_name for url in pages}
    public_names = {p.name for p in urls.urlpatterns if p.name.startswith("public_")}
    assert reached == public_names, public_names - reached
    assert any(url.endswith(".pdf") for url in pages)


def test_the_api_has_no_id_number_or_phone_number(rolls):
    from ninja.testing import TestClient

    from wenming.honors.api import router

    client = TestClient(router)
    body = json.dumps([client.get("/rolls").json(), client.get("/stats").json()],
                      ensure_ascii=False)
    assert "好人1" in body and "2023年下半年" in body
    for value in _secrets():
        assert value not in body


def _cells(content):
    book = load_workbook(io.BytesIO(content))
    return [str(c.value) for sheet in book for row in sheet.iter_rows() for c in row
            if c.value is not None]


def test_exports_mask_id_numbers_and_phone_numbers(client, people, rolls):
    client.force_login(people["editor"])
    secrets = _secrets()
    exports = {}
    for key in ("published", "noticed", "collecting"):
        url = reverse("honors:roll_xlsx", args=[rolls[key].pk])
        exports[url] = "\n".join(_cells(client.get(url).content))
    url = reverse("honors:stats_xlsx")
    exports[url] = "\n".join(_cells(client.get(url).content))
    for key in ("published", "correction"):
        url = reverse("honors:roll_preview", args=[rolls[key].pk])
        exports[url] = squash(pdf_text(client.get(url).content))
        with rolls[key].pdf.open("rb") as f:
            exports[rolls[key].pdf.name] = squash(pdf_text(f.read()))
    for url, text in exports.items():
        for value in secrets:
            assert value not in text, f"{value} in {url}"
    listing = exports[reverse("honors:roll_xlsx", args=[rolls["published"].pk])]
    first = Nomination.objects.get(name="好人1")
    assert mask_id_number(first.id_number) in listing and "4116**********" in listing
    assert mask_phone(first.phone) == "138****0001" and "138****0001" in listing
    assert "139****0013" in listing  # the public nominator's phone
    assert "137****0004" in listing  # an objector's phone


def test_masks():
    assert mask_id_number("411602198503120012") == "4116**********0012"
    assert mask_phone("13903940001") == "139****0001"
    assert mask_phone("0394-8221234") == "039****1234"
    assert mask_phone("") == mask_id_number("") == ""
