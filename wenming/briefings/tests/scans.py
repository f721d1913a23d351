"""Our own issues printed to page images the way a scanner or a phone
leaves them: 200 dpi, a slight skew, speckle noise. Used by the OCR tests
and bench/bench_ocr.py."""

from __future__ import annotations

import io
import random
import subprocess
import tempfile
from pathlib import Path

SCAN_DPI = 200
SKEW_DEGREES = 0.8


def scan_pages(pdf: bytes, dpi: int = SCAN_DPI, skew: float = SKEW_DEGREES,
               noise: float = 0.004, seed: int = 1) -> list[bytes]:
    """The PDF's pages as noisy, skewed grey PNG images."""
    from PIL import Image

    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="wm-scan-") as tmp:
        source = Path(tmp) / "in.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(source),
                        str(Path(tmp) / "p")], check=True, capture_output=True)
        pages = []
        for path in sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem.split("-")[-1])):
            image = Image.open(path).convert("L")
            pixels = image.load()
            for _ in range(int(image.width * image.height * noise)):
                x, y = rng.randrange(image.width), rng.randrange(image.height)
                pixels[x, y] = rng.choice((0, 90, 255))
            image = image.rotate(skew, resample=Image.BICUBIC, expand=True, fillcolor=255)
            buffer = io.BytesIO()
            image.save(buffer, "PNG")
            pages.append(buffer.getvalue())
    return pages


def images_to_pdf(pages: list[bytes], dpi: int = SCAN_DPI) -> bytes:
    """Page images bound into a PDF without a text layer, like a scanner's."""
    from PIL import Image

    images = [Image.open(io.BytesIO(page)).convert("L") for page in pages]
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return buffer.getvalue()


def char_accuracy(truth: str, read: str) -> float:
    """1 − edit distance / length, over hanzi, letters and digits only
    (punctuation and spacing are the layout's, not the reading's)."""
    from rapidfuzz.distance import Levenshtein

    def chars(text):
        return "".join(ch for ch in text if ch.isalnum())

    truth, read = chars(truth), chars(read)
    return 1 - Levenshtein.distance(truth, read) / max(len(truth), 1)
