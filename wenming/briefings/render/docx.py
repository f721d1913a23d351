"""Word (DOCX) edition of a briefing issue, laid out like the printed red-masthead 简报.

Pure function of the issue's data dict (see ``render_issue_docx``); no Django models here.
Page: A4, margins top 37 mm, bottom 35 mm, left (binding) 28 mm, right 26 mm; body in
仿宋_GB2312 3号 with an exact 28.95 pt line pitch (22 lines per page). Every run names its
font for the East Asian, ASCII and high-ANSI ranges, so Word or WPS on an office PC picks
the official faces; LibreOffice elsewhere substitutes what it has.
"""

from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from .txt import (
    article_paragraphs,
    byline,
    captions,
    column_header,
    correction_text,
    date_text,
    footer_lines,
    lead_in_title,
    note_lines,
    number_text,
    one_line,
    visible_columns,
)

FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"

# Alternate names Word may fall back to when the official face is missing.
_FONT_TABLE = {
    FANGSONG: ("仿宋", "modern", "fixed"),
    KAITI: ("楷体", "modern", "fixed"),
    XIAOBIAOSONG: ("宋体", "script", "variable"),
    HEITI: ("SimHei", "modern", "fixed"),
    SONGTI: ("SimSun", "auto", "variable"),
}

RED = RGBColor(0xE6, 0x00, 0x12)
RED_HEX = "E60012"

BODY_SIZE = Pt(16)  # 3号
TITLE_SIZE = Pt(18)  # 小二
FOOTER_SIZE = Pt(14)  # 4号
LINE = Pt(28.95)
HALF_LINE = Pt(28.95 / 2)
TEXT_WIDTH = Mm(210 - 28 - 26)

# Schema order: children that must follow w:pBdr in w:pPr, and w:spacing in w:rPr.
_PPR_AFTER_PBDR = tuple(
    "w:" + tag
    for tag in (
        "shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE"
        " autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents"
        " suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId"
        " cnfStyle rPr sectPr pPrChange"
    ).split()
)
_RPR_AFTER_SPACING = tuple(
    "w:" + tag
    for tag in (
        "w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs em lang"
        " eastAsianLayout specVanish oMath"
    ).split()
)
_TBLPR_AFTER_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption")

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def render_issue_docx(data: dict) -> bytes:
    """Render a briefing issue to the bytes of a .docx file.

    Raises ValueError (with a Chinese message) if any text holds characters that
    cannot be stored in a Word document.
    """
    _check_text(data)
    document = Document()
    _set_up_document(document, data)

    marking = one_line(data.get("marking"))
    if marking:
        _text_paragraph(document, marking, HEITI, BODY_SIZE)
    _masthead(document, data)

    correction = correction_text(data)
    if correction:
        _text_paragraph(document, correction, KAITI, BODY_SIZE, before=HALF_LINE, indent=True)

    columns = visible_columns(data)
    _table_of_contents(document, columns)
    _editors_note(document, note_lines(data.get("note")))
    for column in columns:
        _column_body(document, column)
    _imprint(document, footer_lines(data.get("footer")))

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- sections of the issue -------------------------------------------------------------


def _masthead(document, data: dict) -> None:
    series = one_line(data.get("series_title"))
    kind = one_line(data.get("kind"))
    if series:
        size = Pt(min(36, int(400 / max(len(series), 1))))
        paragraph = _paragraph(document, WD_ALIGN_PARAGRAPH.CENTER, line=None, before=Pt(12))
        _run(paragraph, series, XIAOBIAOSONG, size, color=RED)
    if kind:
        size = Pt(min(60, int(400 / max(len(kind), 1))))
        paragraph = _paragraph(document, WD_ALIGN_PARAGRAPH.CENTER, line=None)
        run = _run(paragraph, kind, XIAOBIAOSONG, size, color=RED)
        if len(kind) <= 4:
            _letter_spacing(run, size.pt / 2)

    paragraph = _paragraph(document, WD_ALIGN_PARAGRAPH.CENTER, before=Pt(6))
    _run(paragraph, number_text(data), FANGSONG, BODY_SIZE)

    # Issuer at the left, date at the right, and the red rule under both.
    # Tab stops keep both one character in from the edges while the rule spans the width.
    paragraph = _paragraph(document, before=Pt(6))
    tabs = paragraph.paragraph_format.tab_stops
    tabs.add_tab_stop(BODY_SIZE, WD_TAB_ALIGNMENT.LEFT)
    tabs.add_tab_stop(TEXT_WIDTH - BODY_SIZE, WD_TAB_ALIGNMENT.RIGHT)
    _run(paragraph, "\t" + one_line(data.get("issuer")), FANGSONG, BODY_SIZE)
    _run(paragraph, "\t" + date_text(data), FANGSONG, BODY_SIZE)
    _border(paragraph, "bottom", size=18, color=RED_HEX, space=6)


def _table_of_contents(document, columns: list[dict]) -> None:
    for index, column in enumerate(columns):
        header = column_header(column)
        if header:
            before = Pt(14) if index == 0 else 0
            _text_paragraph(document, header, HEITI, BODY_SIZE, before=before, keep_next=True)
        for article in column["articles"]:
            paragraph = _text_paragraph(document, one_line(article.get("title")), KAITI, BODY_SIZE)
            paragraph.paragraph_format.left_indent = BODY_SIZE * 2
    if columns:
        # A thin red rule closes the contents.
        spacer = _paragraph(document)
        _border(spacer, "top", size=6, color=RED_HEX, space=0)
        spacer.paragraph_format.line_spacing = Pt(14)


def _editors_note(document, lines: list[str]) -> None:
    for index, line in enumerate(lines):
        paragraph = _paragraph(document, WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
        if index == 0:
            _run(paragraph, "编者按：", KAITI, BODY_SIZE, bold=True)
        _run(paragraph, line, KAITI, BODY_SIZE)


def _column_body(document, column: dict) -> None:
    header = column_header(column)
    if header:
        _text_paragraph(document, header, HEITI, BODY_SIZE, before=LINE, keep_next=True)
    for index, article in enumerate(column["articles"]):
        if article.get("lead_in"):
            _lead_in_article(document, article)
        else:
            _full_article(document, article, before=HALF_LINE if index == 0 else LINE)


def _full_article(document, article: dict, before) -> None:
    lines = [part.strip() for part in (article.get("title") or "").splitlines() if part.strip()]
    paragraph = _paragraph(document, WD_ALIGN_PARAGRAPH.CENTER, before=before, keep_next=True)
    paragraph.paragraph_format.space_after = HALF_LINE
    _run(paragraph, "\n".join(lines), XIAOBIAOSONG, TITLE_SIZE)
    for text in article_paragraphs(article):
        _body_paragraph(document, text)
    _captions(document, article)
    credit = byline(article)
    if credit:
        _text_paragraph(document, credit, KAITI, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.RIGHT)


def _lead_in_article(document, article: dict) -> None:
    paragraphs = article_paragraphs(article) or [""]
    first = _body_paragraph(document, paragraphs[0], lead=lead_in_title(article.get("title")))
    last = first
    for text in paragraphs[1:]:
        last = _body_paragraph(document, text)
    credit = byline(article)
    if credit:
        _run(last, credit, KAITI, BODY_SIZE)
    _captions(document, article)


def _captions(document, article: dict) -> None:
    """Photo captions under the text, centred in 楷体 as the PDF sets them."""
    for text in captions(article):
        _text_paragraph(document, text, KAITI, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)


def _body_paragraph(document, text: str, lead: str = ""):
    paragraph = _paragraph(document, WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
    if lead:
        _run(paragraph, lead, FANGSONG, BODY_SIZE, bold=True)
    if text:
        _run(paragraph, text, FANGSONG, BODY_SIZE)
    return paragraph


def _imprint(document, lines: list[tuple[str, str]]) -> None:
    """The 版记: 报/送/发 lines and 共印N份 between a thick top and bottom rule."""
    if not lines:
        return
    _paragraph(document)
    table = document.add_table(rows=len(lines), cols=1)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _table_borders(table)
    for row, (kind, text) in zip(table.rows, lines, strict=True):
        _cant_split(row)
        cell = row.cells[0]
        cell.width = TEXT_WIDTH
        paragraph = cell.paragraphs[0]
        fmt = paragraph.paragraph_format
        fmt.space_before = fmt.space_after = 0
        fmt.line_spacing = LINE
        fmt.keep_with_next = True
        if kind == "print_run":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            fmt.right_indent = FOOTER_SIZE
        else:
            # Wrapped recipient lists line up after "报：".
            fmt.left_indent = FOOTER_SIZE * 3
            fmt.first_line_indent = -FOOTER_SIZE * 2
        _run(paragraph, text, FANGSONG, FOOTER_SIZE)


# --- document set-up ---------------------------------------------------------------------


def _set_up_document(document, data: dict) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(24)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is not None:
        grid.set(qn("w:linePitch"), str(round(LINE.pt * 20)))

    document.settings.odd_and_even_pages_header_footer = True
    _page_number_footer(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number_footer(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)

    _set_default_fonts(document)
    _extend_font_table(document)

    props = document.core_properties
    props.title = f"{one_line(data.get('series_title'))}{one_line(data.get('kind'))}" + (
        f" {number_text(data)}"
    )
    props.author = one_line(data.get("issuer"))
    props.last_modified_by = props.author
    props.language = "zh-CN"
    props.comments = ""


def _set_default_fonts(document) -> None:
    """Make 仿宋_GB2312 3号 the default, replacing the template's theme fonts."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    old = run_defaults.find(qn("w:rFonts"))
    if old is not None:
        run_defaults.remove(old)
    run_defaults.insert(0, _rfonts_element(FANGSONG))
    lang = run_defaults.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")

    normal = document.styles["Normal"]
    normal.font.size = BODY_SIZE
    _apply_fonts(normal.element.get_or_add_rPr(), FANGSONG)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = 0
    fmt.line_spacing = LINE
    fmt.widow_control = True


def _extend_font_table(document) -> None:
    part = next(
        rel.target_part for rel in document.part.rels.values() if rel.reltype == RELATIONSHIP_TYPE.FONT_TABLE
    )
    fonts = parse_xml(part.blob)
    for name, (alt, family, pitch) in _FONT_TABLE.items():
        fonts.append(
            parse_xml(
                f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alt}"/>'
                f'<w:charset w:val="86"/><w:family w:val="{family}"/>'
                f'<w:pitch w:val="{pitch}"/></w:font>'
            )
        )
    part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_number_footer(footer, align) -> None:
    """Page number "— N —" in 宋体 4号, one character in from the outer edge."""
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.line_spacing = 1.0
    fmt.space_before = fmt.space_after = 0
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = FOOTER_SIZE
    else:
        fmt.left_indent = FOOTER_SIZE
    _run(paragraph, "— ", SONGTI, FOOTER_SIZE)
    for kind in ("begin", "instr", "separate", "1", "end"):
        run = _run(paragraph, "", SONGTI, FOOTER_SIZE)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE "
            run._r.append(instr)
        elif kind == "1":
            run.text = "1"
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
    _run(paragraph, " —", SONGTI, FOOTER_SIZE)


# --- low-level helpers -------------------------------------------------------------------


def _paragraph(document, align=None, line=LINE, before=0, keep_next=False, indent=False):
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_before = before
    fmt.space_after = 0
    fmt.line_spacing = line if line is not None else 1.0
    if keep_next:
        fmt.keep_with_next = True
    if indent:
        fmt.first_line_indent = BODY_SIZE * 2
        paragraph._p.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "200")
    return paragraph


def _text_paragraph(
    document, text, face, size, align=None, before=0, keep_next=False, indent=False
):
    paragraph = _paragraph(document, align, before=before, keep_next=keep_next, indent=indent)
    _run(paragraph, text, face, size)
    return paragraph


def _run(paragraph, text: str, face: str, size, bold=False, color=None):
    run = paragraph.add_run(text)
    run.font.size = size
    if bold:
        run.font.bold = True
    if color is not None:
        run.font.color.rgb = color
    _apply_fonts(run._r.get_or_add_rPr(), face)
    return run


def _apply_fonts(rpr, face: str) -> None:
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), face)
    fonts.set(qn("w:hint"), "eastAsia")


def _rfonts_element(face: str):
    element = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        element.set(qn(attr), face)
    return element


def _letter_spacing(run, points: float) -> None:
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(round(points * 20)))
    run._r.get_or_add_rPr().insert_element_before(spacing, *_RPR_AFTER_SPACING)


def _border(paragraph, side: str, size: int, color: str, space: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.insert_element_before(borders, *_PPR_AFTER_PBDR)
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), str(size))
    edge.set(qn("w:space"), str(space))
    edge.set(qn("w:color"), color)
    borders.append(edge)


def _table_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    sides = {"top": 8, "left": 0, "bottom": 8, "right": 0, "insideH": 4, "insideV": 0}
    for side, size in sides.items():
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single" if size else "nil")
        if size:
            edge.set(qn("w:sz"), str(size))
            edge.set(qn("w:space"), "0")
            edge.set(qn("w:color"), "000000")
        borders.append(edge)
    tbl_pr.insert_element_before(borders, *_TBLPR_AFTER_BORDERS, "w:tblDescription")


def _cant_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def _check_text(value) -> None:
    if isinstance(value, str):
        if _XML_INVALID.search(value):
            raise ValueError("简报内容含有无法写入 Word 文档的控制字符，请删除后重新生成。")
    elif isinstance(value, dict):
        for item in value.values():
            _check_text(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _check_text(item)
