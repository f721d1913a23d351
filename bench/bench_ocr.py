"""OCR of scanned briefings: our own issues rendered to PDF, printed to page
images at 200 dpi with noise and a slight skew, read back by tesseract
(chi_sim) and, when it can be imported, RapidOCR (ONNX) for comparison.
Prints character accuracy against the PDF's text layer, seconds per page,
and whether the structure comes back as from the text PDF."""

import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenming.settings")

import django  # noqa: E402

django.setup()

from wenming.briefings.importer import parse_bytes  # noqa: E402
from wenming.briefings.importer.ocr import ocr_page  # noqa: E402
from wenming.briefings.render.pdf import render_issue_pdf  # noqa: E402
from wenming.briefings.tests.importing import COUNTY, comparable  # noqa: E402
from wenming.briefings.tests.scans import char_accuracy, images_to_pdf, scan_pages  # noqa: E402
from wenming.briefings.tests.seed import seed_issue  # noqa: E402


def text_layer(pdf: bytes) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                         check=True).stdout.decode()
    return out.split("\f")


def rapidocr_engine():
    from django.conf import settings

    from wenming.briefings.importer.ocr import Reader

    settings.WENMING_OCR_ENGINE = "rapidocr"
    try:
        return Reader()
    except Exception:
        return None


def main():
    rapid = rapidocr_engine()
    for name, data in (("seed", seed_issue()), ("county", COUNTY)):
        pdf = render_issue_pdf(data)
        truth = text_layer(pdf)
        pages = scan_pages(pdf)
        for engine in ("tesseract", "rapidocr") if rapid else ("tesseract",):
            read, start = [], time.perf_counter()
            for page in pages:
                if engine == "tesseract":
                    read.append("\n".join(line[4] for line in ocr_page(page)))
                else:
                    read.append("\n".join(line[4] for line in rapid.read(page)))
            seconds = (time.perf_counter() - start) / len(pages)
            accuracy = char_accuracy("".join(truth), "".join(read))
            print(f"{name:7} {engine:9} {len(pages)} pages  {seconds:5.2f} s/page  "
                  f"character accuracy {accuracy:.2%}")
        start = time.perf_counter()
        scanned = parse_bytes(images_to_pdf(pages))
        from_text = parse_bytes(pdf)
        same = comparable(scanned.structure) == comparable(from_text.structure)
        titles = [a["title"] for c in scanned.structure["columns"] for a in c["articles"]]
        want = [a["title"] for c in from_text.structure["columns"] for a in c["articles"]]
        right = sum(1 for a, b in zip(titles, want, strict=False) if a == b)
        print(f"{name:7} scanned PDF parse {time.perf_counter() - start:.1f} s; structure same as "
              f"text PDF: {same}; titles {right}/{len(want)}; warnings {len(scanned.warnings)}")


if __name__ == "__main__":
    main()
