"""Importer of legacy briefing issues: a TXT, PDF or DOCX file → the issue's
structure (see `parse_file`) → a published issue (see `store.import_issue`).

    {"series", "kind", "year", "number", "serial", "is_supplement", "issuer",
     "date" (ISO), "marking", "note",
     "columns": [{"name", "articles": [{"title", "paragraphs": [...], "lead_in",
                                        "source_unit"?, "author"?,
                                        "captions"?: [...]}]}],
     "footer": {"report_to", "copy_to", "issue_to", "print_run"},
     "extras"?: [lines with no field of their own], "correction_note"?}
"""

from wenming.briefings.importer.extract import (
    check_size,
    extract_bytes,
    extract_path,
    extract_upload,
)
from wenming.briefings.importer.parse import ParseResult, parse_extraction
from wenming.briefings.importer.text import Extraction, ImportRefused


def parse_file(path) -> ParseResult:
    return parse_extraction(extract_path(path))


def parse_bytes(data: bytes) -> ParseResult:
    return parse_extraction(extract_bytes(data))


def parse_upload(uploaded) -> ParseResult:
    return parse_extraction(extract_upload(uploaded))


__all__ = ["Extraction", "ImportRefused", "ParseResult", "check_size", "extract_bytes",
           "extract_path", "extract_upload", "parse_bytes", "parse_extraction", "parse_file",
           "parse_upload"]
