"""The 好人榜 article a briefing pulls from honors (registered in apps.py):
the rolls published in a period, told from the same public data as the
published page and PDF (render.roll_data), so nothing private can leak."""

from wenming.honors.models import HonorRoll
from wenming.honors.render import roll_data


def _latest_versions(rolls):
    latest = {}
    for roll in rolls:
        key = roll.correction_of_id or roll.pk
        if key not in latest or roll.version > latest[key].version:
            latest[key] = roll
    return sorted(latest.values(), key=lambda r: r.published_at)


def _roll_paragraphs(roll):
    data = roll_data(roll)
    lines = [f"{data['date_text']}，{data['issuer']}发布{data['period']}“{data['title']}”。"
             + data["intro"].removesuffix("现予发布。希望全社会以他们为榜样，崇德向善、见贤思齐。")
             .rstrip("，。") + "。"]
    for group in data["groups"]:
        people = "、".join(f"{p['name']}（{p['workplace']}）" for p in group["people"])
        lines.append(f"{group['category']}类：{people}。")
    return lines


def period_draft(start, end):
    rolls = _latest_versions(HonorRoll.objects.filter(
        published_at__date__gte=start, published_at__date__lte=end))
    if not rolls:
        return None
    paragraphs = []
    for roll in rolls:
        paragraphs += _roll_paragraphs(roll)
    paragraphs.append("希望全社会以他们为榜样，崇德向善、见贤思齐，让好人好事蔚然成风。")
    latest = rolls[-1]
    return f"{latest.period_text}“{latest.title}”发布", paragraphs
