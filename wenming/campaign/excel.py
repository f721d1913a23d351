"""Excel in and out: the index (one row per criterion), sites, and the
ledger as offices keep it. Reading collects every bad row and refuses the
whole sheet, naming the rows."""

import io
import re
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from wenming.campaign.models import Criterion, SiteCategory
from wenming.core.errors import DomainError
from wenming.core.excel import (
    Formula,
    Link,
    cell_text,
    read_table,
    streamed_workbook_bytes,
    workbook_bytes,
)
from wenming.core.text import check_text

INDEX_HEADERS = ["测评项目编号", "测评项目", "测评内容编号", "测评内容", "测评标准编号", "测评标准",
                 "测评方法", "分值", "适用点位类别"]
SITE_HEADERS = ["点位名称", "点位类别", "所属县区", "责任单位", "地址", "经度", "纬度"]
LEDGER_HEADERS = ["序号", "问题编号", "问题描述", "点位", "县区", "责任单位", "状态", "发现时间",
                  "整改期限", "逾期天数", "整改情况", "复查结果", "问题照片", "整改照片"]
MAX_ERRORS = 20
MAX_ROWS = 20_000
_SPLIT = re.compile(r"[、，,;；/\s]+")
_CODE = re.compile(r"^\d+(\.\d+)*$")
METHODS = {label: value for value, label in Criterion.Method.choices}


class _Errors(list):
    def add(self, row, message):
        self.append(f"第{row}行：{message}")

    def raise_if_any(self, what):
        if self:
            more = f"（另有{len(self) - MAX_ERRORS}处未列出）" if len(self) > MAX_ERRORS else ""
            raise DomainError(f"{what}有误，未导入任何数据：" + "；".join(self[:MAX_ERRORS]) + more)


def _rows(upload, headers, what, progress=None):
    """(row number, {header: value}) for each non-blank row; the header on
    row 1 as the exported templates have it."""
    upload.seek(0)
    return read_table(upload.read(), upload.name, {h: [h] for h in headers}, what=what,
                      max_rows=MAX_ROWS, progress=progress.rows(what) if progress else None).rows


def _no_formulas(cells):
    for header, value in cells.items():
        if isinstance(value, Formula):
            raise DomainError(f"“{header}”是公式“{value.text[:40]}”，平台不计算公式，"
                              "请复制后“选择性粘贴—数值”再导入")


# ---------------------------------------------------------------- index


def read_index(upload, progress=None):
    """Rows of an index sheet → validated dicts for catalog.import_index."""
    rows, errors = [], _Errors()
    categories = set(SiteCategory.objects.values_list("name", flat=True))
    areas, items, codes = {}, {}, {}
    for n, cells in _rows(upload, INDEX_HEADERS, "测评体系表", progress):
        try:
            row = _index_row(n, cells, categories)
        except DomainError as e:
            errors.add(n, e.message)
            continue
        for book, code, name, label in [(areas, row["area_code"], row["area_name"], "测评项目"),
                                        (items, row["item_code"], row["item_name"], "测评内容")]:
            if book.setdefault(code, name) != name:
                errors.add(n, f"{label}编号“{code}”的名称“{name}”与前面的“{book[code]}”不一致")
        if row["code"] in codes:
            errors.add(n, f"测评标准编号“{row['code']}”与第{codes[row['code']]}行重复")
        codes.setdefault(row["code"], n)
        rows.append(row)
    if not rows and not errors:
        errors.append("表中没有测评标准")
    errors.raise_if_any("测评体系表")
    return rows


def _index_row(n, cells, categories):
    _no_formulas(cells)

    def text(header, max_length=300):
        return check_text(cell_text(cells[header]), header, max_length=max_length,
                          required=True).strip()

    row = {"area_code": text("测评项目编号", 20), "area_name": text("测评项目", 200),
           "item_code": text("测评内容编号", 20), "item_name": text("测评内容", 300),
           "code": text("测评标准编号", 20), "text": text("测评标准", 2000)}
    for key, label in [("area_code", "测评项目编号"), ("item_code", "测评内容编号"),
                       ("code", "测评标准编号")]:
        if not _CODE.match(row[key]):
            raise DomainError(f"{label}“{row[key]}”应为 1、1.2、1.2.3 这样的层级编号")
    if not row["item_code"].startswith(row["area_code"] + "."):
        raise DomainError(f"测评内容编号“{row['item_code']}”应以测评项目编号“{row['area_code']}.”开头")
    if not row["code"].startswith(row["item_code"] + "."):
        raise DomainError(f"测评标准编号“{row['code']}”应以测评内容编号“{row['item_code']}.”开头"
                          "（若编号如 1.10 被 Excel 当成了数字，请把编号列设为文本）")
    method = cell_text(cells["测评方法"])
    if method not in METHODS:
        raise DomainError(f"测评方法“{method}”应为" + "、".join(METHODS))
    row["method"] = METHODS[method]
    try:
        weight = Decimal(cell_text(cells["分值"]) or "0")
    except InvalidOperation:
        raise DomainError(f"分值“{cell_text(cells['分值'])}”不是数字") from None
    if weight < 0 or weight >= 10000:
        raise DomainError(f"分值“{weight}”超出范围")
    row["weight"] = weight.quantize(Decimal("0.01"))
    names = [c for c in _SPLIT.split(cell_text(cells["适用点位类别"])) if c]
    if names == ["全部"]:
        names = sorted(categories)
    unknown = [c for c in names if c not in categories]
    if unknown:
        raise DomainError("未知的点位类别：" + "、".join(unknown))
    row["categories"] = names
    return row


def index_workbook(index):
    rows = []
    criteria = (index.criteria.select_related("area", "item").prefetch_related("categories")
                .order_by("area_id", "item_id", "id"))
    for c in criteria:
        rows.append([c.area.code, c.area.name, c.item.code, c.item.name, c.code, c.text,
                     c.get_method_display(), float(c.weight),
                     "、".join(cat.name for cat in c.categories.all())])
    return _text_codes(workbook_bytes([(
        f"{index.year}年测评体系", INDEX_HEADERS, rows, [8, 16, 8, 24, 8, 50, 10, 6, 30])]),
        (1, 3, 5))


def _text_codes(content, columns):
    """Mark the code columns as text so 1.10 stays 1.10 when the office edits the file."""
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    for col in columns:
        for cell in sheet[get_column_letter(col)]:
            cell.number_format = "@"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- sites


def read_sites(upload, system):
    """Rows of a site sheet → dicts for catalog.import_sites, coordinates
    converted from `system` to WGS-84."""
    from wenming.campaign.catalog import DISTRICT_KINDS, find_unit, to_wgs84

    categories = {c.name: c for c in SiteCategory.objects.all()}
    rows, errors, seen = [], _Errors(), {}
    for n, cells in _rows(upload, SITE_HEADERS, "点位表"):
        try:
            _no_formulas(cells)
            name = check_text(cell_text(cells["点位名称"]), "点位名称", 100, required=True)
            category = categories.get(cell_text(cells["点位类别"]))
            if category is None:
                raise DomainError(f"点位类别“{cell_text(cells['点位类别'])}”应为"
                                  + "、".join(categories))
            district = find_unit(cell_text(cells["所属县区"]), "所属县区")
            if district.kind not in DISTRICT_KINDS:
                raise DomainError(f"“{district.name}”不是县（市、区）")
            unit = find_unit(cell_text(cells["责任单位"]), "责任单位")
            address = check_text(cell_text(cells["地址"]), "地址", 200)
            lat, lng = to_wgs84(cells["纬度"], cells["经度"], system)
        except DomainError as e:
            errors.add(n, e.message)
            continue
        key = (district.pk, name.strip())
        if key in seen:
            errors.add(n, f"点位“{name}”与第{seen[key]}行重复")
        seen.setdefault(key, n)
        rows.append({"name": name.strip(), "category": category, "district": district,
                     "responsible_unit": unit, "address": address.strip(), "lat": lat,
                     "lng": lng})
    if not rows and not errors:
        errors.append("表中没有点位")
    errors.raise_if_any("点位表")
    return rows


def sites_template():
    return workbook_bytes([("点位", SITE_HEADERS, [
        ["××农贸市场", "农贸市场", "××区", "××区/××街道", "××路与××路交叉口",
         114.6496, 33.6254]], [24, 12, 12, 24, 30, 12, 12])])


# ---------------------------------------------------------------- ledger


def ledger_workbook(problems, photo_link):
    """The ledger as offices keep it; `photo_link(problem, photos, stage)`
    gives the absolute link of a stage's photos (the photo itself when there
    is one, else the page showing them all). Streamed, so big exports stay small in memory."""
    return streamed_workbook_bytes("问题台账", LEDGER_HEADERS, _ledger_rows(problems, photo_link),
                                   [6, 9, 40, 20, 10, 20, 10, 17, 17, 9, 40, 24, 12, 12])


def _ledger_rows(problems, photo_link):
    for n, p in enumerate(problems, start=1):
        rect = p.rectifications.all()
        latest = rect[len(rect) - 1] if rect else None
        row = [
            n, p.pk, p.description, p.site.name if p.site_id else "群众上报",
            p.district.name if p.district_id else "",
            p.responsible_unit.name if p.responsible_unit_id else "",
            p.get_status_display(), _local(p.found_at), _local(p.deadline),
            _days_overdue(p, latest),
            latest.text if latest else p.get_status_display(),
            _review_text(p, latest),
        ]
        for stage in ("found", "after"):
            photos = [ph for ph in p.photos.all() if ph.stage == stage]
            row.append(Link(f"查看（{len(photos)}张）", photo_link(p, photos, stage))
                       if photos else "")
        yield row


def _days_overdue(problem, latest):
    """Whole days past the deadline: until now while the unit still holds the
    problem, else until it handed in its fix (or the problem was closed)."""
    if problem.deadline is None or problem.status == "cancelled":
        return ""
    if problem.status in ("dispatched", "rejected"):
        end = timezone.now()
    else:
        end = (latest.submitted_at if latest else None) or problem.closed_at or timezone.now()
    return max(0, (end - problem.deadline).days)


def _local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M") if dt else ""


def _review_text(problem, latest):
    if problem.status == "closed":
        return f"已销号（{_local(problem.closed_at)}）"
    if latest and latest.result == "rejected":
        return f"复查未通过：{latest.review_note}"
    if problem.status == "cancelled":
        return "已撤销"
    return "待复查" if problem.status == "submitted" else ""
