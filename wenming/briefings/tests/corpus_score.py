"""Scoring the importer against the corpus of real briefings (tests/corpus):
each fixture's JSON writes down the structure a person reads in it; a
field is right when the parse has the same value. Used by
test_importer_corpus.py and bench/bench_import_corpus.py."""

from __future__ import annotations

import json
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus"


def _squash(text) -> str:
    return "".join(str(text or "").split())


def fixtures() -> list[tuple[Path, dict]]:
    return [(path, json.loads(path.with_suffix(".json").read_text(encoding="utf-8")))
            for path in sorted(CORPUS.glob("*.txt"))]


def score(structure: dict, expected: dict) -> tuple[int, int, list[str]]:
    """(fields right, fields in all, what was wrong)."""
    right = total = 0
    wrong: list[str] = []

    def check(label, got, want):
        nonlocal right, total
        total += 1
        if got == want or (isinstance(want, str) and _squash(got) == _squash(want)):
            right += 1
        else:
            wrong.append(f"{label}: {got!r} ≠ {want!r}")

    expect = expected["expect"]
    for name in ("series", "kind", "number", "serial", "year", "date", "issuer", "marking"):
        if name in expect:
            check(name, structure.get(name), expect[name])
    columns = structure.get("columns", [])
    for c, want in enumerate(expect.get("columns", [])):
        got = columns[c] if c < len(columns) else {"name": None, "articles": []}
        check(f"column {c + 1}", got["name"], want["name"])
        if "count" in want:
            check(f"column {c + 1} items", len(got["articles"]), want["count"])
        for a, article in enumerate(want.get("articles", [])):
            have = got["articles"][a] if a < len(got["articles"]) else {}
            label = f"column {c + 1} article {a + 1}"
            check(f"{label} title", have.get("title"), article["title"])
            first = (have.get("paragraphs") or [""])[0]
            check(f"{label} text", _squash(first).startswith(_squash(article["starts"])), True)
            for name in ("source_unit",):
                if name in article:
                    check(f"{label} {name}", have.get(name), article[name])
            if "captions" in article:
                check(f"{label} captions", len(have.get("captions", [])), article["captions"])
            if "paragraphs" in article:
                check(f"{label} paragraphs", len(have.get("paragraphs", [])), article["paragraphs"])
    for name, want in expect.get("footer", {}).items():
        check(f"footer {name}", structure.get("footer", {}).get(name), want)
    if "extras" in expect:
        check("extras", len(structure.get("extras", [])), expect["extras"])
    return right, total, wrong
