"""The supervision notice as PDF, typeset by Typst from the notice's fixed content."""

from datetime import date
from pathlib import Path

from wenming.core.text import chinese_date
from wenming.core.typst import render

TEMPLATE = Path(__file__).resolve().parent / "notice.typ"

REQUIREMENTS = {
    1: "请责任单位收到督办单后立即组织整改，24小时内在平台提交整改情况和整改后照片。",
    2: "该问题已升为二级督办。请责任单位主要负责同志牵头整改，24小时内在平台提交整改情况；"
       "仍未整改的，将在全市创建工作通报中予以通报。",
    3: "该问题已升为三级督办，将在全市创建工作通报中点名通报，"
       "并约谈责任单位主要负责同志。请立即整改，并在平台提交整改情况。",
}


def notice_data(notice):
    c = notice.content
    rows = [
        ("责任单位", c.get("unit", "")),
        ("点位", c.get("site", "") or "—"),
        ("地址", c.get("address", "") or "—"),
        ("测评标准", c.get("criterion", "") or "—"),
        ("问题描述", c.get("description", "")),
        ("问题等级", c.get("severity", "") + ("（重复发现）" if c.get("is_repeat") else "")),
        ("发现时间", c.get("found_at", "")),
        ("整改时限", c.get("deadline", "")),
        ("督办事由", c.get("reason", "")),
    ]
    issued = date.fromisoformat(c["issued_on"]) if c.get("issued_on") else notice.issued_at.date()
    return {
        "title": c.get("title", "工作督办单"),
        "number": notice.number,
        "level_text": notice.get_level_display(),
        "unit": c.get("unit", ""),
        "rows": [[k, str(v or "")] for k, v in rows],
        "requirement": REQUIREMENTS[notice.level],
        "issuer": c.get("issuer", ""),
        "date_text": chinese_date(issued),
    }


def notice_pdf(notice):
    return render(str(TEMPLATE), notice_data(notice))
