"""The published roll as data for the web page and the PDF (roll.typ).

Only HonorEntry rows go in: they hold the public facts of a person and
nothing else, so an ID number or a phone number cannot reach a document
from here.
"""

from pathlib import Path

from django.utils import timezone

from wenming.core.text import chinese_date
from wenming.core.typst import render
from wenming.honors.models import Category

TEMPLATE = Path(__file__).resolve().parent / "roll.typ"


def roll_data(roll):
    entries = list(roll.entries.select_related("area", "nomination"))
    groups = []
    for value, label in Category.choices:
        people = [{"name": e.name, "gender": e.get_gender_display(), "workplace": e.workplace,
                   "area": e.area.name, "summary": e.summary, "pk": e.pk,
                   "nomination": e.nomination_id}
                  for e in entries if e.category == value]
        if people:
            groups.append({"category": label, "code": value, "people": people})
    when = timezone.localdate(roll.published_at) if roll.published_at else timezone.localdate()
    return {
        "title": roll.title,
        "period": roll.period_text,
        "issuer": roll.issuer,
        "date_text": chinese_date(when),
        "is_correction": roll.correction_of_id is not None,
        "correction_note": roll.correction_note,
        "version": roll.version,
        "count": len(entries),
        "intro": (f"经单位和群众推荐、所在地文明办核实、评议组评议并向社会公示，"
                  f"{roll.period_text}“{roll.title}”共有{len(entries)}人上榜，现予发布。"
                  "希望全社会以他们为榜样，崇德向善、见贤思齐。"),
        "groups": groups,
    }


def render_roll_pdf(roll):
    return render(str(TEMPLATE), roll_data(roll))
