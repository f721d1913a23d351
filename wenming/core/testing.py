"""Test helpers shared across apps."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

SHARED_DIR = Path(__file__).resolve().parents[2].parent / "shared"


def shared_file(*parts):
    """A file from ../shared (the seed and friends). A user's clone has no
    ../shared, so tests skip; CI sets WENMING_REQUIRE_SHARED=1 to fail instead."""
    path = SHARED_DIR.joinpath(*parts)
    if not path.exists():
        message = f"{path} 不存在（../shared 仅在开发环境提供）"
        if os.environ.get("WENMING_REQUIRE_SHARED") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


# Real PDF bytes, read back with poppler's tools.

def poppler_tool(name):
    if not shutil.which(name):
        pytest.fail(f"{name} 未安装：apt-get install poppler-utils")
    return name


def pdf_text(pdf: bytes, first: int | None = None, last: int | None = None) -> str:
    args = [poppler_tool("pdftotext")]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return subprocess.run(
        [*args, "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def squash(text: str) -> str:
    """Text without whitespace and without the "— N —" page numbers."""
    return re.sub(r"—\d+—", "", "".join(text.split()))


def page_count(pdf: bytes) -> int:
    return pdf_text(pdf).count("\f")


def assert_in_order(text: str, pieces: list[str]):
    pos = 0
    for piece in pieces:
        found = text.find(squash(piece), pos)
        assert found >= 0, f"missing or out of order: {piece[:30]}"
        pos = found + len(squash(piece))
