"""从工作中生成稿件: drafts pulled from the registered sources (see
briefings.sources) and placed through services.place_article."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from wenming.accounts.decorators import role_required
from wenming.briefings import services
from wenming.briefings.forms import DraftPeriodForm, PlaceForm
from wenming.briefings.models import Issue
from wenming.briefings.sources import all_sources, get_source, last_month, period_text
from wenming.briefings.views import EDITORS
from wenming.core.errors import DomainError
from wenming.core.web import attempt, query_int


@dataclass
class Offer:
    source: object
    draft: object
    column: object


def _period(data):
    """(form, start, end): the period asked for, or last month."""
    start, end = last_month(timezone.localdate())
    form = DraftPeriodForm(data if data.get("start") else {"start": start, "end": end})
    if form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, None, None


def _default_column(columns, source):
    for name in source.columns:
        for column in columns:
            if column.name == name:
                return column
    plain = [c for c in columns if not c.lead_in]
    return (plain or columns or [None])[0]


def _offers(issue, start, end):
    columns = list(issue.columns.all())
    return [Offer(source, source.period_draft(start, end), _default_column(columns, source))
            for source in all_sources()]


def _placements(request, issue, offers, everything):
    columns = {c.pk: c for c in issue.columns.all()}
    chosen = set(request.POST.getlist("source"))
    placements = []
    for offer in offers:
        if offer.draft is None or not (everything or offer.source.key in chosen):
            continue
        picked = request.POST.get(f"column_{offer.source.key}", "")
        column = columns.get(int(picked)) if picked.isdigit() else offer.column
        if column is None:
            raise DomainError("本期还没有栏目，请先添加栏目。")
        placements.append((column, offer.draft, offer.source.key))
    if not placements:
        raise DomainError("所选时段没有可生成的稿件。" if everything else "请勾选要生成的稿件。")
    return placements


@role_required(*EDITORS)
def issue_drafts(request, pk):
    """The issue editor's 从工作中生成稿件: every source's draft for the
    period, ticked ones (or, with 一键生成简报初稿, all) placed in one pass."""
    issue = get_object_or_404(Issue.objects.select_related("series"), pk=pk)
    form, start, end = _period(request.POST if request.method == "POST" else request.GET)
    offers = _offers(issue, start, end) if start else []
    if request.method == "POST" and start:
        try:
            placements = _placements(request, issue, offers, request.POST.get("all") == "1")
        except DomainError as e:
            messages.error(request, e.message)
        else:
            placed = attempt(request, services.place_articles, request.user, placements)
            if placed:
                messages.success(request, f"已生成{len(placed)}篇稿件，可继续修改。")
                return redirect("briefings:issue_detail", issue.pk)
    return render(request, "briefings/issue_drafts.html", {
        "issue": issue, "form": form, "offers": offers, "start": start, "end": end,
        "period": period_text(start, end) if start else "",
        "columns": list(issue.columns.all()), "is_draft": issue.status == Issue.Status.DRAFT,
    })


@role_required(*EDITORS)
def place_source(request, key):
    """One source's draft, for a period or one object (a bulletin, a themed
    campaign), placed into a column of any draft issue: where the work
    pages send the editor to put their article into a briefing."""
    try:
        source = get_source(key)
    except DomainError:
        raise Http404 from None
    params = request.GET
    obj = query_int(params, "object", label="对象")
    if obj is not None:
        draft, period_form, what = source.object_draft(obj), None, ""
    else:
        period_form, start, end = _period(params)
        draft = source.period_draft(start, end) if start else None
        what = period_text(start, end) if start else ""
    form = PlaceForm(request.POST or None)
    if request.method == "POST" and draft and form.is_valid():
        article = attempt(request, services.place_article, request.user,
                          form.cleaned_data["column"], draft.title, draft.paragraphs, key,
                          success=f"“{draft.title}”已编入简报，可继续修改。")
        if article:
            return redirect("briefings:issue_detail", article.issue_id)
    return render(request, "briefings/place_source.html", {
        "source": source, "draft": draft, "form": form, "period_form": period_form,
        "what": what, "query": params.urlencode(),
    })
