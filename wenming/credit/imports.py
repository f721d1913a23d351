"""Department uploads: the template, and row-by-row checking of a filled
sheet. Nothing is written here; `services.upload_listings` writes the rows
once every one of them is right (all or nothing)."""

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from wenming.accounts.models import Unit
from wenming.core.errors import DomainError
from wenming.core.excel import Formula, safe_value, style_header
from wenming.core.idcard import check_id_number, check_phone
from wenming.core.text import check_text
from wenming.core.uscc import check_code
from wenming.credit import bases
from wenming.credit.known import Known, check_against_database
from wenming.credit.models import Entity
from wenming.credit.sheets import read_table

MAX_ROWS = 5000

# field → header texts that mean it; the first is the template's.
LEGAL_FIELDS = {
    "name": ["主体名称", "企业名称", "单位名称", "市场名称", "名称", "市场主体名称", "当事人名称"],
    "code": ["统一社会信用代码", "社会信用代码", "信用代码", "统一代码", "工商注册号", "注册号",
             "统一社会信用代码/注册号"],
    "kind": ["主体类型", "类型", "主体类别"],
    "legal_representative": ["法定代表人（负责人）", "法定代表人", "负责人", "经营者",
                             "法定代表人/负责人"],
    "district": ["所在县（市、区）", "县（市、区）", "县市区", "所属区域", "区县", "所在地区"],
    "address": ["地址", "住所", "经营场所", "注册地址", "住所（经营场所）"],
    "basis": ["列入事由类别", "事由类别", "列入类别", "认定类别"],
    "basis_detail": ["具体事由", "列入事由", "失信行为", "守信事迹", "认定事由", "主要事实"],
    "document_number": ["认定文书号", "文书号", "认定文号", "决定书文号", "文号"],
    "decided_on": ["认定日期", "决定日期", "列入日期"],
    "valid_until": ["有效期至", "有效期截止日期", "截止日期", "有效期"],
    "note": ["备注"],
}
NATURAL_FIELDS = {
    "name": ["姓名", "当事人姓名", "名称"],
    "id_number": ["身份证号码", "身份证号", "公民身份号码", "证件号码"],
    "phone": ["联系电话", "电话", "手机号码", "手机号"],
    "district": LEGAL_FIELDS["district"],
    "address": ["住址", "地址", "住所"],
    "basis": LEGAL_FIELDS["basis"],
    "basis_detail": LEGAL_FIELDS["basis_detail"],
    "document_number": LEGAL_FIELDS["document_number"],
    "decided_on": LEGAL_FIELDS["decided_on"],
    "valid_until": LEGAL_FIELDS["valid_until"],
    "note": LEGAL_FIELDS["note"],
}
LEGAL_REQUIRED = {"name", "code", "basis", "document_number", "decided_on"}
NATURAL_REQUIRED = {"name", "id_number", "basis", "document_number", "decided_on"}

KIND_LABELS = {
    "企业": Entity.Kind.ENTERPRISE, "公司": Entity.Kind.ENTERPRISE, "农民专业合作社": Entity.Kind.ENTERPRISE,
    "个体工商户": Entity.Kind.INDIVIDUAL_BUSINESS, "个体户": Entity.Kind.INDIVIDUAL_BUSINESS,
    "市场": Entity.Kind.MARKET, "商品交易市场": Entity.Kind.MARKET, "农贸市场": Entity.Kind.MARKET,
    "社会组织": Entity.Kind.SOCIAL_ORGANISATION, "社会团体": Entity.Kind.SOCIAL_ORGANISATION,
    "民办非企业单位": Entity.Kind.SOCIAL_ORGANISATION, "基金会": Entity.Kind.SOCIAL_ORGANISATION,
}
TEMPLATE_KINDS = ["企业", "个体工商户", "市场", "社会组织"]


def fields_for(credit_list):
    if credit_list.is_natural:
        return NATURAL_FIELDS, NATURAL_REQUIRED
    return LEGAL_FIELDS, LEGAL_REQUIRED


class ImportErrors(DomainError):
    """Every problem of a rejected upload, by row and column."""

    def __init__(self, errors):
        self.errors = errors
        shown = "；".join(errors[:3]) + ("……" if len(errors) > 3 else "")
        super().__init__(f"文件有{len(errors)}处错误，未导入任何数据：{shown}")


@dataclass
class Row:
    number: int
    name: str
    code: str = ""
    id_number: str = ""
    phone: str = ""
    kind: str = Entity.Kind.ENTERPRISE
    legal_representative: str = ""
    district: Unit | None = None
    address: str = ""
    basis: str = ""
    basis_detail: str = ""
    document_number: str = ""
    decided_on: date | None = None
    valid_until: date | None = None
    entity: Entity | None = None
    warnings: list = field(default_factory=list)

    @property
    def identity(self):
        return self.id_number or self.code


# Template

def template_xlsx(credit_list):
    """The sheet a department fills in: a title, a note, the header on row 3,
    drop-down lists for type and basis, and a sheet of instructions."""
    fields, required = fields_for(credit_list)
    names = [f for f in fields if f != "note"] + ["note"]
    headers = [("*" if f in required else "") + fields[f][0] for f in names]
    basis_labels = [b.label for b in bases.for_color(credit_list.color)]

    wb = Workbook()
    ws = wb.active
    ws.title = "名单"
    # The list's title is office text: written formula-safe like every export.
    ws.append([safe_value(f"{credit_list.title}报送表")])
    ws.append(["带 * 的列必填；每个主体一行；日期写成 2023-12-01；请勿修改第3行表头。"
               "填写说明见“填写说明”工作表。"])
    ws.append(headers)
    last = get_column_letter(len(headers))
    ws.merge_cells(f"A1:{last}1")
    ws.merge_cells(f"A2:{last}2")
    ws["A1"].font = Font(bold=True, size=14, color="C8161D")
    ws["A1"].alignment = Alignment(horizontal="center")
    ws["A2"].alignment = Alignment(wrap_text=True)
    ws.row_dimensions[2].height = 32
    style_header(ws[3])
    widths = {"name": 34, "code": 22, "id_number": 22, "basis_detail": 36, "address": 30,
              "document_number": 26, "basis": 18}
    for i, f in enumerate(names, start=1):
        ws.column_dimensions[get_column_letter(i)].width = widths.get(f, 14)
    ws.freeze_panes = "A4"

    options = wb.create_sheet("选项")
    for i, label in enumerate(basis_labels, start=1):
        options.cell(row=i, column=1, value=label)
    for i, label in enumerate(TEMPLATE_KINDS, start=1):
        options.cell(row=i, column=2, value=label)
    options.sheet_state = "hidden"

    def validate(field_name, source):
        col = get_column_letter(names.index(field_name) + 1)
        dv = DataValidation(type="list", formula1=source, allow_blank=True,
                            errorTitle="请从列表中选择", error="请从下拉列表中选择。")
        dv.add(f"{col}4:{col}{MAX_ROWS + 3}")
        ws.add_data_validation(dv)

    validate("basis", f"=选项!$A$1:$A${len(basis_labels)}")
    if "kind" in names:
        validate("kind", f"=选项!$B$1:$B${len(TEMPLATE_KINDS)}")
    for f in ("decided_on", "valid_until"):
        col = get_column_letter(names.index(f) + 1)
        for row in range(4, 204):
            ws[f"{col}{row}"].number_format = "yyyy-mm-dd"
    for f in ("code", "id_number", "phone"):
        if f in names:
            col = get_column_letter(names.index(f) + 1)
            for row in range(4, 204):
                # Text, so Excel keeps 18-digit numbers and leading zeros.
                ws[f"{col}{row}"].number_format = "@"

    help_sheet = wb.create_sheet("填写说明")
    lines = [
        safe_value(f"{credit_list.title}报送表填写说明"),
        "1. 每个主体填写一行，带 * 的列必须填写。",
        "2. 统一社会信用代码为18位，平台会核对校验位；尚无统一代码的可填15位工商注册号。"
        if not credit_list.is_natural else
        "2. 身份证号码为18位，平台会核对校验位。身份证号码和联系电话不会在公开页面显示。",
        "3. 列入事由类别请从下拉列表中选择：" + "、".join(basis_labels) + "。",
        "4. 认定日期、有效期至写成 2023-12-01；有效期至可以不填。",
        "5. 所在县（市、区）可以不填，平台按统一社会信用代码中的行政区划代码推断。",
        "6. 请不要在单元格中使用公式；公式不会被计算，含公式的行会被退回。",
        "7. 整个文件有任何一行不符合要求时，平台不导入任何数据，并按行列出错误，改正后重新上传即可。",
    ]
    for line in lines:
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 110
    help_sheet["A1"].font = Font(bold=True, size=13)

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# Checking an upload

def parse_upload(credit_list, department, content, filename, progress=None):
    """Every row of the sheet checked against the rules and the database.
    Returns the rows (with their warnings); raises ImportErrors listing every
    error by row and column, or DomainError when the file is no table.
    Runs in a background task: as many rows as the import limits allow."""
    fields, required = fields_for(credit_list)
    table = read_table(content, filename, fields, required, max_rows=None,
                       progress=progress.rows() if progress else None)
    per_row, rows, pending = [], [], []
    seen = {}
    districts = _district_lookup()
    today = timezone.localdate()
    for checked, (number, values) in enumerate(table.rows):
        if progress and checked % 500 == 0:
            progress.update(f"正在核对第{number:,}行", done=checked, total=len(table.rows))
        row_errors = []

        def err(field_name, message, _n=number, _errors=row_errors):
            where = table.column_label(field_name) if field_name in table.columns else ""
            _errors.append(f"第{_n}行{where}：{message}")

        row = Row(number=number, name="")
        for f, v in values.items():
            if isinstance(v, Formula):
                err(f, f"是公式“{v.text[:40]}”。平台不计算公式，请复制后“选择性粘贴—数值”再上传。")
        per_row.append(row_errors)
        if row_errors:
            continue
        row.name = _text(values.get("name"), 200, "name", err, required=True)
        if credit_list.is_natural:
            _check_person(row, values, err)
            row.kind = Entity.Kind.PERSON
        else:
            _check_legal(row, values, err)
        row.address = _text(values.get("address"), 200, "address", err)
        row.district = _district(row, values.get("district"), districts, err)
        basis_label = _text(values.get("basis"), 50, "basis", err, required=True)
        if basis_label:
            basis = bases.by_label(basis_label, credit_list.color)
            if basis is None:
                allowed = "、".join(b.label for b in bases.for_color(credit_list.color))
                err("basis", f"“{basis_label}”不是{credit_list.get_color_display()}的事由类别，"
                             f"应为：{allowed}。")
            else:
                row.basis = basis.code
        row.basis_detail = _text(values.get("basis_detail"), 2000, "basis_detail", err)
        row.document_number = _text(values.get("document_number"), 100, "document_number", err,
                                    required=True)
        row.decided_on = _date(values.get("decided_on"), "decided_on", err, required=True)
        row.valid_until = _date(values.get("valid_until"), "valid_until", err)
        if row.decided_on and row.decided_on > today:
            err("decided_on", f"认定日期{row.decided_on:%Y-%m-%d}晚于今天。")
        if row.decided_on and row.valid_until and row.valid_until < row.decided_on:
            err("valid_until", "有效期至早于认定日期。")
        if row.identity and not row_errors:
            first = seen.get(row.identity)
            if first:
                err("id_number" if credit_list.is_natural else "code",
                    f"与第{first}行是同一主体，同一主体在一份名单中只能列入一次，请合并为一行。")
            else:
                seen[row.identity] = number
        if not row_errors:
            pending.append((row, err))
        rows.append(row)
    # The database checks of all rows at once: a handful of queries per
    # thousand rows instead of four per row.
    if pending:
        if progress:
            progress.update("正在与平台中的主体和名单比对", done=len(table.rows),
                            total=len(table.rows))
        known = Known(credit_list, [row for row, _ in pending])
        for row, err in pending:
            check_against_database(credit_list, department, row, err, known)
    errors = [e for row_errors in per_row for e in row_errors]
    if not table.rows:
        errors.append("文件中没有数据行：请在表头下方逐行填写。")
    if errors:
        raise ImportErrors(errors)
    return rows


def _text(value, max_length, name, err, required=False):
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            err(name, "不能为空。")
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    try:
        return check_text(text, "", max_length).strip()
    except DomainError as e:
        err(name, e.message.replace("“”", ""))
        return text


def _code_text(value):
    """Codes typed into a number cell come back as numbers."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _check_legal(row, values, err):
    raw = _code_text(values.get("code"))
    if not raw.strip():
        err("code", "不能为空。")
        return
    result = check_code(raw)
    row.code = result.code
    if not result.valid:
        err("code", f"“{raw}”无效：" + "".join(result.errors))
        return
    row.warnings += [f"第{row.number}行：{w}" for w in result.warnings]
    label = (values.get("kind") or "").strip() if isinstance(values.get("kind"), str) else ""
    if label:
        if label in ("自然人", "个人"):
            err("kind", "法人名单不能列入自然人，请使用自然人名单报送。")
        elif label not in KIND_LABELS:
            err("kind", f"“{label}”不是可选的主体类型（{'、'.join(TEMPLATE_KINDS)}）。")
        else:
            row.kind = KIND_LABELS[label]
    elif result.category == "个体工商户":
        row.kind = Entity.Kind.INDIVIDUAL_BUSINESS
    elif result.code[:1] == "5":
        row.kind = Entity.Kind.SOCIAL_ORGANISATION
    row.legal_representative = _text(values.get("legal_representative"), 50,
                                     "legal_representative", err)


def _check_person(row, values, err):
    raw = _code_text(values.get("id_number"))
    number, message = check_id_number(raw)
    row.id_number = number
    if message:
        err("id_number", message)
    phone, message = check_phone(_code_text(values.get("phone")))
    row.phone = phone
    if message:
        err("phone", message)


def _district_lookup():
    areas = Unit.objects.filter(kind__in=[Unit.Kind.CITY, Unit.Kind.DISTRICT, Unit.Kind.COUNTY,
                                          Unit.Kind.ZONE])
    by_name, by_code = {}, {}
    for unit in areas:
        by_name[unit.name] = unit
        if unit.short_name:
            by_name[unit.short_name] = unit
        if unit.area_code:
            by_code[unit.area_code[:6]] = unit
    return by_name, by_code


def _district(row, value, districts, err):
    by_name, by_code = districts
    text = _code_text(value).strip()
    if text:
        unit = by_name.get(text) or by_code.get(text)
        if unit is None:
            err("district", f"“{text}”不是平台中的县（市、区）。")
        return unit
    if row.code and len(row.code) == 18:
        return by_code.get(row.code[2:8])
    if row.code:
        return by_code.get(row.code[:6])
    return None


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def _date(value, name, err, required=False):
    if value is None or value == "":
        if required:
            err(name, "不能为空。")
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = _DATE_TEXT.match(text) or re.match(r"^(\d{4})(\d{2})(\d{2})$", text)
    if match:
        try:
            return date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    err(name, f"“{text}”不是日期，请写成 2023-12-01。")
    return None
