"""Large department sheets for the load tests and benchmarks, written
straight as SpreadsheetML (openpyxl needs ~20 s for 2.5 million cells).
Row n is a valid, distinct firm with every cell filled, so a sheet within
the limits imports and rows × columns is its number of cells."""

import io
import zipfile
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

from wenming.credit.tests.factories import LEGAL_HEADERS, code, legal_row

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
</Types>"""
_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
_WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>"""
_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
</Relationships>"""


def listing_xlsx(rows, columns=12):
    """A legal-entity listing sheet: the header on row 1, then `rows` firms,
    `columns` wide (columns past the template's hold a note)."""
    headers = LEGAL_HEADERS + [f"附加{n}" for n in range(len(LEGAL_HEADERS), columns)]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                        b'main"><sheetData>')
            sheet.write(_row(1, headers[:columns]))
            for n in range(1, rows + 1):
                values = legal_row(f"周口市第{n}号商贸有限公司", code(n), detail="连续三年纳税信用A级",
                                   address=f"川汇区七一路{n}号", valid_until="2026-11-19")
                values[-1] = "无"
                values += ["附"] * (columns - len(values))
                sheet.write(_row(n + 1, values[:columns]))
            sheet.write(b"</sheetData></worksheet>")
    return buf.getvalue()


def _row(number, values):
    cells = "".join(
        f'<c r="{get_column_letter(i)}{number}" t="inlineStr"><is><t>{escape(str(v))}</t></is></c>'
        for i, v in enumerate(values, start=1) if v != "")
    return f'<row r="{number}">{cells}</row>'.encode()
