"""The inspector's side: inspection plans and the field form on a phone."""

import uuid

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from wenming.accounts.decorators import role_required
from wenming.campaign import catalog, selectors
from wenming.campaign.forms import PlanForm, districts
from wenming.campaign.models import Finding, Inspection, InspectionPlan, Problem, Site, SiteCategory
from wenming.campaign.views import MANAGERS, READERS
from wenming.core.errors import DomainError
from wenming.core.web import attempt, form_error


@role_required(*MANAGERS)
def field_sites(request):
    """Step 1 on the phone: pick a site, from today's plans or by search."""
    today = timezone.localdate()
    plans = (InspectionPlan.objects.filter(
        inspectors=request.user, status=InspectionPlan.Status.PLANNED,
        starts_on__lte=today, ends_on__gte=today).prefetch_related("sites"))
    sites = Site.objects.filter(is_active=True).select_related("category", "district")
    sites, criteria = selectors.filter_sites(sites, request.GET)
    searched = any(criteria.values())
    return render(request, "campaign/field_sites.html", {
        "plans": plans, "sites": sites[:30] if searched else [], "searched": searched,
        **criteria,
        "districts": districts(), "categories": SiteCategory.objects.all(),
    })


def _plan_for(request, site):
    pk = request.POST.get("plan") or request.GET.get("plan")
    if not pk:
        return None
    if not str(pk).isdigit():
        raise Http404
    return get_object_or_404(InspectionPlan.objects.filter(sites=site), pk=pk)


@role_required(*MANAGERS)
def field_form(request, pk):
    """Steps 2 and 3: the site's checklist, each criterion pass or problem.
    The form carries an id made when it was shown, so a retried submit on a
    bad connection finds the inspection already saved instead of doubling it."""
    site = get_object_or_404(Site.objects.select_related("category", "district",
                                                         "responsible_unit"), pk=pk)
    plan = _plan_for(request, site)
    campaign = plan.campaign if plan else catalog.active_campaign()
    index = campaign.current_index() if campaign else None
    if index is None:
        messages.error(request, "还没有测评体系，请先导入。")
        return redirect("campaign:field_sites")
    criteria = catalog.checklist(site, index)
    values, error = {}, None
    client_id = str(uuid.uuid4())
    if request.method == "POST":
        client_id = request.POST.get("client_id", "")
        values = request.POST
        try:
            uuid.UUID(client_id)
            findings = _findings(request, criteria)
            inspection = catalog.record_inspection(
                request.user, site, client_id=client_id, findings=findings, plan=plan,
                note=request.POST.get("note", ""), index=index)
        except ValueError:
            error = "表单已失效，请刷新页面后重新填写。"
        except DomainError as e:
            error = e.message
        else:
            n = inspection.problems.count()
            messages.success(request, f"督查结果已保存：{site.name}，发现问题{n}个。")
            return redirect("campaign:inspection_detail", inspection.pk)
    rows = [{"c": c, "result": values.get(f"r{c.pk}", "pass"),
             "description": values.get(f"d{c.pk}", ""),
             "severity": values.get(f"s{c.pk}", Problem.Severity.NORMAL)} for c in criteria]
    return render(request, "campaign/field_form.html", {
        "site": site, "plan": plan, "rows": rows, "client_id": client_id, "error": error,
        "severities": Problem.Severity.choices, "note": values.get("note", ""),
    }, status=400 if error else 200)


# The form's third choice, 不涉及: no finding is recorded for the criterion.
NOT_APPLICABLE = "na"


def _findings(request, criteria):
    findings = []
    for c in criteria:
        result = request.POST.get(f"r{c.pk}", "pass")
        if result == NOT_APPLICABLE:
            continue
        if result not in Finding.Result.values:
            # A value the form never offers is refused, not read as 不涉及:
            # a criterion must never drop out of an inspection unseen.
            raise DomainError(f"{c.code} 督查结果“{result[:20]}”无效，请选择达标、有问题或不涉及。",
                              field=f"r{c.pk}")
        findings.append({"criterion": c, "result": result,
                        "description": request.POST.get(f"d{c.pk}", ""),
                        "severity": request.POST.get(f"s{c.pk}", Problem.Severity.NORMAL),
                        "photos": request.FILES.getlist(f"p{c.pk}")})
    return findings


@role_required(*READERS)
def inspection_detail(request, pk):
    inspection = get_object_or_404(
        Inspection.objects.select_related("site", "inspector", "plan"), pk=pk)
    if not request.user.is_office:
        raise Http404
    findings = inspection.findings.select_related("criterion", "problem").order_by(
        "criterion__code")
    return render(request, "campaign/inspection_detail.html",
                  {"inspection": inspection, "findings": findings})


@role_required(*READERS)
def plan_list(request):
    user = request.user
    plans = selectors.visible_plans(user).annotate(
        n_sites=Count("sites", distinct=True), n_inspections=Count("inspections", distinct=True))
    form = None
    if user.is_office and user.has_role(*MANAGERS):
        form = PlanForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                plan = catalog.create_plan(
                    user, campaign=catalog.active_campaign(), title=d["title"],
                    starts_on=d["starts_on"], ends_on=d["ends_on"],
                    inspectors=list(d["inspectors"]), sites=list(d["sites"]),
                    is_undercover=d["is_undercover"], note=d["note"])
            except DomainError as e:
                form_error(form, e)
            else:
                messages.success(request, f"已制定督查计划“{plan.title}”。")
                return redirect("campaign:plan_detail", plan.pk)
    return render(request, "campaign/plan_list.html", {"plans": plans[:100], "form": form})


@role_required(*READERS)
def plan_detail(request, pk):
    plan = get_object_or_404(selectors.visible_plans(request.user), pk=pk)
    sites = plan.sites.select_related("category", "district").annotate(
        n_visits=Count("inspections", filter=Q(inspections__plan=plan)))
    if not request.user.is_office:
        sites = sites.filter(responsible_unit__path__startswith=request.user.unit.path)
    return render(request, "campaign/plan_detail.html", {
        "plan": plan, "sites": sites, "inspectors": plan.inspectors.all(),
        "can_manage": request.user.has_role(*MANAGERS),
        "problems": Problem.objects.filter(inspection__plan=plan).count(),
    })


@require_POST
@role_required(*MANAGERS)
def plan_complete(request, pk):
    plan = get_object_or_404(InspectionPlan, pk=pk)
    attempt(request, catalog.complete_plan, request.user, plan, success="督查计划已完成。")
    return redirect("campaign:plan_detail", plan.pk)
