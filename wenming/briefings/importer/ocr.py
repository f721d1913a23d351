"""Reading scanned briefings (PDF pages without a text layer, JPG/PNG photos
of pages) by OCR, offline.

Two engines, measured on the same pages (bench/bench_ocr.py, bench/README.md):
RapidOCR (PP-OCR models on ONNX Runtime, shipped inside its wheel) reads
Chinese print better (99.7 % vs 98.2 % of characters on our rendered
issues scanned at 200 dpi) at about twice tesseract's time, so it is the
one used; Debian's tesseract-ocr with chi_sim is the fallback where the
wheel is not installed. WENMING_OCR_ENGINE ("auto", "rapidocr",
"tesseract", "none") pins one.

The OCR is optional at runtime: with no engine a scan is refused with a
message saying so. Each page gives its lines with their boxes, the same
shape pdf.py reads from a text layer, so the layout rules (indent,
centring, right margin, page breaks) are shared.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

from wenming.briefings.importer.text import ImportRefused

OCR_LANG = "chi_sim"
OCR_DPI = 200  # PDF pages are rasterised at this resolution (a scanner's usual)
OCR_TIMEOUT = 120  # seconds for one page
OCR_MAX_PAGES = 40


def _tesseract() -> str:
    return getattr(settings, "WENMING_OCR_TESSERACT", "tesseract")


def _wanted() -> str:
    return getattr(settings, "WENMING_OCR_ENGINE", "auto")


def _rapidocr_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("rapidocr_onnxruntime") is not None


def engine() -> str | None:
    """The engine a scan will be read with, or None."""
    wanted = _wanted()
    if wanted in ("auto", "rapidocr") and _rapidocr_installed():
        return "rapidocr"
    if wanted in ("auto", "tesseract") and _tesseract_reason() is None:
        return "tesseract"
    return None


def ocr_unavailable_reason() -> str | None:
    """None when OCR can run, else why not (in Chinese)."""
    if engine():
        return None
    if _wanted() == "none":
        return "本系统已关闭文字识别（OCR）"
    if _wanted() == "rapidocr":
        return "服务器未安装文字识别（OCR）组件 RapidOCR"
    return _tesseract_reason()


def _tesseract_reason() -> str | None:
    try:
        proc = subprocess.run([_tesseract(), "--list-langs"], capture_output=True, timeout=30)
    except (FileNotFoundError, PermissionError, subprocess.TimeoutExpired):
        return "服务器未安装文字识别（OCR）组件 tesseract-ocr"
    if OCR_LANG not in proc.stdout.decode(errors="replace").split():
        return "服务器的文字识别（OCR）组件缺少简体中文模型 tesseract-ocr-chi-sim"
    return None


def require_ocr(what: str) -> None:
    reason = ocr_unavailable_reason()
    if reason:
        raise ImportRefused(f"{what}，需要文字识别（OCR）才能读取，但OCR不可用：{reason}。"
                            "请联系管理员安装，或导入原始的 Word 或带文字层的 PDF 文件。")


def pdf_page_images(data: bytes) -> list[bytes]:
    """The pages of a PDF as grey PNG images at OCR_DPI."""
    with tempfile.TemporaryDirectory(prefix="wm-ocr-") as tmp:
        source = Path(tmp) / "in.pdf"
        source.write_bytes(data)
        try:
            subprocess.run(["pdftoppm", "-r", str(OCR_DPI), "-gray", "-png", "-l",
                            str(OCR_MAX_PAGES), str(source), str(Path(tmp) / "p")],
                           capture_output=True, timeout=OCR_TIMEOUT * 2, check=True)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            raise ImportRefused("扫描版 PDF 无法转换为图片进行文字识别，文件可能已损坏。") from None
        return [p.read_bytes() for p in sorted(Path(tmp).glob("p-*.png"),
                                               key=lambda p: int(p.stem.split("-")[-1]))]


class Reader:
    """One engine, loaded once per file: `read(image)` gives a page's lines."""

    def __init__(self):
        self.engine = engine()
        if self.engine is None:
            raise ImportRefused(f"文字识别（OCR）不可用：{ocr_unavailable_reason()}。")
        self._rapid = None
        if self.engine == "rapidocr":
            from rapidocr_onnxruntime import RapidOCR

            self._rapid = RapidOCR()

    def read(self, image: bytes) -> list[tuple]:
        if self._rapid is None:
            return ocr_page(image)
        result, _ = self._rapid(image)
        lines = []
        for box, text, _score in result or []:
            xs, ys = [p[0] for p in box], [p[1] for p in box]
            if text.strip():
                lines.append((float(min(xs)), float(min(ys)), float(max(xs)), float(max(ys)),
                              text.strip()))
        return sorted(lines, key=lambda line: (line[1], line[0]))


def ocr_page(image: bytes) -> list[tuple]:
    """The printed lines of one page image as (x0, y0, x1, y1, text), top to
    bottom, from tesseract's word boxes."""
    try:
        proc = subprocess.run([_tesseract(), "stdin", "stdout", "-l", OCR_LANG, "--psm", "4",
                               "-c", "preserve_interword_spaces=1", "tsv"],
                              input=image, capture_output=True, timeout=OCR_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise ImportRefused(f"一页扫描件的文字识别超过{OCR_TIMEOUT}秒仍未完成。") from None
    if proc.returncode != 0:
        raise ImportRefused("图片无法读取（文件可能已损坏或不是图片）。")
    lines: dict[tuple, list] = {}
    for row in proc.stdout.decode("utf-8", errors="replace").splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue
        left, top, width, height = (int(c) for c in cells[6:10])
        key = tuple(int(c) for c in cells[1:5])
        box = lines.setdefault(key, [left, top, left + width, top + height, []])
        box[0], box[1] = min(box[0], left), min(box[1], top)
        box[2], box[3] = max(box[2], left + width), max(box[3], top + height)
        box[4].append((left, cells[11].strip()))
    out = []
    for x0, y0, x1, y1, words in lines.values():
        words.sort()
        out.append((float(x0), float(y0), float(x1), float(y1), " ".join(w for _, w in words)))
    return sorted(out, key=lambda line: (line[1], line[0]))
