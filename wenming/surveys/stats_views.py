"""The statistics page and its Excel export."""

from dataclasses import dataclass

from django.shortcuts import render
from django.utils import timezone

from wenming.accounts import roles
from wenming.accounts.decorators import role_required
from wenming.accounts.models import Unit
from wenming.accounts.scoping import get_scoped_or_404
from wenming.core import charts
from wenming.core.periods import Period
from wenming.core.web import file_response, query_int
from wenming.surveys.drafts import rates_article
from wenming.surveys.forms import StatsForm
from wenming.surveys.models import DISTRICT_KINDS, RATES, SMALL_SAMPLE, Questionnaire
from wenming.surveys.report import METHOD_NOTES, table_xlsx
from wenming.surveys.selectors import READERS, districts, streets, visible_responses
from wenming.surveys.stats import RATE_LABELS, latest_day, monthly_series, rate_table


@dataclass
class Query:
    form: StatsForm
    responses: object
    period: Period
    by: str
    weighted: bool
    district: Unit | None
    row_keys: list | None
    scope_name: str


def _query(request):
    """Read the filters; a district outside the user's area answers 404."""
    user = request.user
    district = None
    pk = query_int(request.GET, "district", label="县区")
    if pk is not None:
        district = get_scoped_or_404(Unit.objects.filter(kind__in=DISTRICT_KINDS), user,
                                     unit_field="", pk=pk)
    responses = visible_responses(user)
    today = timezone.localdate()
    last = latest_day(responses) or today
    titles = list(Questionnaire.objects.order_by("title").values_list("title", flat=True)
                  .distinct())
    defaults = {"period": Period.containing("quarter", min(last, today)).key, "by": "district"}
    form = StatsForm({**defaults, **request.GET.dict()} if request.GET else defaults,
                     until=today, districts=districts(user), titles=titles)
    # A bad value drops only its own filter; the others still apply.
    form.is_valid()
    data = form.cleaned_data
    period = Period.parse(data.get("period") or defaults["period"])
    by = data.get("by") or "district"
    if data.get("channel"):
        responses = responses.filter(channel=data["channel"])
    if data.get("title"):
        responses = responses.filter(questionnaire__title=data["title"])
    row_keys = None
    if district is not None:
        responses = responses.filter(district=district)
    if by == "district":
        row_keys = [d.pk for d in (districts(user).filter(pk=district.pk) if district
                                   else districts(user))]
    elif by == "street" and district is not None:
        row_keys = [s.pk for s in streets(user, district)]
    if district is not None:
        scope_name = district.name
    elif not user.is_office and user.unit_id:
        scope_name = user.unit.name
    else:
        scope_name = "全市"
    return Query(form, responses, period, by, bool(data.get("weighted")), district, row_keys,
                 scope_name)


@role_required(*READERS)
def stats(request):
    q = _query(request)
    table = rate_table(q.responses, q.period, by=q.by, weighted=q.weighted, row_keys=q.row_keys)
    series = monthly_series(q.responses, q.period, 12, weighted=q.weighted)
    return render(request, "surveys/stats.html", {
        "form": q.form, "q": q, "table": table, "period": q.period,
        "bar_charts": [charts.interval_bars(RATE_LABELS[r], [(row.label, row.estimates[r])
                                                              for row in table.rows])
                       for r in RATES] if table.rows else [],
        "trend_chart": charts.share_lines(
            "近12个月走势", [(f"{month.start.month}月", month.label) for month, _ in series],
            [(RATE_LABELS[r], [ests[r] for _, ests in series]) for r in RATES]),
        "article": rates_article(q.responses, q.period, scope_name=q.scope_name,
                                 weighted=q.weighted),
        # Placing the article into a briefing is the briefing editors' page.
        "can_place": request.user.has_role(roles.EDITOR, roles.ADMIN),
        "query": request.GET.urlencode(), "small_sample": SMALL_SAMPLE,
        "method_notes": METHOD_NOTES,
    })


@role_required(*READERS)
def stats_xlsx(request):
    q = _query(request)
    table = rate_table(q.responses, q.period, by=q.by, weighted=q.weighted, row_keys=q.row_keys)
    title = f"{q.scope_name}{q.period.label}测评结果"
    return file_response(table_xlsx(table, title), f"{title}.xlsx", "xlsx")
