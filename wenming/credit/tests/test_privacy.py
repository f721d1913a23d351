"""A natural person's ID number and phone never appear on a public page and
are masked in every export. The test crawls every public page it can reach
from /credit/ and reads every file it links to."""

import io
import json
import re
from datetime import date
from urllib.parse import urljoin, urlparse

from django.urls import reverse
from openpyxl import load_workbook

from wenming.accounts import roles
from wenming.accounts.tests.factories import make_user
from wenming.core.testing import pdf_text
from wenming.credit import services
from wenming.credit.models import Listing
from wenming.credit.screenfile import results_xlsx
from wenming.credit.screening import build_index, screen_rows
from wenming.credit.tests.factories import (
    NATURAL_HEADERS,
    code,
    id_number,
    legal_row,
    natural_row,
    published_list,
)

PHONES = ["13800138000", "13912345678"]
RESTORATION_PHONE = "13755556666"
OBJECTION_PHONE = "13644447777"


def _world_with_people(people, world):
    ids = [id_number(1), id_number(2)]
    natural = published_list(people, world, [
        natural_row("王某某", ids[0], phone=PHONES[0]),
        natural_row("李某某", ids[1], "拖欠农民工工资", phone=PHONES[1]),
    ], color="black", subject="natural", headers=NATURAL_HEADERS,
        published_on=date(2023, 12, 29))
    legal = published_list(people, world, [legal_row("鑫源食品有限公司", code(1))])
    liaison = make_user("dora", roles.LIAISON, unit=world["dept"])
    listing = Listing.objects.get(entity__id_number=ids[1])
    services.apply_restoration(liaison, listing, applicant="李某某", contact=RESTORATION_PHONE,
                               reason="已结清工资", applied_on=date(2025, 1, 10))
    report = services.issue_report(people["editor"], listing.entity)
    return ids, natural, legal, report


def _secrets(ids):
    return ids + PHONES + [RESTORATION_PHONE, OBJECTION_PHONE]


def _text_of(response):
    content_type = response["Content-Type"]
    if content_type == "application/pdf":
        return pdf_text(response.content)
    if "spreadsheetml" in content_type:
        return _xlsx_text(response.content)
    return response.content.decode()


def _xlsx_text(content):
    wb = load_workbook(io.BytesIO(content))
    return "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows()
                     for c in row if c.value is not None)


def _assert_clean(text, secrets, where):
    flat = re.sub(r"\s", "", text)
    for secret in secrets:
        assert secret not in flat, f"{secret} appears in {where}"


def test_public_pages_and_exports_never_show_id_numbers_or_phones(client, people, world):
    ids, natural, legal, report = _world_with_people(people, world)
    secrets = _secrets(ids)
    start = [reverse("credit:public_index"),
             reverse("credit:lookup") + "?q=王某某",
             reverse("credit:lookup") + f"?q={ids[0]}",
             reverse("credit:lookup") + f"?q={PHONES[0]}",
             reverse("credit:lookup") + "?q=鑫源",
             reverse("credit:verify") + f"?number={report.number}&code={report.verification_code}"]
    seen, queue, files = set(), list(start), 0
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        text = _text_of(response)
        _assert_clean(text, secrets, url)
        if response["Content-Type"].startswith("text/html"):
            for href in re.findall(r'href="([^"#]+)"', text):
                target = urljoin(url, href.replace("&amp;", "&"))
                path = urlparse(target).path
                if path.startswith("/credit/") and not path.startswith("/credit/manage/"):
                    queue.append(target[len("http://testserver"):] if target.startswith("http")
                                 else target)
        else:
            files += 1
    # Both lists' pages and their PDF and Excel files were reached.
    assert {reverse("credit:public_list", args=[natural.pk]),
            reverse("credit:public_list_file", args=[natural.pk, "pdf"]),
            reverse("credit:public_list_file", args=[natural.pk, "xlsx"]),
            reverse("credit:public_list", args=[legal.pk])} <= seen
    assert files >= 4
    # The masked forms are what the public sees.
    page = client.get(reverse("credit:public_list", args=[natural.pk])).content.decode()
    assert ids[0][:4] + "**********" + ids[0][-4:] in page


def test_staff_exports_and_pages_mask_them_too(client, people, world):
    ids, natural, _legal, report = _world_with_people(people, world)
    secrets = _secrets(ids)
    client.force_login(people["editor"])
    listing = Listing.objects.get(entity__id_number=ids[0])
    for url in [reverse("credit:report_pdf", args=[report.pk]),
                reverse("credit:list_detail", args=[natural.pk]),
                reverse("credit:listing_detail", args=[listing.pk]),
                reverse("credit:entity_detail", args=[listing.entity_id]),
                reverse("credit:entity_list") + "?q=王某某"]:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_clean(_text_of(response), secrets, url)
    # Screening results, over the API and as a file.
    response = client.post("/api/credit/screen", json.dumps(
        {"rows": [{"name": "王某某", "code": ids[0]}]}), content_type="application/json")
    assert response.json()["rows"][0]["matches"]
    _assert_clean(response.content.decode(), secrets, "screening API")
    rows = [(1, {"name": "王某某", "code": ids[0]})]
    content, _ = results_xlsx(rows, screen_rows(build_index(), [r for _, r in rows]))
    _assert_clean(_xlsx_text(content), secrets, "screening file")
    sheet = load_workbook(io.BytesIO(content))["筛查结果"]
    assert sheet["C2"].value == sheet["G2"].value == ids[0][:4] + "**********" + ids[0][-4:]
    assert sheet["D2"].value == "有效（身份证号码）"
