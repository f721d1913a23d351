"""Excel output as offices expect it: Chinese headers, sensible widths, a
frozen header row."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

_HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")


def _width(value):
    # CJK characters take about two columns of a Latin character.
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def add_table(workbook, title, headers, rows, widths=None):
    """A sheet with a bold frozen header row; widths default to the longest
    cell of each column, capped so long texts wrap instead."""
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    rows = [list(r) for r in rows]
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
