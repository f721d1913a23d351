"""Test helpers shared across apps."""

import os
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
