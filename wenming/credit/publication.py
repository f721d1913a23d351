"""What a published list says and how it is printed: the frozen snapshot,
the counts by category in the office's words, the PDF and the Excel file.
Only public fields go in: a person's ID number is masked, phones never."""

from pathlib import Path

from django.conf import settings

from wenming.accounts.models import Unit
from wenming.core.excel import workbook_bytes
from wenming.core.text import chinese_date
from wenming.core.typst import render
from wenming.credit.models import Entity

# Category order of a published list and the measure word of each.
KIND_ORDER = [Entity.Kind.MARKET, Entity.Kind.ENTERPRISE, Entity.Kind.INDIVIDUAL_BUSINESS,
              Entity.Kind.SOCIAL_ORGANISATION, Entity.Kind.PERSON]
MEASURE = {Entity.Kind.MARKET: "个市场", Entity.Kind.ENTERPRISE: "家企业",
           Entity.Kind.INDIVIDUAL_BUSINESS: "户个体工商户",
           Entity.Kind.SOCIAL_ORGANISATION: "家社会组织", Entity.Kind.PERSON: "人"}
LIST_TEMPLATE = Path(__file__).resolve().parent / "render" / "credit_list.typ"
HEADERS = ["序号", "名称", "统一社会信用代码", "主体类型", "法定代表人（负责人）", "县（市、区）",
           "列入事由类别", "具体事由", "认定部门", "认定文书号", "认定日期", "有效期至"]
NATURAL_HEADERS = ["序号", "姓名", "身份证号码", "主体类型", "—", "县（市、区）",
                   "列入事由类别", "具体事由", "认定部门", "认定文书号", "认定日期", "有效期至"]


def issuer_name():
    """The office that publishes lists and issues reports."""
    configured = settings.WENMING_CREDIT_ISSUER
    if configured:
        return configured
    office = Unit.objects.filter(name__endswith="文明办").order_by("path").first()
    return office.name if office else "文明办"


def count_phrase(counts):
    """{'market': 4, 'enterprise': 152} → '4 个市场、152 家企业'"""
    return "、".join(f"{counts[k]} {MEASURE[k]}" for k in KIND_ORDER if counts.get(k))


def list_sentence(kind_label, counts):
    phrase = count_phrase(counts)
    return f"{phrase}被列入{kind_label}" if phrase else f"{kind_label}暂无列入主体"


def year_summary(snapshots):
    """'4 个市场、152 家企业被列入法人红名单，110 家企业被列入法人黑名单。'
    from the snapshots of one year's published lists."""
    parts = [list_sentence(s["kind_label"], s["counts"]) for s in snapshots]
    return "，".join(parts) + "。" if parts else ""


def _date(d):
    return d.isoformat() if d else ""


def ordered_listings(credit_list):
    listings = list(credit_list.listings.filter(status="active").select_related(
        "entity", "entity__district", "department"))
    listings.sort(key=lambda li: (KIND_ORDER.index(li.entity.kind), li.department.path,
                                  li.entity.name_key, li.pk))
    return listings


def public_row(listing, seq=None):
    """A listing as a public page prints it: the published list, and the
    list on notice before it."""
    entity = listing.entity
    return {
        "listing": listing.pk,
        "seq": listing.seq if seq is None else seq,
        "name": entity.name,
        "identifier": entity.public_identifier,
        "kind": entity.get_kind_display(),
        "legal_representative": "" if entity.is_person else entity.legal_representative,
        "district": entity.district.name if entity.district_id else "",
        "basis": listing.get_basis_display(),
        "detail": listing.basis_detail,
        "department": listing.department.name,
        "document_number": listing.document_number,
        "decided": _date(listing.decided_on),
        "valid_until": _date(listing.valid_until) or "—",
    }


def build_snapshot(credit_list, listings, number, published_on):
    counts = {}
    rows = []
    for listing in listings:
        entity = listing.entity
        counts[entity.kind] = counts.get(entity.kind, 0) + 1
        rows.append(public_row(listing))
    kind_label = credit_list.kind_label
    return {
        "title": credit_list.title,
        "number": number,
        "year": credit_list.year,
        "color": credit_list.color,
        "subject": credit_list.subject,
        "kind_label": kind_label,
        "issuer": issuer_name(),
        "published_on": published_on.isoformat(),
        "published_text": chinese_date(published_on),
        "counts": counts,
        "summary": f"{credit_list.year}年度，" + list_sentence(kind_label, counts) + "。",
        "rows": rows,
    }


def render_list_pdf(snapshot):
    data = dict(snapshot, id_label="身份证号码" if snapshot["subject"] == "natural"
                else "统一社会信用代码")
    return render(str(LIST_TEMPLATE), data)


def list_xlsx(snapshot):
    natural = snapshot["subject"] == "natural"
    headers = NATURAL_HEADERS if natural else HEADERS
    rows = [[r["seq"], r["name"], r["identifier"], r["kind"], r["legal_representative"],
             r["district"], r["basis"], r["detail"], r["department"], r["document_number"],
             r["decided"], r["valid_until"]] for r in snapshot["rows"]]
    if natural:
        headers = [h for h in headers if h != "—"]
        rows = [r[:4] + r[5:] for r in rows]
    widths = [6, 34, 22, 10, 14, 12, 18, 36, 20, 24, 12, 12]
    if natural:
        widths = widths[:4] + widths[5:]
    return workbook_bytes([(snapshot["kind_label"], headers, rows,
                            widths)])
