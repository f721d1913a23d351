"""Opening an uploaded sheet that declares no size (`<dimension>`).

    python bench/bench_excel_open.py [--rows 100000]

Writes a 10-column sheet of --rows rows, removes its <dimension> (as some
programs write sheets), and times opening it read-only with openpyxl's own
size check and with ours (wenming.core.excel._declared_size), which reads
only the XML before the sheet's data. Prints both, best of 3.
"""

import argparse
import io
import os
import re
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def sheet_without_dimension(rows):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("名单")
    sheet.append(["统一社会信用代码", "名称", "类别"] + [f"列{i}" for i in range(7)])
    for r in range(rows):
        sheet.append([f"91411600MA{r:08d}", f"企业{r}", "红榜"] + [r] * 7)
    written = io.BytesIO()
    workbook.save(written)
    out = io.BytesIO()
    with zipfile.ZipFile(written) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"<dimension[^>]*/>", b"", data)
            dst.writestr(info.filename, data)
    return out.getvalue()


def best_open(content, rounds=3):
    from openpyxl import load_workbook

    best = None
    for _ in range(rounds):
        started = time.perf_counter()
        load_workbook(io.BytesIO(content), read_only=True).close()
        seconds = time.perf_counter() - started
        best = seconds if best is None else min(best, seconds)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    rows = parser.parse_args().rows
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    own = ReadOnlyWorksheet._get_size
    print(f"writing {rows:,} rows × 10 columns without <dimension>", flush=True)
    content = sheet_without_dimension(rows)
    print(f"  {len(content) / 1e6:.1f} MB xlsx")
    print(f"  openpyxl's own size check: {best_open(content):6.2f} s", flush=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenming.settings")
    from wenming.core import excel

    assert ReadOnlyWorksheet._get_size is excel._declared_size is not own
    print(f"  wenming.core.excel:        {best_open(content):6.2f} s")


if __name__ == "__main__":
    main()
