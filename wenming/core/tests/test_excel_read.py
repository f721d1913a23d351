"""Reading the tables offices send: the header found under a title or over
merged cells, on whichever sheet has it; rows numbered as Excel shows them;
formulas never evaluated; every refusal a Chinese message about the file.
Pure functions: no database."""

import io

import pytest
from openpyxl import Workbook

from wenming.core.errors import DomainError
from wenming.core.excel import Formula, cell_text, read_table

SITE = {"name": ["点位名称", "名称"], "district": ["所属县区"], "address": ["地址"]}


def _xlsx(*rows, title_rows=0, build=None):
    workbook = Workbook()
    sheet = workbook.active
    for _ in range(title_rows):
        sheet.append(["周口市创建全国文明城市点位表"])
    for row in rows:
        sheet.append(list(row))
    if build:
        build(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _refusal(*args, **kwargs):
    with pytest.raises(DomainError) as e:
        read_table(*args, **kwargs)
    assert e.value.field == "file"
    return e.value.message


def test_rows_come_with_their_sheet_row_numbers_and_tidy_values():
    content = _xlsx(["点位名称", "所属县区", "地址", "备注"],
                    ["  五一路农贸市场 ", "川汇区", "", "x"],
                    [None, None, "   ", "只有备注"],
                    ["人民公园", "川汇区", 12, None])
    table = read_table(content, "点位.xlsx", SITE, what="点位表")
    assert table.header_row == 1 and table.sheet == "Sheet"
    # The row with only an unread column filled counts as blank.
    assert table.rows == [
        (2, {"name": "五一路农贸市场", "district": "川汇区", "address": None}),
        (4, {"name": "人民公园", "district": "川汇区", "address": 12}),
    ]


def test_header_under_a_title_is_found_only_when_scanning():
    content = _xlsx(["点位名称", "所属县区", "地址"], ["人民公园", "川汇区", "七一路"],
                    title_rows=2)
    table = read_table(content, "点位.xlsx", SITE, scan_rows=20)
    assert table.header_row == 3 and table.rows[0][0] == 4
    message = _refusal(content, "点位.xlsx", SITE, what="点位表")
    assert message.startswith("点位表第1行缺少表头：点位名称、所属县区、地址。")


def test_missing_required_columns_are_named_optional_ones_may_be_absent():
    content = _xlsx(["名称", "电话"], ["人民公园", "123"], title_rows=1)
    message = _refusal(content, "a.xlsx", SITE, {"name", "district"}, scan_rows=20)
    assert message == "文件中没有找到表头：请使用下载的模板填写，表头需包含“所属县区”。"
    table = read_table(content, "a.xlsx", SITE, {"name"}, scan_rows=20)
    assert table.columns == {"name": 0} and table.rows == [(3, {"name": "人民公园"})]


def test_headers_match_despite_marks_line_breaks_and_full_width_brackets():
    columns = {"name": ["主体名称"], "code": ["统一社会信用代码"], "rep": ["法定代表人"]}
    content = _xlsx(["*主体名称", "统一社会\n信用代码（必填）", "法定代表人(负责人)"],
                    ["鑫源食品", "91411602MA000001X", "张三"])
    table = read_table(content, "a.xlsx", columns)
    assert table.columns == {"name": 0, "code": 1, "rep": 2}
    assert table.column_label("code") == "“统一社会信用代码”列（B列）"
    assert table.column_label("rep") == "“法定代表人(负责人)”列（C列）"


def test_two_level_header_over_merged_cells():
    def merge(workbook):
        sheet = workbook.active
        sheet.merge_cells("A2:A3")  # 序号 over both header rows
        sheet.merge_cells("B2:C2")  # 点位信息 over name and district
        sheet.merge_cells("D2:D3")  # 地址 over both header rows

    content = _xlsx(["序号", "点位信息", None, "地址"], [None, "点位名称", "所属县区", None],
                    [1, "人民公园", "川汇区", "七一路"], title_rows=1, build=merge)
    table = read_table(content, "a.xlsx", SITE, scan_rows=20)
    assert table.header_row == 3
    assert table.columns == {"name": 1, "district": 2, "address": 3}
    assert table.rows == [(4, {"name": "人民公园", "district": "川汇区", "address": "七一路"})]


def test_header_split_over_two_rows_without_merging():
    content = _xlsx(["地址", None, None], [None, "点位名称", "所属县区"],
                    ["七一路", "人民公园", "川汇区"])
    table = read_table(content, "a.xlsx", SITE, scan_rows=20)
    assert table.header_row == 2 and table.columns["address"] == 0


def test_table_on_a_later_sheet_and_hidden_sheets_ignored():
    def sheets(workbook):
        workbook.active.title = "说明"
        hidden = workbook.create_sheet("选项")
        hidden.append(["点位名称", "所属县区", "地址"])
        hidden.append(["不该读到", "川汇区", ""])
        hidden.sheet_state = "hidden"
        data = workbook.create_sheet("点位")
        data.append(["点位名称", "所属县区", "地址"])
        data.append(["人民公园", "川汇区", "七一路"])

    content = _xlsx(["本表由各县区填写"], build=sheets)
    table = read_table(content, "a.xlsx", SITE)
    assert table.sheet == "点位" and table.rows[0][1]["name"] == "人民公园"


def test_formulas_come_back_as_text_never_evaluated():
    content = _xlsx(["点位名称", "所属县区", "地址"], ["=A1&\"公园\"", "川汇区", "=1+2"])
    values = read_table(content, "a.xlsx", SITE).rows[0][1]
    assert values["name"] == Formula('=A1&"公园"') and values["address"].text == "=1+2"


def test_empty_sheet_and_header_only():
    assert _refusal(_xlsx(), "a.xlsx", SITE, what="点位表").startswith("点位表第1行缺少表头")
    assert read_table(_xlsx(["点位名称", "所属县区", "地址"]), "a.xlsx", SITE).rows == []


def test_row_limit_counts_data_rows_not_blank_ones():
    content = _xlsx(["点位名称", "所属县区", "地址"], ["甲", "", ""], [], [None, None, None],
                    ["乙", "", ""])
    assert len(read_table(content, "a.xlsx", SITE, max_rows=2).rows) == 2
    content = _xlsx(["点位名称", "所属县区", "地址"], ["甲"], ["乙"], ["丙"])
    assert _refusal(content, "a.xlsx", SITE, what="点位表", max_rows=2) == \
        "点位表超过2行数据，请拆分后分批上传。"


@pytest.mark.parametrize("csv, name, message", [
    (False, "点位.xls", "请在 Excel 中“另存为” .xlsx 后重新上传"),
    (True, "点位.xls", "请在 Excel 中“另存为” .xlsx 或 CSV 后重新上传"),
    (False, "点位.pdf", "只能上传 .xlsx 文件。"),
    (False, "点位.csv", "只能上传 .xlsx 文件。"),
    (True, "点位.pdf", "只能上传 .xlsx 或 .csv 文件。"),
    (True, "点位.XLSX", "无法读取 Excel 文件：不是有效的 Excel（.xlsx）格式"),
])
def test_other_files_are_refused_by_name_or_content(csv, name, message):
    assert message in _refusal(b"not a spreadsheet", name, SITE, csv=csv)


def test_csv_in_gbk_or_utf8_with_any_delimiter():
    gbk = "周口市点位表\n点位名称,所属县区,地址\n人民公园,川汇区,七一路\n".encode("gbk")
    table = read_table(gbk, "点位.csv", SITE, csv=True, scan_rows=20)
    assert table.sheet == "CSV" and table.rows == [
        (3, {"name": "人民公园", "district": "川汇区", "address": "七一路"})]
    tabbed = "\ufeff点位名称\t所属县区\t地址\n人民公园\t川汇区\t\n".encode()
    table = read_table(tabbed, "点位.txt", SITE, csv=True)
    assert table.rows == [(2, {"name": "人民公园", "district": "川汇区", "address": None})]


def test_cell_text_keeps_codes_typed_into_number_cells():
    assert cell_text(None) == ""
    assert cell_text(91411600.0) == "91411600"
    assert cell_text(1.5) == "1.5"
    assert cell_text("  川汇区 ") == "川汇区"
    assert cell_text(Formula("=A1&B1")) == "=A1&B1"


def test_import_limit_of_the_settings_caps_any_row_limit(settings):
    settings.WENMING_IMPORT_MAX_ROWS = 2
    content = _xlsx(["点位名称", "所属县区", "地址"], ["甲"], ["乙"], ["丙"])
    assert _refusal(content, "a.xlsx", SITE, max_rows=50_000) == "文件超过2行数据，请拆分后分批上传。"


def test_too_many_columns_are_refused_naming_the_limit(settings):
    settings.WENMING_IMPORT_MAX_COLUMNS = 5
    wide = _xlsx(["点位名称", "所属县区", "地址"], ["甲", "", "", "", "", "", "多余"])
    assert _refusal(wide, "a.xlsx", SITE, what="点位表") == \
        "点位表有7列，超过了每个文件最多5列的限制，请删去多余的列后重新上传。"
    # Trailing empty cells do not count.
    assert len(read_table(_xlsx(["点位名称", "所属县区", "地址"], ["甲"] + [None] * 9),
                          "a.xlsx", SITE).rows) == 1


@pytest.mark.parametrize("name", ["a.xlsx", "a.csv"])
def test_too_many_cells_are_refused_naming_the_limit(settings, name):
    settings.WENMING_IMPORT_MAX_CELLS = 10
    rows = [["点位名称", "所属县区", "地址"]] + [[f"点位{n}", "川汇区", "路"] for n in range(5)]
    content = _xlsx(*rows) if name.endswith("xlsx") else \
        "\n".join(",".join(r) for r in rows).encode()
    assert _refusal(content, name, SITE, csv=True) == \
        "文件的单元格超过了每个文件最多10个的限制，请删去多余的行列或拆分后分批上传。"


def test_declared_sheet_size_is_refused_before_reading_rows(settings):
    settings.WENMING_IMPORT_MAX_ROWS = 1000

    def far_cell(workbook):
        workbook.active["A500000"] = "x"

    content = _xlsx(["点位名称", "所属县区", "地址"], ["甲"], build=far_cell)
    assert _refusal(content, "a.xlsx", SITE) == "文件超过1000行数据，请拆分后分批上传。"


def test_progress_is_reported_while_reading():
    rows = [["点位名称", "所属县区", "地址"]] + [[f"点位{n}"] for n in range(2500)]
    seen = []
    table = read_table(_xlsx(*rows), "a.xlsx", SITE, progress=seen.append)
    assert len(table.rows) == 2500 and seen == [1000, 2000]


def _rewrite_sheet(content, change):
    """The workbook with its first sheet's XML passed through `change`, as
    other programs write sheets (no `<dimension>`, padding)."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            dst.writestr(info.filename, data)
    return out.getvalue()


def _undeclared(content):
    import re

    return _rewrite_sheet(content, lambda xml: re.sub(rb"<dimension[^>]*/>", b"", xml))


def test_undeclared_oversized_sheet_is_refused_before_its_header_is_looked_for(settings):
    # No header the reader looks for: the refusal can only come from
    # counting the sheet before reading it.
    settings.WENMING_IMPORT_MAX_CELLS = 10
    rows = [["编号", "名字", "地方"]] + [[f"点位{n}", "川汇区", "路"] for n in range(5)]
    assert _refusal(_undeclared(_xlsx(*rows)), "a.xlsx", SITE) == \
        "文件的单元格超过了每个文件最多10个的限制，请删去多余的行列或拆分后分批上传。"


def test_undeclared_sheet_with_too_many_rows_is_refused_at_once(settings):
    settings.WENMING_IMPORT_MAX_ROWS = 10
    rows = [["编号"]] + [[n] for n in range(1100)]
    assert _refusal(_undeclared(_xlsx(*rows)), "a.xlsx", SITE) == \
        "文件超过10行数据，请拆分后分批上传。"


def test_undeclared_sheet_is_opened_without_parsing_its_cells_and_read_whole():
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    from wenming.core import excel

    # openpyxl's own check for <dimension> parses every cell of a sheet that
    # has none; an upgrade that drops the replaced internals fails here.
    assert ReadOnlyWorksheet._get_size is excel._declared_size
    rows = [["点位名称", "所属县区", "地址"]] + [[f"点位{n}", "川汇区", f"路{n}"]
                                             for n in range(2500)]
    table = read_table(_undeclared(_xlsx(*rows)), "a.xlsx", SITE)
    assert len(table.rows) == 2500
    assert table.rows[-1] == (2501, {"name": "点位2499", "district": "川汇区", "address": "路2499"})


def test_formatted_empty_cells_do_not_count_towards_the_limit(settings):
    settings.WENMING_IMPORT_MAX_CELLS = 10

    def format_far(workbook):
        from openpyxl.styles import Font

        for row in workbook.active.iter_rows(min_row=1, max_row=20, max_col=20):
            for cell in row:
                if cell.value is None:
                    cell.font = Font(bold=True)

    content = _undeclared(_xlsx(["点位名称", "所属县区", "地址"], ["甲", "川汇区", "路"],
                                build=format_far))
    assert read_table(content, "a.xlsx", SITE).rows == [
        (2, {"name": "甲", "district": "川汇区", "address": "路"})]


def test_sheet_that_unpacks_to_a_flood_is_refused_unread():
    # 20 MB of padding that compresses to a few kilobytes.
    padded = _rewrite_sheet(_xlsx(["点位名称", "所属县区", "地址"], ["甲"]),
                            lambda xml: xml.replace(b"<sheetData>", b" " * (20 << 20)
                                                    + b"<sheetData>", 1))
    assert len(padded) < 200_000
    assert "单元格超过了每个文件最多" in _refusal(padded, "a.xlsx", SITE)
