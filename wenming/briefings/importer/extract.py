"""From a file to lines of text with layout hints: format detection, size and
zip-bomb checks, encoding detection for .txt, the text of .docx (and, in
pdf.py, the text layer of .pdf).

The format is told by the bytes, never by the file name: a renamed file gets
the same answer as the original.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import zipfile

from django.conf import settings

from wenming.briefings.importer import ocr
from wenming.briefings.importer.pdf import pdf_extraction, scan_extraction
from wenming.briefings.importer.text import (
    Extraction,
    ImportRefused,
    Line,
    clean,
    ends_sentence,
    width,
)

# A .docx is a zip of XML; real ones expand 5-30 times (styles.xml ~30x).
# Anything far beyond that, or beyond these totals, is refused before a
# single member is decompressed.
DOCX_MAX_MEMBERS = 2000
DOCX_MAX_TOTAL = 200 * 1024 * 1024
DOCX_MAX_RATIO = 100
_RATIO_FLOOR = 1024 * 1024  # tiny members may compress extremely well

_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def max_bytes() -> int:
    return settings.WENMING_MAX_UPLOAD_BYTES


def check_size(size: int | None) -> None:
    """Refuse a file over the upload limit from its announced size alone."""
    limit = max_bytes()
    if size is not None and size > limit:
        raise ImportRefused(f"文件大小为{_mb(size)}，超过{_mb(limit)}的上限，未读取。")


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n % (1024 * 1024) else f"{n // (1024 * 1024)} MB"


def extract_path(path) -> Extraction:
    check_size(os.stat(path).st_size)
    with open(path, "rb") as f:
        return extract_bytes(f.read(max_bytes() + 1))


def extract_upload(uploaded) -> Extraction:
    """An UploadedFile: its size is known before any byte is read."""
    check_size(uploaded.size)
    uploaded.seek(0)
    return extract_bytes(uploaded.read(max_bytes() + 1))


def extract_bytes(data: bytes) -> Extraction:
    check_size(len(data))
    if not data.strip():
        raise ImportRefused("文件是空的。")
    fmt = detect_format(data)
    if fmt == "pdf":
        return pdf_extraction(data)
    if fmt == "image":
        ocr.require_ocr("这是一张图片（扫描或拍摄的简报）")
        return scan_extraction([_image_for_ocr(data)], "image")
    if fmt == "docx":
        return _docx(data)
    return _txt(data)


_OTHER_FORMATS = [
    (b"\xd0\xcf\x11\xe0", "旧版 Word（.doc）或 WPS 文件，请另存为 .docx 后再导入"),
    (b"{\\rtf", "RTF 文件，请另存为 .docx 后再导入"),
    (b"GIF8", "图片（GIF），请另存为 PNG 或 JPG 后再导入"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩包"),
]
_SUPPORTED = "只支持 TXT（UTF-8 或 GBK 编码）、PDF、DOCX，以及扫描或拍摄的 JPG/PNG 图片"
_IMAGES = (b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


def detect_format(data: bytes) -> str:
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if data.startswith(_IMAGES):
        return "image"
    for magic, what in _OTHER_FORMATS:
        if data.startswith(magic):
            raise ImportRefused(f"这是{what}。{_SUPPORTED}。")
    return "txt"


def _image_for_ocr(data: bytes) -> bytes:
    """A photo or scan as a grey PNG the OCR reads; a damaged image or a
    decompression bomb is refused here."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > 80_000_000:
                raise ImportRefused(f"图片尺寸为{image.width}×{image.height}像素，过大，已拒绝。")
            grey = image.convert("L")
            buffer = io.BytesIO()
            grey.save(buffer, "PNG")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ImportRefused("图片已损坏，无法读取。") from None
    return buffer.getvalue()


# --- TXT --------------------------------------------------------------------------------


def decode_text(data: bytes) -> tuple[str, str]:
    """The text and the name of its encoding: UTF-8 (with or without BOM),
    UTF-16 with BOM, or GBK/GB18030. Anything else is refused: guessing
    wrong would import garbage that looks like Chinese."""
    for bom, codec, name in ((codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
                             (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
                             (codecs.BOM_UTF16_BE, "utf-16", "UTF-16")):
        if data.startswith(bom):
            try:
                return _plain_text(data.decode(codec)), name
            except UnicodeDecodeError:
                break
    if b"\x00" in data[:8192]:  # no text in UTF-8 or GBK contains NUL bytes
        raise ImportRefused(f"这不是文本文件。{_SUPPORTED}。")
    try:
        return _plain_text(data.decode("utf-8")), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _looks_like_gb_text(text):
        return _plain_text(text), "GBK/GB18030"
    raise ImportRefused("无法识别文本文件的编码：既不是 UTF-8，也不是 GBK/GB18030。"
                        "请用记事本或 WPS 把它另存为 UTF-8 编码后重新导入。")


def _looks_like_gb_text(text: str) -> bool:
    """Bytes of another encoding (Big5, Shift-JIS, Latin-1) often decode as
    GB18030 too, but into rare characters. Real GBK text uses almost only
    the 6,763 common hanzi of GB2312."""
    hanzi = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if len(hanzi) < 2:
        return False
    common = 0
    for ch in hanzi:
        try:
            ch.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common >= 0.97 * len(hanzi)


def _plain_text(text: str) -> str:
    controls = len(_CONTROLS.findall(text))
    if controls > max(10, len(text) // 200):
        raise ImportRefused(f"这不是文本文件（含有大量控制字符）。{_SUPPORTED}。")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _indent_of(raw: str) -> int:
    n = 0
    for ch in raw:
        if ch == " " or ch == "\u00a0":
            n += 1
        elif ch == "\u3000":
            n += 2
        elif ch == "\t":
            n += 4
        else:
            break
    return n


def _txt(data: bytes) -> Extraction:
    text, encoding = decode_text(data)
    source = text.split("\n")
    lines: list[Line] = []
    widths: list[float] = []
    gap = page_break = False
    for no, raw in enumerate(source, start=1):
        if "\f" in raw:  # a form feed from a PDF-to-text tool: a page break
            page_break = True
            raw = raw.replace("\f", "")
        cleaned = clean(raw)
        if not cleaned:
            gap = True
            continue
        # A paragraph indent is a few spaces; far more is text centred by
        # a layout-keeping PDF-to-text tool.
        indent = _indent_of(raw)
        lines.append(Line(no=no, text=cleaned, raw=raw, gap_before=gap, page_break=page_break,
                          indent=2 <= indent <= 8, centered=indent > 8))
        widths.append(width(raw.rstrip()))
        gap = page_break = False
    _txt_layout(lines, widths)
    return Extraction("txt", source, lines, encoding=encoding)


def _txt_layout(lines: list[Line], widths: list[float]) -> None:
    """Indentation means something only when some lines have it; a right
    margin exists only when the text was wrapped at a fixed width (a PDF
    saved as text)."""
    if not any(line.indent or line.centered for line in lines):
        for line in lines:
            line.indent = None
    measured = sorted(w for w in widths if w >= 4)
    if len(measured) < 8:
        return
    wrap = measured[int(len(measured) * 0.9)]
    near = sum(1 for w in measured if w >= wrap - 1.5)
    if 10 <= wrap <= 60 and near >= max(5, 0.3 * len(measured)):
        for line, w in zip(lines, widths, strict=True):
            line.full = w >= wrap - 1.5
            # About two characters short and cut mid-sentence: likely the
            # first line of a paragraph whose indent the extraction dropped.
            if wrap - 4.5 <= w < wrap - 1.5 and not ends_sentence(line.text):
                line.opens = line.full = True


# --- DOCX -------------------------------------------------------------------------------


def check_zip(data: bytes) -> zipfile.ZipFile:
    """Open a DOCX as a zip after checking what its directory announces.
    zipfile never returns more than a member's announced size (a lying
    header fails its CRC check), so these limits hold for python-docx too."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportRefused("DOCX 文件已损坏，无法打开。") from None
    if len(infos) > DOCX_MAX_MEMBERS:
        raise ImportRefused(f"DOCX 文件含有{len(infos)}个部件，超过{DOCX_MAX_MEMBERS}个的上限，"
                            "疑似压缩炸弹，已拒绝。")
    total = sum(info.file_size for info in infos)
    if total > DOCX_MAX_TOTAL:
        raise ImportRefused(f"DOCX 文件解压后将达{_mb(total)}，超过{_mb(DOCX_MAX_TOTAL)}的上限，"
                            "疑似压缩炸弹，已拒绝。")
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_FLOOR and ratio > DOCX_MAX_RATIO:
            raise ImportRefused(f"DOCX 文件中的“{info.filename}”压缩比高达{ratio:.0f}倍，"
                                "疑似压缩炸弹，已拒绝。")
    if "word/document.xml" not in {info.filename for info in infos}:
        raise ImportRefused(f"这是一个 ZIP 压缩包，但不是 Word 文档（DOCX）。{_SUPPORTED}。")
    return archive


def _docx(data: bytes) -> Extraction:
    from docx import Document

    check_zip(data)
    try:
        document = Document(io.BytesIO(data))
    except Exception:  # python-docx raises many kinds on a damaged package
        raise ImportRefused("DOCX 文件已损坏，无法读取。") from None
    source: list[str] = []
    lines: list[Line] = []
    gap = False
    for paragraph, centered in _docx_paragraphs(document.element.body):
        for i, raw in enumerate(paragraph.split("\n")):
            source.append(raw.replace("\t", " ").rstrip())
            cleaned = clean(raw)
            if not cleaned:
                gap = True
                continue
            # Every Word paragraph is a paragraph; a manual line break is not.
            lines.append(Line(no=len(source), text=cleaned, raw=raw, centered=centered,
                              gap_before=gap, hard_break=i == 0))
            gap = False
    return Extraction("docx", source, lines)


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_SKIP = {f"{{{_W}}}txbxContent", f"{{{_MC}}}Fallback", f"{{{_W}}}del", f"{{{_W}}}instrText",
         f"{{{_W}}}delText", f"{{{_W}}}pPr", f"{{{_W}}}rPr"}


def _docx_paragraphs(body):
    """(text, centered) of every paragraph in reading order: body, tables and
    text boxes (mastheads often sit in one); the fallback copy Word keeps of
    each text box is skipped."""
    for p in body.iter(f"{{{_W}}}p"):
        if any(a.tag == f"{{{_MC}}}Fallback" for a in p.iterancestors()):
            continue
        jc = p.find(f"{{{_W}}}pPr/{{{_W}}}jc")
        centered = jc is not None and jc.get(f"{{{_W}}}val") == "center"
        yield "".join(_docx_text(p)), centered


def _docx_text(element):
    for child in element:
        tag = child.tag
        if tag in _SKIP or not isinstance(tag, str):
            continue
        if tag == f"{{{_W}}}t":
            yield child.text or ""
        elif tag == f"{{{_W}}}tab":
            yield "\t"
        elif tag in (f"{{{_W}}}br", f"{{{_W}}}cr"):
            yield "\n"
        elif tag == f"{{{_W}}}noBreakHyphen":
            yield "-"
        else:
            yield from _docx_text(child)
