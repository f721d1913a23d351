"""The ledger, a problem with its timeline and actions, a unit's queue,
photos and supervision notices."""

from dataclasses import replace

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wenming.accounts import roles
from wenming.accounts.decorators import role_required
from wenming.accounts.scoping import visible_units
from wenming.campaign import forms, maps, selectors, services
from wenming.campaign.catalog import active_campaign
from wenming.campaign.models import (
    Area,
    Problem,
    ProblemEvent,
    ProblemPhoto,
    Rectification,
    SiteCategory,
    SupervisionNotice,
)
from wenming.core.maps import allow_tiles
from wenming.core.web import attempt, file_response, query_int

# Office-wide views (the map): every office role, never a unit's liaison.
OFFICE_READERS = (roles.ADMIN, roles.EDITOR, roles.APPROVER, roles.INSPECTOR, roles.VIEWER)
READERS = (roles.ADMIN, roles.EDITOR, roles.APPROVER, roles.INSPECTOR, roles.VIEWER,
           roles.LIAISON)
MANAGERS = services.MANAGERS
EXPORT_LIMIT = 50_000
QUEUE_PAGE = 50


@role_required(*READERS)
def problem_list(request):
    user = request.user
    flt = selectors.LedgerFilter.from_query(request.GET)
    base = flt.apply(selectors.visible_problems(user), with_status=False)
    qs = base.filter(status=flt.status) if flt.status else base
    rows, next_cursor = selectors.keyset_page(
        qs.select_related("site", "responsible_unit"), request.GET.get("after"))
    _short_times(rows)
    query = flt.query_string()
    status_query = replace(flt, status="").query_string()
    return render(request, "campaign/problem_list.html", {
        "problems": rows, "next_cursor": next_cursor, "flt": flt,
        "query": query, "status_query": status_query, "has_filters": bool(status_query),
        "paged": bool(request.GET.get("after")),
        "counts": [(value, label, None) for value, label in Problem.Status.choices],
        # Plain tuples: a few hundred options render much faster than model instances.
        "districts": forms.districts().values_list("pk", "name"),
        "units": visible_units(user).exclude(kind="city").order_by("path")
        .values_list("pk", "name"),
        "categories": SiteCategory.objects.values_list("pk", "name"),
        "areas": Area.objects.order_by("-index__year", "id")
        .values_list("pk", "index__year", "code", "name"),
        "is_manager": roles.is_office_inspector(user),
    })


@role_required(*READERS)
def problem_counts(request):
    """The status tabs with their counts, fetched by the ledger page after it
    has shown the list: over a million rows the counts cost more than the list."""
    flt = selectors.LedgerFilter.from_query(request.GET)
    base = flt.apply(selectors.visible_problems(request.user), with_status=False)
    counts = selectors.status_counts(base)
    return render(request, "campaign/_status_tabs.html", {
        "flt": flt, "status_query": replace(flt, status="").query_string(),
        "counts": counts, "total": sum(n for _, _, n in counts)})


@role_required(*READERS)
def problem_export(request):
    flt = selectors.LedgerFilter.from_query(request.GET)
    qs = flt.apply(selectors.visible_problems(request.user))
    if qs.count() > EXPORT_LIMIT:
        messages.error(request, f"符合条件的问题超过{EXPORT_LIMIT:,}条，请缩小筛选范围后再导出。")
        return redirect(reverse("campaign:problem_list") + "?" + flt.query_string())
    from wenming.campaign.excel import ledger_workbook

    # Newest first, as the ledger page lists them.
    qs = qs.order_by("-found_at", "-id").select_related(
        "site", "district", "responsible_unit").prefetch_related(
        Prefetch("rectifications", queryset=Rectification.objects.order_by("submitted_at", "id")),
        "photos")

    def link(problem, photos, stage):
        if len(photos) == 1:
            return request.build_absolute_uri(reverse("campaign:photo", args=[photos[0].pk]))
        return request.build_absolute_uri(
            reverse("campaign:problem_photos", args=[problem.pk, stage]))

    content = ledger_workbook(qs.iterator(chunk_size=2000), link)
    return file_response(content, "问题台账.xlsx", "xlsx")


def _problem_or_404(user, pk):
    return get_object_or_404(
        selectors.visible_problems(user).select_related(
            "site", "site__category", "criterion", "criterion__item", "area", "responsible_unit",
            "district", "inspector", "inspection__plan", "repeat_of", "campaign"), pk=pk)


_FORMS = {
    "dispatch": forms.DispatchForm, "reassign": forms.ReassignForm,
    "submit": forms.RectificationForm, "verify": forms.ReviewForm,
    "dispute": forms.ReasonForm, "dismiss": forms.ReasonForm, "reject": forms.ReasonForm,
    "cancel": forms.ReasonForm, "escalate": forms.ReasonForm,
}
def _short_times(problems):
    """Times of list rows formatted once here: the template date filter,
    called for every row, costs more than the page's queries."""
    for p in problems:
        p.found_text = timezone.localtime(p.found_at).strftime("%m-%d %H:%M")
        p.deadline_text = (timezone.localtime(p.deadline).strftime("%m-%d %H:%M")
                           if p.deadline else "")
    return problems


# The main step first: it is shown open on the page.
_ORDER = ["dispatch", "submit", "verify", "reject", "reassign", "dismiss", "dispute", "escalate",
          "cancel"]


@role_required(*READERS)
def problem_detail(request, pk):
    user = request.user
    problem = _problem_or_404(user, pk)
    allowed = services.allowed_actions(user, problem)
    action_forms = {}
    for action in [a for a in _ORDER if a in allowed]:
        initial = {}
        if action == "dispatch":
            initial = {"unit": problem.responsible_unit_id, "severity": problem.severity}
        action_forms[action] = _FORMS[action](prefix=action, initial=initial)
    if "escalate" in action_forms:
        action_forms["escalate"].fields["reason"].required = False
        action_forms["escalate"].fields["reason"].label = "督办事由（可留空，按逾期情况自动填写）"
    events = (ProblemEvent.objects.filter(problem=problem).select_related("actor")
              .prefetch_related("photos").order_by("at", "id"))
    plan = problem.inspection.plan if problem.inspection_id else None
    if plan and plan.is_hidden_from_units and not user.is_office:
        plan = None
    return render(request, "campaign/problem_detail.html", {
        "problem": problem, "forms": action_forms, "events": events, "plan": plan,
        "labels": services.ACTION_LABELS,
        "found_photos": problem.photos.filter(stage=ProblemPhoto.Stage.FOUND),
        "notices": problem.notices.order_by("level"),
        "repeats": problem.repeats.order_by("-found_at")[:5],
    })


@require_POST
@role_required(*READERS)
def problem_action(request, pk, action):
    user = request.user
    problem = _problem_or_404(user, pk)
    if action not in _FORMS:
        raise Http404
    if action not in services.allowed_actions(user, problem):
        t = services.TRANSITIONS[action]
        if problem.status in t.sources:
            raise PermissionDenied(services._deny_message(t))
    form = _FORMS[action](request.POST, request.FILES, prefix=action)
    if action == "escalate":
        form.fields["reason"].required = False
    if not form.is_valid():
        form_errors(request, form)
        return redirect("campaign:problem_detail", problem.pk)
    d = form.cleaned_data
    calls = {
        "dispatch": (services.dispatch_problem, {"unit": d.get("unit"),
                                                  "severity": d.get("severity"),
                                                  "note": d.get("note", "")}, "已交办。"),
        "reassign": (services.reassign_problem, {"unit": d.get("unit"),
                                                  "note": d.get("note", "")}, "已改派。"),
        "submit": (services.submit_rectification, {"text": d.get("text"),
                                                    "photos": d.get("photos")},
                   "整改情况已提交，等待复查。"),
        "verify": (services.verify_problem, {"note": d.get("note", ""),
                                              "photos": d.get("photos")}, "复查通过，已销号。"),
        "reject": (services.reject_rectification, {"reason": d.get("reason")},
                   "复查未通过，已退回责任单位。"),
        "dispute": (services.dispute_problem, {"reason": d.get("reason")},
                    "申诉已提交，等待文明办处理。"),
        "dismiss": (services.dismiss_dispute, {"note": d.get("reason")}, "已驳回申诉。"),
        "cancel": (services.cancel_problem, {"reason": d.get("reason")}, "问题已撤销。"),
        "escalate": (services.issue_supervision_notice, {"reason": d.get("reason", "")},
                     "督办单已下发。"),
    }
    service, kwargs, success = calls[action]
    attempt(request, service, user, problem, success=success, **kwargs)
    if action in ("submit", "dispute") and not user.is_office:
        return redirect("campaign:unit_queue")
    return redirect("campaign:problem_detail", problem.pk)


@role_required(*READERS)
def unit_queue(request):
    user = request.user
    tab = request.GET.get("tab", "todo")
    problems = _short_times(list(selectors.unit_queue(user, tab)[:QUEUE_PAGE]))
    return render(request, "campaign/unit_queue.html", {
        "problems": problems, "tab": tab, "counts": selectors.queue_counts(user),
        "more": len(problems) == QUEUE_PAGE,
        "tabs": [("todo", "待整改"), ("submitted", "待复查"), ("disputed", "申诉中"),
                 ("closed", "已办结")],
    })


@role_required(*READERS)
def photo(request, pk):
    photo = get_object_or_404(ProblemPhoto, pk=pk)
    if not selectors.visible_problems(request.user).filter(pk=photo.problem_id).exists():
        raise Http404
    response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response


@role_required(*READERS)
def problem_photos(request, pk, stage):
    problem = _problem_or_404(request.user, pk)
    if stage not in ProblemPhoto.Stage.values:
        raise Http404
    return render(request, "campaign/problem_photos.html", {
        "problem": problem, "photos": problem.photos.filter(stage=stage),
        "stage": ProblemPhoto.Stage(stage).label})


@role_required(*READERS)
def notice_list(request):
    visible = selectors.visible_problems(request.user).values("pk")
    notices = (SupervisionNotice.objects.filter(problem__in=visible)
               .select_related("problem", "problem__site", "problem__responsible_unit")
               .order_by("-issued_at", "-id"))
    level = query_int(request.GET, "level", label="督办级别")
    if level is not None:
        notices = notices.filter(level=level)
    return render(request, "campaign/notice_list.html", {
        "notices": notices[:200], "level": str(level or ""), "levels": SupervisionNotice.Level.choices})


@role_required(*READERS)
def notice_pdf(request, pk):
    from wenming.campaign.render import notice_pdf as render_notice

    visible = selectors.visible_problems(request.user).values("pk")
    notice = get_object_or_404(SupervisionNotice.objects.filter(problem__in=visible), pk=pk)
    return file_response(render_notice(notice), f"{notice.number}.pdf", "pdf", inline=True)


def form_errors(request, form):
    """A refused form's errors as messages, each naming its field."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        messages.error(request, f"{label}：{errors[0]}" if label else errors[0])


@role_required(*OFFICE_READERS)
def problem_map(request):
    """Open problems by site on the configured tile server, or a schematic
    of districts; every district links to its part of the ledger."""
    campaign = active_campaign()
    now = timezone.now()
    svg, mode = maps.problem_map(campaign, now) if campaign else ("", "")
    response = render(request, "campaign/problem_map.html", {
        "svg": svg, "mode": mode, "campaign": campaign, "as_of": now,
        "tiles_configured": bool(settings.WENMING_MAP_TILES)})
    return allow_tiles(response, settings.WENMING_MAP_TILES)
