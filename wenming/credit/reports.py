"""The credit report (信用报告) of one entity: what it says at the moment it
is issued, and its PDF. The content is kept with the report, so a verified
report shows what was issued, whatever happened since."""

import secrets
from pathlib import Path

from django.utils import timezone

from wenming.core.text import chinese_date
from wenming.core.typst import render
from wenming.credit.models import Listing, Restoration
from wenming.credit.publication import issuer_name

REPORT_TEMPLATE = Path(__file__).resolve().parent / "render" / "credit_report.typ"
# No 0/O, 1/I/L: a code read off paper is typed back without guessing.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_verification_code():
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalize_verification_code(text):
    return "".join(ch for ch in str(text or "").upper() if ch.isalnum())


def _listing_row(listing, today):
    return {
        "list": listing.credit_list.kind_label + f"（{listing.credit_list.year}年度）",
        "basis": listing.get_basis_display() + (f"：{listing.basis_detail}"
                                               if listing.basis_detail else ""),
        "department": listing.department.name,
        "document_number": listing.document_number,
        "decided": listing.decided_on.isoformat(),
        "state": listing.state_label(today),
    }


def report_content(entity, today=None, purpose=""):
    """Published listings of the entity, current and past, and its
    restoration applications; numbered in each section."""
    today = today or timezone.localdate()
    listings = (Listing.objects.filter(entity=entity, credit_list__status="published")
                .exclude(status=Listing.Status.WITHDRAWN)
                .select_related("credit_list", "department")
                .order_by("-credit_list__year", "decided_on", "pk"))
    current, past = [], []
    for listing in listings:
        (current if listing.is_current(today) else past).append(_listing_row(listing, today))
    restorations = []
    for r in (Restoration.objects.filter(listing__entity=entity)
              .select_related("listing__credit_list").order_by("applied_on", "pk")):
        restorations.append({
            "number": r.number,
            "listing": f"{r.listing.credit_list.kind_label}（{r.listing.credit_list.year}年度）"
                       f"{r.listing.get_basis_display()}",
            "applied": r.applied_on.isoformat(),
            "decided": r.decided_on.isoformat() if r.decided_on else "",
            "result": r.get_status_display(),
        })
    for rows in (current, past, restorations):
        for i, row in enumerate(rows, start=1):
            row["seq"] = i
    entity_rows = [["名称", entity.name]]
    if entity.is_person:
        entity_rows.append(["身份证号码", entity.masked_id_number])
    else:
        entity_rows += [["统一社会信用代码", entity.code or "—"],
                        ["法定代表人（负责人）", entity.legal_representative or "—"]]
    entity_rows += [["主体类型", entity.get_kind_display()],
                    ["所在县（市、区）", entity.district.name if entity.district_id else "—"],
                    ["地址", entity.address or "—"]]
    return {
        "entity_name": entity.name,
        "entity_rows": entity_rows,
        "current": current,
        "past": past,
        "restorations": restorations,
        "purpose": purpose,
        "issuer": issuer_name(),
        "as_of": today.isoformat(),
    }


def render_report_pdf(report, verify_hint="本平台“信用报告核验”页面"):
    data = dict(report.content, number=report.number,
                verification_code=report.verification_code,
                issued_text=chinese_date(timezone.localtime(report.issued_at).date()),
                verify_hint=verify_hint)
    return render(str(REPORT_TEMPLATE), data)
