"""The 考核通报摘要 a briefing pulls from scoring (registered in apps.py):
a bulletin told as a few paragraphs of an article."""

from wenming.scoring.models import Bulletin
from wenming.scoring.render import document_content, lists_text, summary_text


def article_paragraphs(c):
    """The bulletin content as paragraphs for a briefing article."""
    lines = [summary_text(c)]
    if c["districts"]:
        lines.append("县区排名：" + "；".join(
            f"第{r['rank']}名{r['name']}（{r['score']}分）" for r in c["districts"]) + "。")
    lines.append(lists_text(c))
    if c["overdue_total"]:
        lines.append(f"{c.get('as_of_text', '截至期末')}仍有{c['overdue_total']}个问题逾期未整改，"
                     "请相关单位抓紧整改。")
    return lines


def bulletin_draft(pk):
    bulletin = Bulletin.objects.filter(pk=pk).first()
    if bulletin is None:
        return None
    return bulletin.title, article_paragraphs(document_content(bulletin))


def period_draft(start, end):
    """The bulletin of the period: a monthly one before a weekly one, the
    latest period first, and never one a correction has replaced."""
    bulletins = (Bulletin.objects.filter(period_start__gte=start, period_start__lte=end,
                                         corrections__isnull=True)
                 .order_by("-period_start", "-number"))
    bulletin = bulletins.filter(kind="month").first() or bulletins.first()
    if bulletin is None:
        return None
    return bulletin.title, article_paragraphs(document_content(bulletin))
