"""A bulletin's PDF (Typst, bulletin.typ) and DOCX (python-docx); the
briefing article it offers is written in drafts.py.

Typical problems carry the storage name of their first photo. Both formats
read it through the storage API; a photo that is gone or does not decode
leaves the problem without a picture rather than failing the document.
Photos are downscaled and re-encoded for print first, which is what makes
a bulletin with photos slow: its documents are made as a background task
(scoring.tasks), one without photos at once."""

import hashlib
import io
import logging
from pathlib import Path

from django.core.files.storage import default_storage
from PIL import Image

from wenming.core.typst import render
from wenming.scoring.selectors import as_of_text
from wenming.tasks.progress import Progress

logger = logging.getLogger(__name__)

TEMPLATE = Path(__file__).resolve().parent / "bulletin.typ"
MASTHEAD = "创建工作通报"
# What Typst and Word both embed; core/photos.py stores JPEG.
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png"}
# A photo prints 6 cm high (PDF) or 8 cm wide (Word): 1200 px on the long
# side is over 300 dpi for both.
PRINT_SIDE = 1200
PRINT_QUALITY = 85


def summary_text(c):
    s = c["summary"]
    skipped = s.get("not_inspected", 0)
    skipped = f"，另有{skipped}个单位本期未检查，不评分、不排名" if skipped else ""
    return (f"{c['period']}，{c.get('as_of_text', '截至期末')}，共督查发现问题{s['found']}个"
            f"（其中重复发现{s['repeats']}个），复查销号{s['closed']}个，"
            f"逾期未整改{s['overdue']}个，参与考核单位{s['units']}个{skipped}。"
            "现将有关情况通报如下。")


def document_content(bulletin):
    """The content as the documents print it: the instant comes from the
    bulletin's own `as_of`, which never changes once it is generated."""
    c = dict(bulletin.content)
    if bulletin.as_of:
        c["as_of_text"] = as_of_text(bulletin.as_of)
    return c


def movement_note(c):
    """Paper has no hover: what "—" in the 较上期 column means, when used."""
    rows = c["districts"] + c["units"]
    if any(r.get("arrow_note") for r in rows):
        return "注：“较上期”栏“—”表示该单位上期未参评（上期未检查，无得分），不比较名次变化；" \
               "“未检查”表示本期未检查，不评分、不排名，不列入红黑榜。"
    if any(r.get("inspected") is False for r in rows):
        return "注：“未检查”表示本期未检查，不评分、不排名，不列入红黑榜。"
    return ""


def lists_text(c):
    parts = [f"红榜单位：{'、'.join(c['red']) or '无'}。", f"黑榜单位：{'、'.join(c['black']) or '无'}。"]
    if c["called_in"]:
        parts.append(f"按照末位约谈规定，拟约谈：{'、'.join(c['called_in'])}。")
    return "".join(parts)


def correction_text(bulletin):
    if not bulletin.replaces_id:
        return ""
    old = bulletin.replaces
    note = f"更正说明：{bulletin.correction_note}" if bulletin.correction_note else ""
    return f"本期更正{old.year}年第{old.number}期通报。{note}"


def photo_names(c):
    """Storage names of the photos the documents show."""
    return [p["photo"] for p in c["typical"] if p.get("photo")]


def photo(name):
    """(bytes, extension) of a stored photo, or None if it cannot be shown."""
    if not name:
        return None
    try:
        with default_storage.open(name) as f:
            data = f.read()
    except Exception:  # storage backends each raise their own kind of "not there"
        logger.warning("Bulletin photo %s is missing", name)
        return None
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            image.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        logger.warning("Bulletin photo %s does not decode", name)
        return None
    if kind not in PHOTO_FORMATS:
        logger.warning("Bulletin photo %s is %s, not JPEG or PNG", name, kind)
        return None
    return data, PHOTO_FORMATS[kind]


def print_photo(name):
    """The photo as it goes on paper: at most PRINT_SIDE pixels on its long
    side, a fresh JPEG (transparency on white); None if it cannot be shown."""
    found = photo(name)
    if found is None:
        return None
    with Image.open(io.BytesIO(found[0])) as image:
        image.thumbnail((PRINT_SIDE, PRINT_SIDE))
        if image.mode not in ("RGB", "L"):
            canvas = Image.new("RGB", image.size, "white")
            canvas.paste(image, mask=image.convert("RGBA").getchannel("A"))
            image = canvas
        out = io.BytesIO()
        image.save(out, "JPEG", quality=PRINT_QUALITY, optimize=True)
    return out.getvalue(), "jpg"


def print_photos(c, progress):
    """name → print_photo(name) for every photo the documents show, telling
    `progress` each one."""
    names = photo_names(c)
    prepared = {}
    for i, name in enumerate(names, start=1):
        progress.update(f"正在处理第{i}张现场照片（共{len(names)}张），压缩为印刷尺寸",
                        done=i - 1, total=len(names) + 1)
        prepared[name] = print_photo(name)
    return prepared


def render_pdf(bulletin, progress=None):
    progress = progress or Progress()
    c = document_content(bulletin)
    photos = print_photos(c, progress)
    # The template gets the photos as asset names only, never storage paths.
    assets, typical = {}, []
    for p in c["typical"]:
        item = {k: v for k, v in p.items() if k != "photo"}
        found = photos.get(p.get("photo"))
        if found:
            data, ext = found
            item["image"] = f"photo-{hashlib.sha256(data).hexdigest()[:16]}.{ext}"
            assets[item["image"]] = data
        else:
            item["image"] = ""
        typical.append(item)
    data = {**c, "typical": typical, "masthead": MASTHEAD, "title": bulletin.title,
            "number": bulletin.number, "correction_text": correction_text(bulletin),
            "summary_text": summary_text(c), "lists_text": lists_text(c),
            "movement_note": movement_note(c)}
    progress.update("正在排版 PDF", done=len(photos), total=len(photos) + 1)
    return render(str(TEMPLATE), data, assets=assets)


def render_docx(bulletin, progress=None):
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    progress = progress or Progress()
    c = document_content(bulletin)
    photos = print_photos(c, progress)
    progress.update("正在生成 Word 文档", done=len(photos), total=len(photos) + 1)
    doc = Document()
    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run(MASTHEAD)
    run.bold, run.font.size, run.font.color.rgb = True, Pt(36), RGBColor(0xE6, 0x00, 0x12)
    number = doc.add_paragraph(f"第{bulletin.number}期")
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(f"{c['issuer']}\t\t{c['date_text']}")
    doc.add_heading(bulletin.title, level=1)
    doc.add_paragraph(f"（本通报数据{c['as_of_text']}）").alignment = WD_ALIGN_PARAGRAPH.CENTER
    if bulletin.replaces_id:
        doc.add_paragraph(correction_text(bulletin))
    doc.add_paragraph(summary_text(c))

    def table(title, headers, rows):
        doc.add_heading(title, level=2)
        t = doc.add_table(rows=1, cols=len(headers))
        t.style = "Table Grid"
        for cell, h in zip(t.rows[0].cells, headers, strict=True):
            cell.text = h
        for row in rows:
            for cell, v in zip(t.add_row().cells, row, strict=True):
                cell.text = str(v)

    table("一、县区排名", ["名次", "县区", "得分", "新发现问题", "逾期天数", "较上期"],
          [(r["rank"], r["name"], r["score"], r["found"], r["overdue_days"], r["arrow"])
           for r in c["districts"]])
    table("二、责任单位排名", ["名次", "单位", "得分", "新发现问题", "重复问题", "逾期天数",
                        "复查未通过", "较上期"],
          [(r["rank"], r["name"], r["score"], r["found"], r["repeats"], r["overdue_days"],
            r["rejections"], r["arrow"]) for r in c["units"]])
    if movement_note(c):
        doc.add_paragraph(movement_note(c))
    doc.add_paragraph(lists_text(c))
    doc.add_heading("三、典型问题", level=2)
    for i, p in enumerate(c["typical"], 1):
        doc.add_paragraph(f"{i}. {p['site']}（{p['unit']}，{p['severity']}"
                          f"{'，重复发现' if p['repeat'] else ''}）：{p['description']}")
        found = photos.get(p.get("photo"))
        if found:
            doc.add_picture(io.BytesIO(found[0]), width=Cm(8))
    table("四、逾期未整改问题", ["序号", "点位", "责任单位", "发现时间", "整改时限", "问题"],
          [(i, p["site"], p["unit"], p["found"], p.get("deadline", ""), p["description"])
           for i, p in enumerate(c["overdue"], 1)])
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()

