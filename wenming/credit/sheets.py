"""The tables departments actually send, read with `core.excel.read_table`
as credit reads them: .xlsx or .csv, the header anywhere in the first rows
(under a title, split over merged cells), on whichever sheet has it.
Formula cells come back as `Formula`; the caller decides what to say.
"""

from wenming.core import excel

HEADER_SCAN_ROWS = 20


def read_table(content, filename, fields, required, max_rows=20000, progress=None):
    """The data rows of the first table in the file whose header names
    every required field. `fields` maps a field name to the header texts
    that mean it. `max_rows=None`: the import limit of the settings."""
    return excel.read_table(content, filename, fields, required, what="文件",
                            scan_rows=HEADER_SCAN_ROWS, max_rows=max_rows, csv=True,
                            progress=progress)

