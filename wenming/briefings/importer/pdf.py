"""The text layer of a PDF, as lines with their layout: indent, centring,
right margin, vertical gaps, page breaks.

The text layer is read with poppler's pdftotext (-bbox-layout), not pypdf:
- CJK: poppler maps glyphs to Unicode through ToUnicode maps and, for older
  Chinese PDFs without them, through the Adobe-GB1 CMaps of poppler-data;
  pypdf knows only some predefined CMaps and garbles such files;
- layout: every line comes with its box, so paragraphs are found from their
  first-line indent and right margin instead of guessed from punctuation;
- damaged files: poppler rebuilds broken xref tables, and a hostile file
  costs a subprocess with a timeout rather than our worker's memory;
- speed: a 10-page issue takes ~30 ms.
poppler-utils is already a system requirement (scripts/bootstrap).
"""

from __future__ import annotations

import statistics
import subprocess
from collections import Counter

from wenming.briefings.importer import ocr
from wenming.briefings.importer.text import (
    Extraction,
    ImportRefused,
    Line,
    clean,
    is_page_number,
    key,
)

PDF_TIMEOUT = 60  # seconds for pdftotext on one file


def pdf_extraction(data: bytes) -> Extraction:
    try:
        proc = subprocess.run(["pdftotext", "-bbox-layout", "-enc", "UTF-8", "-", "-"],
                              input=data, capture_output=True, timeout=PDF_TIMEOUT)
    except FileNotFoundError:
        raise ImportRefused("服务器未安装 pdftotext（poppler-utils），暂时无法读取 PDF，"
                            "请联系管理员。") from None
    except subprocess.TimeoutExpired:
        raise ImportRefused(f"读取 PDF 超过{PDF_TIMEOUT}秒仍未完成，文件可能已损坏。") from None
    if proc.returncode != 0:
        if b"password" in proc.stderr.lower():
            raise ImportRefused("PDF 文件设置了打开密码，请先解除加密再导入。")
        raise ImportRefused("PDF 文件已损坏，无法读取。")
    pages = _pdf_pages(proc.stdout)
    if not pages:
        raise ImportRefused("PDF 文件已损坏，无法读取（没有页面）。")
    chars = sum(len(text) for page in pages for *_, text in page)
    if chars < 10:
        return scan_extraction(ocr.pdf_page_images(data) if _ocr_ready("这个 PDF 没有文字层（扫描件）")
                               else [], "pdf")
    return layout_extraction(pages, "pdf")


def _ocr_ready(what: str) -> bool:
    ocr.require_ocr(what)
    return True


def scan_extraction(images: list[bytes], fmt: str) -> Extraction:
    """A scan: every page image read by OCR, then laid out like a text layer."""
    reader = ocr.Reader()
    # RapidOCR may cut a printed line in two, as poppler does.
    pages = [_merge_same_line(reader.read(image)) for image in images]
    if sum(len(text) for page in pages for *_, text in page) < 10:
        raise ImportRefused("扫描件经文字识别（OCR）没有读出文字：可能是空白页，或图片太模糊。")
    extraction = layout_extraction(pages, fmt)
    extraction.warnings.insert(0, f"这是扫描件，共{len(pages)}页的文字由 OCR（{reader.engine}）识别，"
                                  "可能有错字，请对照原件核对。")
    return extraction


def layout_extraction(pages, fmt: str) -> Extraction:
    extraction = Extraction(fmt, [], [], pages=len(pages))
    margins = _margins(pages)
    heads = _running_heads(pages)
    for number, page in enumerate(pages, start=1):
        if not page:
            extraction.warnings.append(f"第{number}页没有文字层（可能是扫描页），已跳过。")
            continue
        _pdf_page_lines(extraction, number, page, margins[number % 2], heads)
    return extraction


def _pdf_pages(xhtml: bytes) -> list[list[tuple]]:
    """Per page, the physical lines as (x0, y0, x1, y1, text), in reading order."""
    from lxml import etree

    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True,
                             huge_tree=True)
    try:
        root = etree.fromstring(xhtml, parser)
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    pages = []
    for page in root.iter("{*}page"):
        lines = []
        for line in page.iter("{*}line"):
            words = [w.text or "" for w in line.iter("{*}word")]
            text = " ".join(w for w in words if w.strip())
            if text:
                box = tuple(float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))
                lines.append((*box, text))
        pages.append(_merge_same_line(lines))
    return pages


def _merge_same_line(lines):
    """Top to bottom, one entry per printed line. Poppler sometimes splits a
    line (a compressed CJK punctuation mark overlapping its neighbour; issuer
    and date far apart; the page number read between two halves of the
    imprint): pieces sharing a baseline are joined left to right."""
    merged = []
    for x0, y0, x1, y1, text in sorted(lines, key=lambda line: (line[1], line[0])):
        if merged:
            px0, py0, px1, py1, ptext = merged[-1]
            overlap = min(y1, py1) - max(y0, py0)
            if overlap > 0.5 * min(y1 - y0, py1 - py0):
                (ax0, _, ax1, _, atext), (bx0, _, _, _, btext) = sorted(
                    [(px0, py0, px1, py1, ptext), (x0, y0, x1, y1, text)])
                gap = "  " if bx0 - ax1 > 2 * (y1 - y0) else " "
                merged[-1] = (min(x0, px0), min(y0, py0), max(x1, px1), max(y1, py1),
                              atext + gap + btext)
                continue
        merged.append((x0, y0, x1, y1, text))
    return merged


_OPENERS = "“‘《（(【〔［[「『〈\"'"


def _margins(pages):
    """(left, right) of the text block on odd and on even pages (binding
    margins differ): where the lines of text reach furthest. Lines opening
    with a bracket or quote are left out (CJK typesetting may pull them half
    a character into the margin), and so are page numbers."""
    margins = {}
    for parity in (1, 0):
        lines = [line for n, page in enumerate(pages, 1) if n % 2 == parity for line in page
                 if len(line[4]) >= 6 and line[4][0] not in _OPENERS]
        if lines:
            # Full lines end at the margin; a few hang a punctuation mark beyond it.
            ends = Counter(round(line[2]) for line in lines).most_common(1)[0]
            right = ends[0] if ends[1] >= 3 else max(line[2] for line in lines)
            margins[parity] = (min(line[0] for line in lines), right)
    if not margins:
        everything = [line for page in pages for line in page]
        margins[1] = (min(line[0] for line in everything), max(line[2] for line in everything))
    return {parity: margins.get(parity) or next(iter(margins.values())) for parity in (1, 0)}


def _edges(page):
    lines = [line for line in page if not is_page_number(line[4])]
    return {id(lines[0]), id(lines[-1])} if lines else set()


def _running_heads(pages) -> set:
    """Running heads and feet: the same line at the top or bottom of most
    pages after the first. They are not part of the text."""
    if len(pages) < 3:
        return set()
    counts = Counter()
    for page in pages[1:]:
        counts.update({key(line[4]) for line in page if id(line) in _edges(page)})
    repeated = {k for k, n in counts.items() if k and n >= max(2, (len(pages) - 1) / 2)}
    return {id(line) for page in pages[1:] for line in page
            if id(line) in _edges(page) and key(line[4]) in repeated}


def _pdf_page_lines(extraction: Extraction, number: int, page: list[tuple], margins,
                    heads=frozenset()) -> None:
    long = [line for line in page if len(line[4]) >= 6]
    em = statistics.median((y1 - y0) for _, y0, _, y1, _ in (long or page))
    left, right = margins
    steps = [b[1] - a[1] for a, b in zip(page, page[1:], strict=False) if 0 < b[1] - a[1] < 3 * em]
    pitch = statistics.median(steps) if steps else 1.5 * em
    previous_top = None
    for i, (x0, y0, x1, _, text) in enumerate(page):
        extraction.source.append(text)
        left_gap, right_gap = x0 - left, right - x1
        centered = left_gap > 2.5 * em and abs(left_gap - right_gap) <= em
        line = Line(
            no=len(extraction.source), text=clean(text), raw=text, page=number,
            indent=left_gap >= 0.8 * em and not centered, centered=centered,
            gap_before=previous_top is not None and y0 - previous_top > 1.6 * pitch,
            page_break=i == 0 and number > 1, full=right_gap <= 1.2 * em,
        )
        previous_top = y0
        if line.text and id(page[i]) not in heads:
            extraction.lines.append(line)
