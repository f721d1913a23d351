"""Small builders for credit tests: valid codes, department sheets, and a
list taken all the way to publication through the services."""

import csv
import io
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from wenming.core.idcard import make_id_number
from wenming.core.uscc import make_uscc
from wenming.credit import services
from wenming.credit.models import CreditList

LEGAL_HEADERS = ["主体名称", "统一社会信用代码", "主体类型", "法定代表人（负责人）", "所在县（市、区）",
                 "地址", "列入事由类别", "具体事由", "认定文书号", "认定日期", "有效期至", "备注"]
NATURAL_HEADERS = ["姓名", "身份证号码", "联系电话", "所在县（市、区）", "住址", "列入事由类别",
                   "具体事由", "认定文书号", "认定日期", "有效期至", "备注"]


def code(n, region="411602", category="1", department="9"):
    """A valid credit code, distinct for each n."""
    return make_uscc(department, category, region, f"MA{n:06d}")


def id_number(n, region="411602"):
    return make_id_number(region, date(1975, 1, 1) + timedelta(days=37 * n), n % 1000)


def legal_row(name, code_, basis="纳税信用A级", *, kind="企业", document="周税认〔2023〕1号",
              decided="2023-11-20", valid_until="", district="", detail="", legal_rep="张三",
              address=""):
    return [name, code_, kind, legal_rep, district, address, basis, detail, document, decided,
            valid_until, ""]


def natural_row(name, number, basis="失信被执行人", *, phone="13800138000",
                document="（2023）豫1602执123号", decided="2023-11-20"):
    return [name, number, phone, "", "", basis, "", document, decided, "", ""]


def sheet_bytes(rows, headers=LEGAL_HEADERS, *, header_row=3, extra_sheet=False, merged=False):
    """An .xlsx as a department would send it: a title row, a note row,
    the header on `header_row`, optionally a sheet of notes in front."""
    wb = Workbook()
    if extra_sheet:
        notes = wb.active
        notes.title = "说明"
        notes.append(["本表由各认定部门填写"])
        ws = wb.create_sheet("名单")
    else:
        ws = wb.active
    for i in range(1, header_row):
        ws.cell(row=i, column=1, value="周口市2023年度诚信建设法人红名单报送表" if i == 1 else "")
    if merged:
        # A two-level header: “主体信息” merged over name and code (row above),
        # “序号” merged over both header rows.
        top = header_row - 1
        ws.cell(row=top, column=1, value="序号")
        ws.merge_cells(start_row=top, start_column=1, end_row=header_row, end_column=1)
        ws.cell(row=top, column=2, value="主体信息")
        ws.merge_cells(start_row=top, start_column=2, end_row=top, end_column=3)
        for col, header in enumerate(headers, start=2):
            ws.cell(row=header_row, column=col, value=header)
        for r, row in enumerate(rows, start=header_row + 1):
            ws.cell(row=r, column=1, value=r - header_row)
            for col, value in enumerate(row, start=2):
                ws.cell(row=r, column=col, value=value)
    else:
        for col, header in enumerate(headers, start=1):
            ws.cell(row=header_row, column=col, value=header)
        for r, row in enumerate(rows, start=header_row + 1):
            for col, value in enumerate(row, start=1):
                ws.cell(row=r, column=col, value=value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows, headers=LEGAL_HEADERS, encoding="gbk"):
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(headers)
    writer.writerows(rows)
    return buf.getvalue().encode(encoding)


def as_file(content, name="名单.xlsx"):
    return SimpleUploadedFile(name, content)


def upload(actor, credit_list, department, rows, headers=LEGAL_HEADERS, name="名单.xlsx"):
    content = sheet_bytes(rows, headers) if name.endswith(".xlsx") else csv_bytes(rows, headers)
    return services.upload_listings(actor, credit_list, department, as_file(content, name))


def make_list(actor, year=2023, color="red", subject="legal"):
    return services.create_list(actor, year=year, color=color, subject=subject)


def publish(people, credit_list, published_on=None):
    """Review → notice → publication, the notice period already over."""
    editor, approver = people["editor"], people["approver"]
    published_on = published_on or date.today()
    services.submit_for_review(editor, credit_list)
    services.start_notice(editor, credit_list, days=7, today=published_on - timedelta(days=8))
    return services.publish_list(approver, credit_list, today=published_on)


def published_list(people, world, rows, *, color="red", subject="legal", year=2023,
                   published_on=None, headers=LEGAL_HEADERS):
    credit_list = make_list(people["editor"], year=year, color=color, subject=subject)
    upload(people["editor"], credit_list, world["dept"], rows, headers=headers)
    return publish(people, credit_list, published_on)


__all__ = ["CreditList", "LEGAL_HEADERS", "NATURAL_HEADERS", "as_file", "code", "csv_bytes",
           "id_number", "legal_row", "make_list", "natural_row", "publish", "published_list",
           "sheet_bytes", "upload"]
