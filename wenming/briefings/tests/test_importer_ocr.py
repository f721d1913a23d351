"""Scanned briefings: our own issues printed to page images at 200 dpi with
noise and a slight skew, read back by OCR into the same structure as from
the text PDF; without OCR a scan is refused, saying why."""

import io
import subprocess

import pytest
from PIL import Image

from wenming.briefings.importer import ImportRefused, parse_bytes
from wenming.briefings.importer.ocr import engine
from wenming.briefings.render.pdf import render_issue_pdf
from wenming.briefings.tests.importing import SUPPLEMENT, comparable
from wenming.briefings.tests.scans import char_accuracy, images_to_pdf, scan_pages

needs_ocr = pytest.mark.skipif(engine() is None, reason="no OCR engine installed")
ACCURACY_FLOOR = 0.98


@pytest.fixture(scope="module")
def text_pdf():
    return render_issue_pdf(SUPPLEMENT)


@pytest.fixture(scope="module")
def pages(text_pdf):
    return scan_pages(text_pdf)


def _masthead_and_shape(structure):
    data = comparable(structure)
    return ({k: data[k] for k in ("series", "kind", "year", "number", "serial", "is_supplement",
                                  "issuer", "date", "marking")},
            [(c["name"], [len(a["paragraphs"]) for a in c["articles"]])
             for c in data["columns"]])


@needs_ocr
def test_scanned_pdf_gives_the_structure_of_the_text_pdf(text_pdf, pages):
    scanned = parse_bytes(images_to_pdf(pages))
    from_text = parse_bytes(text_pdf)
    assert scanned.extraction.format == "pdf" and scanned.extraction.pages == len(pages)
    assert "这是扫描件" in scanned.warnings[0] and "OCR" in scanned.warnings[0]
    assert _masthead_and_shape(scanned.structure) == _masthead_and_shape(from_text.structure)
    read = "".join(p for c in scanned.structure["columns"] for a in c["articles"]
                   for p in [a["title"], *a["paragraphs"]])
    truth = "".join(p for c in from_text.structure["columns"] for a in c["articles"]
                    for p in [a["title"], *a["paragraphs"]])
    assert char_accuracy(truth, read) >= ACCURACY_FLOOR


@needs_ocr
def test_a_photo_of_a_page_is_read(pages, text_pdf):
    buffer = io.BytesIO()
    Image.open(io.BytesIO(pages[0])).convert("RGB").save(buffer, "JPEG", quality=85)
    result = parse_bytes(buffer.getvalue())
    assert result.extraction.format == "image" and result.extraction.format_label == "图片（OCR）"
    assert result.structure["series"] == SUPPLEMENT["series_title"]
    assert result.structure["number"] == SUPPLEMENT["number"] and result.structure["is_supplement"]
    first_page = subprocess.run(["pdftotext", "-l", "1", "-", "-"], input=text_pdf,
                                capture_output=True, check=True).stdout.decode()
    assert char_accuracy(first_page, "\n".join(result.extraction.source)) >= ACCURACY_FLOOR


@pytest.mark.skipif(engine() is None, reason="no OCR engine installed")
def test_tesseract_reads_a_page_too(settings, pages):
    settings.WENMING_OCR_ENGINE = "tesseract"
    if engine() is None:
        pytest.skip("tesseract-ocr with chi_sim is not installed")
    result = parse_bytes(pages[0])
    assert "OCR（tesseract）" in result.warnings[0]
    assert result.structure["number"] == SUPPLEMENT["number"]


def test_a_scan_without_ocr_is_refused_saying_so(settings, pages):
    settings.WENMING_OCR_ENGINE = "tesseract"
    settings.WENMING_OCR_TESSERACT = "/nonexistent/tesseract"
    with pytest.raises(ImportRefused) as info:
        parse_bytes(images_to_pdf(pages[:1]))
    assert info.value.message.startswith("这个 PDF 没有文字层（扫描件），需要文字识别（OCR）才能读取，"
                                         "但OCR不可用：服务器未安装文字识别（OCR）组件 tesseract-ocr")
    settings.WENMING_OCR_ENGINE = "none"
    with pytest.raises(ImportRefused, match="这是一张图片.*OCR不可用：本系统已关闭文字识别"):
        parse_bytes(pages[0])


@needs_ocr
def test_a_blank_scan_is_refused():
    buffer = io.BytesIO()
    Image.new("RGB", (595, 842), "white").save(buffer, "PDF")
    with pytest.raises(ImportRefused, match="没有读出文字"):
        parse_bytes(buffer.getvalue())


def test_a_damaged_image_is_refused():
    with pytest.raises(ImportRefused, match="图片已损坏"):
        parse_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
