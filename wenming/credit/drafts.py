"""The 红黑榜发布情况 article a briefing pulls from credit (registered in
apps.py): the lists published in a period, in the words of their own
published summaries, and the listings removed by credit restoration."""

from wenming.core.text import chinese_date
from wenming.credit.models import CreditList, Listing
from wenming.credit.publication import issuer_name, year_summary


def period_draft(start, end):
    lists = list(CreditList.objects.filter(
        status=CreditList.Status.PUBLISHED, published_on__gte=start, published_on__lte=end)
        .order_by("published_on", "year", "subject", "-color"))
    removed = Listing.objects.filter(status=Listing.Status.REMOVED, removed_on__gte=start,
                                     removed_on__lte=end).count()
    if not lists and not removed:
        return None
    issuer = issuer_name()
    paragraphs = []
    years = sorted({c.year for c in lists})
    for day in sorted({c.published_on for c in lists}):
        published = [c for c in lists if c.published_on == day]
        names = "、".join(f"《{c.title}》（{c.number}）" for c in published)
        paragraphs.append(f"{chinese_date(day)}，{issuer}发布{names}。"
                          + year_summary([c.snapshot for c in published]))
    if removed:
        paragraphs.append(f"同期，{removed}个主体经信用修复移出名单，不再作为失信惩戒或守信激励对象公示。")
    paragraphs.append("红黑榜全文在平台“诚信红黑榜”公开，接受社会监督。对列入黑名单的主体，"
                      "各有关部门依法依规实施联合惩戒；对列入红名单的主体，在行政审批、评先评优等方面"
                      "给予支持。")
    if years:
        title = f"{issuer}发布{'、'.join(str(y) for y in years)}年度诚信“红黑榜”"
    else:
        title = f"{issuer}开展诚信“红黑榜”信用修复工作"
    return title, paragraphs
