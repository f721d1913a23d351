"""Reading the tables departments actually send: .xlsx or .csv, the header
wherever it is in the first rows (under a title, split over merged cells),
on whichever sheet has it, CSV in UTF-8 or GBK. Formulas are never
evaluated: a formula cell comes back as `Formula` with its text, and the
caller decides what to say about it.

Writing goes through `safe_cell`, which defuses text that a spreadsheet
would run as a formula.
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from wenming.core.errors import DomainError

HEADER_SCAN_ROWS = 20
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class SheetError(DomainError):
    """The file cannot be read as a table at all."""


@dataclass(frozen=True)
class Formula:
    text: str

    def __str__(self):
        return self.text


@dataclass
class Table:
    sheet: str
    header_row: int
    columns: dict  # field → 0-based column index
    headers: dict  # field → header text as written
    rows: list = field(default_factory=list)  # (row number, {field: value})

    def column_label(self, name):
        """“统一社会信用代码”列（C列）"""
        return f"“{self.headers[name]}”列（{get_column_letter(self.columns[name] + 1)}列）"


def safe_cell(value):
    """Text that starts like a formula (= + - @) gets a leading apostrophe,
    so no spreadsheet evaluates it (OWASP CSV/formula injection)."""
    if isinstance(value, Formula):
        value = value.text
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _header_text(value):
    text = unicodedata.normalize("NFKC", str(value or ""))
    text = re.sub(r"[\s*＊]", "", text)
    return text.replace("(必填)", "").replace("(选填)", "")


def _display_header(value):
    """The header as the user wrote it, for messages: without the required
    marks and line breaks."""
    return re.sub(r"[\s*＊]", "", str(value or "")).replace("(必填)", "").replace("（必填）", "")


def _match_field(value, aliases):
    text = _header_text(value)
    if not text:
        return None
    for attempt in (text, re.sub(r"\(.*?\)", "", text)):
        if attempt in aliases:
            return aliases[attempt]
    return None


def _alias_map(fields):
    return {_header_text(alias): name for name, names in fields.items() for alias in names}


def read_table(content, filename, fields, required, max_rows=20000):
    """Find the header and return the data rows of the first table in the
    file whose header names every required field. `fields` maps a field
    name to the header texts that mean it."""
    name = (filename or "").lower()
    if name.endswith(".xls") and not name.endswith(".xlsx"):
        raise SheetError("不支持旧的 .xls 格式，请在 Excel 中“另存为” .xlsx 或 CSV 后重新上传。")
    if name.endswith(".csv") or name.endswith(".txt"):
        grids = [("CSV", _csv_grid(content))]
    elif name.endswith(".xlsx") or name.endswith(".xlsm"):
        grids = _xlsx_grids(content)
    else:
        raise SheetError("只能上传 .xlsx 或 .csv 文件。")
    aliases = _alias_map(fields)
    best = None
    for sheet_name, grid in grids:
        for index in range(min(HEADER_SCAN_ROWS, len(grid))):
            columns, headers = {}, {}
            for col, value in enumerate(grid[index]):
                found = _match_field(value, aliases)
                if found is None and index > 0 and col < len(grid[index - 1]):
                    # A column whose header was merged over two rows keeps
                    # its text in the upper row.
                    found = _match_field(grid[index - 1][col], aliases)
                    value = grid[index - 1][col]
                if found and found not in columns:
                    columns[found], headers[found] = col, _display_header(value)
            score = (required <= set(columns), len(columns))
            if best is None or score > best[0]:
                best = (score, sheet_name, grid, index, columns, headers)
    if best is None or not best[0][0]:
        missing = sorted(required - set(best[4] if best else ()), key=list(fields).index)
        labels = "、".join(f"“{fields[m][0]}”" for m in missing)
        raise SheetError(f"没有找到表头：请使用下载的模板填写，表头需包含{labels}。")
    _, sheet_name, grid, index, columns, headers = best
    table = Table(sheet=sheet_name, header_row=index + 1, columns=columns, headers=headers)
    for offset, cells in enumerate(grid[index + 1:], start=index + 2):
        values = {f: (cells[c] if c < len(cells) else None) for f, c in columns.items()}
        values = {f: _tidy(v) for f, v in values.items()}
        if all(v in (None, "") for v in values.values()):
            continue
        if len(table.rows) >= max_rows:
            raise SheetError(f"文件超过{max_rows}行数据，请拆分后分批上传。")
        table.rows.append((offset, values))
    return table


def _tidy(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _csv_grid(content):
    if content.startswith(b"\xef\xbb\xbf"):
        text = content[3:].decode("utf-8", errors="replace")
    else:
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            # GBK files from Excel on Chinese Windows; GB 18030 is its superset.
            text = content.decode("gb18030", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = max([",", "\t", ";"], key=first.count)
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _xlsx_grids(content):
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        # data_only=False: a formula cell gives its formula, never a value
        # computed by whoever saved the file.
        workbook = load_workbook(io.BytesIO(content), read_only=False, data_only=False)
    except (BadZipFile, KeyError, ValueError, OSError) as e:
        raise SheetError(f"无法读取 Excel 文件，请确认是 .xlsx 格式（{type(e).__name__}）。") from e
    grids = []
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            continue
        grid = []
        for row in sheet.iter_rows():
            grid.append([_cell_value(cell) for cell in row])
        # A merged header cell holds its text in the top-left cell only;
        # give it to every cell it covers, within the rows a header can be.
        for merged in sheet.merged_cells.ranges:
            if merged.min_row > HEADER_SCAN_ROWS:
                continue
            value = grid[merged.min_row - 1][merged.min_col - 1]
            for r in range(merged.min_row, min(merged.max_row, HEADER_SCAN_ROWS) + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    grid[r - 1][c - 1] = value
        grids.append((sheet.title, grid))
    return grids


def _cell_value(cell):
    if cell.data_type == "f":
        value = cell.value
        text = getattr(value, "text", None) or str(value)
        return Formula(text if text.startswith("=") else "=" + text)
    return cell.value
