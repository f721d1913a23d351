"""Excel in and out. Writing: Chinese headers, sensible widths, a frozen
header row, and every text cell written as text, never as a formula (see
`safe_value`). Reading: the tables offices actually send — the header under a
title or split over merged cells, on whichever sheet has it, optionally CSV
in UTF-8 or GBK. Formulas are never evaluated: a formula cell comes back as
`Formula` with its text, and the caller decides what to say about it."""

import io
import re
import unicodedata
from csv import reader as csv_reader
from dataclasses import dataclass, field

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet import _read_only
from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.functions import iterparse

from wenming.core.errors import DomainError


def _declared_size(sheet):
    """The size a read-only sheet declares (`<dimension>`), read from the
    opening of its XML only. openpyxl's own reader (3.1) waits for the end
    of `<sheetData>` to learn that a sheet declares none, so it parses every
    cell just to open a sheet: about 24 s for 3 million cells, before our
    row and cell limits are reached."""
    with sheet._get_source() as source:
        for _event, element in iterparse(source, events=("start",)):
            if element.tag == DIMENSION_TAG:
                (sheet._min_column, sheet._min_row, sheet._max_column,
                 sheet._max_row) = SheetDimension.from_tree(element).boundaries
                return
            if element.tag == DATA_TAG:
                return


# Replaced only while openpyxl keeps the internals it relies on.
if hasattr(_read_only.ReadOnlyWorksheet, "_get_size") and \
        hasattr(_read_only.ReadOnlyWorksheet, "_get_source"):
    _read_only.ReadOnlyWorksheet._get_size = _declared_size


_HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")

# Text that a spreadsheet runs as a formula: = + - @ first, also after the
# tabs, line breaks and spaces Excel and WPS skip (OWASP "CSV injection").
_FORMULA_START = re.compile(r"[\t\r\n ]*[=+\-@]")


def safe_value(value):
    """A value as the writers put it into a cell: text that starts like a
    formula gets a leading apostrophe, a read `Formula` becomes such text,
    anything else is unchanged.

    Why the apostrophe is part of the text and not only openpyxl's string
    type with the quotePrefix style (which would show the text exactly):
    a style is lost as soon as the sheet is saved as CSV or read by a tool
    that ignores styles (openpyxl, pandas) and hands the text on as "=…",
    where the next spreadsheet runs it. Text starting with "'" is never a
    formula: Excel and WPS show it literally (with the apostrophe), keep it
    text when the cell is edited, and openpyxl reads it back as a string.
    The cost is a visible apostrophe on the rare text that starts this way."""
    if isinstance(value, Formula):
        value = value.text
    if isinstance(value, str) and _FORMULA_START.match(value):
        return "'" + value
    return value


def _width(value):
    # CJK characters take about two columns of a Latin character.
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def style_header(cells):
    """Give cells the one look of a header row: bold on pale red, centred,
    wrapped. Returns the cells."""
    for cell in cells:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    return cells


def header_row(sheet, headers):
    """A styled header row to append to a write-only (streaming) sheet."""
    return style_header([WriteOnlyCell(sheet, value=h) for h in headers])


def add_table(workbook, title, headers, rows, widths=None):
    """A sheet with a bold frozen header row; widths default to the longest
    cell of each column, capped so long texts wrap instead."""
    sheet = workbook.create_sheet(title=title[:31])
    headers = [safe_value(h) for h in headers]
    sheet.append(list(headers))
    style_header(sheet[1])
    rows = [[safe_value(v) for v in r] for r in rows]
    for row in rows:
        sheet.append(row)
    for i, header in enumerate(headers, start=1):
        if widths and i <= len(widths) and widths[i - 1]:
            width = widths[i - 1]
        else:
            width = max([_width(header)] + [_width(r[i - 1]) for r in rows[:500]]) + 2
        sheet.column_dimensions[get_column_letter(i)].width = min(max(width, 6), 60)
    sheet.freeze_panes = "A2"
    return sheet


def workbook_bytes(sheets):
    """sheets: [(title, headers, rows, widths or None), …] → .xlsx bytes."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, headers, rows, widths in sheets:
        add_table(workbook, title, headers, rows, widths)
    buf = io.BytesIO()
    workbook.save(buf)
    return buf.getvalue()


@dataclass(frozen=True)
class Link:
    """A cell of `streamed_workbook_bytes` that shows `text` and opens `url`."""
    text: str
    url: str


def streamed_workbook_bytes(title, headers, rows, widths):
    """One sheet written row by row (openpyxl's write-only mode), so a big
    export stays small in memory; `rows` may be an iterator. Text wraps; a
    `Link` becomes a hyperlink."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    sheet.append(header_row(sheet, [safe_value(h) for h in headers]))
    wrap = Alignment(wrap_text=True, vertical="top")
    link_font = Font(color="0563C1", underline="single")
    for values in rows:
        row = []
        for value in values:
            if isinstance(value, Link):
                cell = WriteOnlyCell(sheet, value=safe_value(value.text))
                cell.hyperlink, cell.font = value.url, link_font
            else:
                cell = WriteOnlyCell(sheet, value=safe_value(value))
                cell.alignment = wrap
            row.append(cell)
        sheet.append(row)
    buf = io.BytesIO()
    workbook.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class Formula:
    text: str

    def __str__(self):
        return self.text


@dataclass
class Table:
    sheet: str
    header_row: int
    columns: dict  # key → 0-based column index
    headers: dict  # key → header text as written
    rows: list = field(default_factory=list)  # [(row number in the sheet, {key: value})]

    def column_label(self, key):
        """“统一社会信用代码”列（C列）"""
        return f"“{self.headers[key]}”列（{get_column_letter(self.columns[key] + 1)}列）"


def read_table(content, filename, columns, required=None, *, what="文件", scan_rows=1,
               max_rows=None, csv=False, progress=None):
    """The data rows under the header of the first table in the file whose
    header names every required column; refuses the file with a Chinese
    DomainError (field "file") when it is no such table.

    `columns` maps a key to the header texts that mean it, the template's
    first; `required` is the keys that must be there (all of them unless
    given). The header is looked for in the first `scan_rows` rows of every
    visible sheet. Rows come back as (row number, {key: value}), blank rows
    left out, text stripped and empty text as None. `what` names the file
    in messages (“点位表第1行缺少表头…”).

    The file is read as a stream (openpyxl read-only mode) and refused as
    soon as it passes a limit on rows (`max_rows`, at most the setting
    WENMING_IMPORT_MAX_ROWS), columns or cells, so an oversized file costs
    neither the memory nor the time of reading it whole. Only the columns
    asked for are kept. `progress(count)` is called every 1,000 rows."""
    limits = _Limits(what, max_rows)
    required = set(columns) if required is None else set(required)
    sheets = _sheets(content, filename, csv, scan_rows, limits)
    aliases = {_header_text(alias): key for key, names in columns.items() for alias in names}
    best = None
    for sheet in sheets:
        grid = sheet.head
        for index in range(min(scan_rows, len(grid))):
            found, headers = _header_at(grid, index, aliases)
            score = (required <= set(found), len(found))
            if best is None or score > best[0]:
                best = (score, sheet, index, found, headers)
    if best is None or not best[0][0]:
        missing = [key for key in columns if key in required - set(best[3] if best else ())]
        raise DomainError(_missing_message(what, scan_rows, [columns[m][0] for m in missing]),
                          field="file")
    _, sheet, index, found, headers = best
    table = Table(sheet=sheet.name, header_row=index + 1, columns=found, headers=headers)
    for number, cells in enumerate(sheet.rows(index + 1), start=index + 2):
        if progress and number % 1000 == 0:
            progress(number)
        values = {key: _tidy(cells[c] if c < len(cells) else None) for key, c in found.items()}
        if all(v is None for v in values.values()):
            continue
        if len(table.rows) >= limits.rows:
            raise limits.refuse_rows()
        table.rows.append((number, values))
    return table


class _Limits:
    """The row, column and cell ceilings of one read, and the messages that
    state them."""

    def __init__(self, what, max_rows):
        from django.conf import settings

        self.what = what
        self.rows = min(max_rows or settings.WENMING_IMPORT_MAX_ROWS,
                        settings.WENMING_IMPORT_MAX_ROWS)
        self.columns = settings.WENMING_IMPORT_MAX_COLUMNS
        self.cells = settings.WENMING_IMPORT_MAX_CELLS
        self.counted = 0

    def refuse_rows(self):
        return DomainError(f"{self.what}超过{self.rows}行数据，请拆分后分批上传。", field="file")

    def refuse_columns(self, count):
        return DomainError(f"{self.what}有{count}列，超过了每个文件最多{self.columns}列的限制，"
                           "请删去多余的列后重新上传。", field="file")

    def refuse_cells(self):
        return DomainError(f"{self.what}的单元格超过了每个文件最多{self.cells:,}个的限制，"
                           "请删去多余的行列或拆分后分批上传。", field="file")

    def count(self, cells):
        """Checks one row as read: its width, and the cells read so far."""
        width = len(cells)
        while width and cells[width - 1] in (None, ""):
            width -= 1
        if width > self.columns:
            raise self.refuse_columns(width)
        self.counted += width
        if self.counted > self.cells:
            raise self.refuse_cells()
        return cells


@dataclass
class _Sheet:
    name: str
    head: list  # the first scan_rows rows, merged header cells filled in
    rows: object  # rows(start) → iterator over the rows from index `start`


def _missing_message(what, scan_rows, labels):
    # Where the header must be on row 1 the user can be told which row
    # lacks what; where it is searched for, only what it must contain.
    if scan_rows == 1:
        return f"{what}第1行缺少表头：" + "、".join(labels) + "。请使用下载的模板填写。"
    return (f"{what}中没有找到表头：请使用下载的模板填写，表头需包含"
            + "、".join(f"“{label}”" for label in labels) + "。")


def _header_at(grid, index, aliases):
    """({key: column}, {key: header as written}) for the header on row `index`."""
    found, headers = {}, {}
    for col, value in enumerate(grid[index]):
        key = _match(value, aliases)
        if key is None and index > 0 and col < len(grid[index - 1]):
            # A column whose header was merged over two rows keeps its text
            # in the upper row.
            value = grid[index - 1][col]
            key = _match(value, aliases)
        if key and key not in found:
            found[key], headers[key] = col, _display_header(value)
    return found, headers


def _header_text(value):
    text = unicodedata.normalize("NFKC", str(value or ""))
    text = re.sub(r"[\s*＊]", "", text)
    return text.replace("(必填)", "").replace("(选填)", "")


def _display_header(value):
    """The header as the user wrote it, for messages: without the required
    marks and line breaks."""
    return re.sub(r"[\s*＊]", "", str(value or "")).replace("(必填)", "").replace("（必填）", "")


def _match(value, aliases):
    text = _header_text(value)
    if not text:
        return None
    for attempt in (text, re.sub(r"\(.*?\)", "", text)):
        if attempt in aliases:
            return aliases[attempt]
    return None


def cell_text(value):
    """A read cell as text: empty for none, a whole number without ".0"
    (codes typed into number cells come back as floats), a formula as
    written, anything else stripped."""
    if value is None:
        return ""
    if isinstance(value, Formula):
        return value.text
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _tidy(value):
    if isinstance(value, str):
        return value.strip() or None
    return value


def _sheets(content, filename, allow_csv, scan_rows, limits):
    """[_Sheet] of the visible sheets."""
    name = (filename or "").lower()
    if name.endswith(".xls"):
        save_as = ".xlsx 或 CSV" if allow_csv else ".xlsx"
        raise DomainError(f"不支持旧的 .xls 格式，请在 Excel 中“另存为” {save_as} 后重新上传。",
                          field="file")
    if allow_csv and name.endswith((".csv", ".txt")):
        return [_csv_sheet(content, scan_rows, limits)]
    if not name.endswith((".xlsx", ".xlsm")):
        kinds = ".xlsx 或 .csv" if allow_csv else ".xlsx"
        raise DomainError(f"只能上传 {kinds} 文件。", field="file")
    return _xlsx_sheets(content, scan_rows, limits)


def _csv_sheet(content, scan_rows, limits):
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

    def rows(start):
        for index, row in enumerate(csv_reader(io.StringIO(text), delimiter=delimiter)):
            limits.count(row)
            if index >= start:
                yield row

    head = []
    for row in csv_reader(io.StringIO(text), delimiter=delimiter):
        head.append(row)
        if len(head) >= scan_rows:
            break
    return _Sheet("CSV", head, rows)


def _xlsx_sheets(content, scan_rows, limits):
    try:
        _check_unpacked_size(content, limits, scan_rows)
        # Read-only: rows stream from the zip instead of the whole workbook
        # being built in memory. data_only=False: a formula cell gives its
        # formula, never a value computed by whoever saved the file.
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except DomainError:
        raise
    except Exception:  # openpyxl raises many kinds for a file that is not xlsx
        raise DomainError("无法读取 Excel 文件：不是有效的 Excel（.xlsx）格式，"
                          "请在 Excel 中“另存为” .xlsx 后重新上传。", field="file") from None
    sheets = []
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            continue
        # The size the file declares (formatting alone can make it wider
        # than the data, so only a gross excess): refused before a row is read.
        if (sheet.max_row or 0) > limits.rows + scan_rows + 1000:
            raise limits.refuse_rows()
        if (sheet.max_row or 0) * (sheet.max_column or 0) > limits.cells * 2:
            raise limits.refuse_cells()
        head = []
        for row in sheet.iter_rows(max_row=scan_rows):
            head.append([_cell_value(cell) for cell in row])
        # A merged header cell holds its text in the top-left cell only; give
        # it to every cell it covers, within the rows a header can be.
        for min_col, min_row, max_col, max_row in _merged_ranges(workbook, sheet):
            if min_row > scan_rows or min_row > len(head):
                continue
            value = head[min_row - 1][min_col - 1] if min_col <= len(head[min_row - 1]) else None
            for r in range(min_row, min(max_row, scan_rows, len(head)) + 1):
                line = head[r - 1]
                line.extend([None] * (max_col - len(line)))
                for c in range(min_col, max_col + 1):
                    line[c - 1] = value
        sheets.append(_Sheet(sheet.title, head, _xlsx_rows(sheet, limits, scan_rows)))
    return sheets


def _xlsx_rows(sheet, limits, scan_rows):
    def rows(start):
        for index, row in enumerate(sheet.iter_rows()):
            if index < scan_rows:
                cells = [_cell_value(cell) for cell in row]
                limits.count(cells)
                if index >= start:
                    yield cells
                continue
            yield limits.count([_cell_value(cell) for cell in row])
    return rows


def _check_unpacked_size(content, limits, scan_rows):
    """A small zip can unpack to gigabytes; openpyxl holds the shared
    strings in memory even in read-only mode, so their size is bounded by
    the cell limit (about 64 bytes a cell) before anything is parsed. The
    worksheets are counted here too, before openpyxl opens the workbook
    (which alone takes minutes for a 20-million-cell sheet)."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for info in archive.infolist():
            if info.filename.endswith("sharedStrings.xml") and \
                    info.file_size > limits.cells * 64:
                raise limits.refuse_cells()
        for info in archive.infolist():
            if re.fullmatch(r"xl/worksheets/[^/]+\.xml", info.filename):
                _count_sheet_xml(archive, info, limits, scan_rows)


# A cell with a value has content (`<c r="B2"><v>1</v></c>`); an empty but
# formatted one has none (`<c r="B2" s="1"/>`, openpyxl writes
# `<c r="B2" s="1"></c>`), and a formatted empty row closes itself.
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>]")
_EMPTY_CELL_TAG = re.compile(rb"<(?:\w+:)?c(?:\s[^>]*)?(?:/>|>\s*</(?:\w+:)?c>)")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>]")
_EMPTY_ROW_TAG = re.compile(rb"<(?:\w+:)?row\s[^>]*/>")
# Bytes of worksheet XML a sheet within the cell limit can plausibly need
# (inline strings make cells long), and the compression a real sheet never
# reaches: past both the part is a zip bomb, refused without unpacking it.
_XML_BYTES_PER_CELL = 256
_MIN_XML_CEILING = 64 << 20
_BOMB_RATIO = 200


def _count_sheet_xml(archive, info, limits, scan_rows):
    """Counts the cells with a value and the rows holding cells in a
    sheet's XML, a chunk at a time without parsing it, and refuses the file
    as soon as a count passes its limit: openpyxl would spend minutes
    opening and streaming a 20-million-cell sheet before reaching the cell
    limit, and a sheet need not declare its size (`<dimension>`). Both counts are at
    most what the row reader counts, so a file it would accept is never
    refused here; the row ceiling keeps the margin of the declared size
    check for formatted but empty rows."""
    if info.file_size > max(limits.cells * _XML_BYTES_PER_CELL, _MIN_XML_CEILING) or (
            info.file_size > _MIN_XML_CEILING // 4
            and info.file_size > info.compress_size * _BOMB_RATIO):
        raise limits.refuse_cells()
    max_rows = limits.rows + scan_rows + 1000
    cells = rows = 0
    tail = b""
    with archive.open(info) as src:
        while chunk := src.read(1 << 20):
            data = tail + chunk
            # Only whole tags are counted, and an empty cell's two tags
            # together: no "<" occurs inside a tag, so everything before the
            # last two "<" is complete (tags are short; past that the "<"
            # began text, kept from piling up).
            cut = data.rfind(b"<", 0, max(data.rfind(b"<"), 0))
            if cut < 0 or len(data) - cut > 8192:
                cut = len(data)
            data, tail = data[:cut], data[cut:]
            cells += len(_CELL_TAG.findall(data)) - len(_EMPTY_CELL_TAG.findall(data))
            if cells > limits.cells:
                raise limits.refuse_cells()
            rows += len(_ROW_TAG.findall(data)) - len(_EMPTY_ROW_TAG.findall(data))
            if rows > max_rows:
                raise limits.refuse_rows()


_MERGE_CELL = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')


def _merged_ranges(workbook, sheet):
    """The merged ranges of a read-only sheet, which openpyxl does not give:
    found in the sheet's XML as a stream, a chunk at a time."""
    from openpyxl.utils.cell import range_boundaries

    found, tail = set(), b""
    with workbook._archive.open(sheet._worksheet_path) as src:
        while chunk := src.read(1 << 20):
            data = tail + chunk
            found.update(_MERGE_CELL.findall(data))
            tail = data[-200:]
    return [range_boundaries(ref.decode()) for ref in found]


def _cell_value(cell):
    if getattr(cell, "data_type", None) == "f":
        value = cell.value
        text = getattr(value, "text", None) or str(value)
        return Formula(text if text.startswith("=") else "=" + text)
    return cell.value
