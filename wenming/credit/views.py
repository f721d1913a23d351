from urllib.parse import quote

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from wenming.accounts import roles
from wenming.accounts.decorators import role_required
from wenming.accounts.scoping import get_scoped_or_404, scope
from wenming.core.errors import DomainError
from wenming.core.idcard import mask_id_number, mask_phone
from wenming.core.uscc import check_code, looks_like_code
from wenming.core.web import attempt, file_response, form_error
from wenming.credit import bases, imports, selectors, services
from wenming.credit.forms import (
    CommentForm,
    DecideForm,
    EntityForm,
    NewListForm,
    NoticeForm,
    ObjectionForm,
    ReasonForm,
    ReportForm,
    ResolveForm,
    RestorationForm,
    ScreenForm,
    UploadForm,
)
from wenming.credit.models import CreditList, Entity, Listing, Report, Restoration
from wenming.tasks.services import start_task

STAFF = (roles.ADMIN, roles.EDITOR, roles.APPROVER, roles.VIEWER, roles.LIAISON)
OFFICE = (roles.ADMIN, roles.EDITOR, roles.APPROVER, roles.VIEWER)


def _listings_for(user, credit_list):
    return scope(credit_list.listings.select_related("entity", "department"), user,
                 unit_field="department")


@role_required(*STAFF)
def manage(request):
    user = request.user
    lists = selectors.filter_lists(CreditList.objects.annotate(
        n_active=Count("listings", filter=Q(listings__status=Listing.Status.ACTIVE))), request.GET)
    form = NewListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            credit_list = services.create_list(user, **form.cleaned_data)
        except DomainError as e:
            form_error(form, e)
        else:
            messages.success(request, f"已创建《{credit_list.title}》。")
            return redirect("credit:list_detail", credit_list.pk)
    pending = scope(Restoration.objects.filter(status=Restoration.Status.SUBMITTED), user,
                    unit_field="listing__department").count()
    return render(request, "credit/manage.html", {
        "lists": lists, "form": form, "can_manage": roles.is_office_editor(user),
        "office_staff": user.has_role(*OFFICE),
        "pending_restorations": pending,
    })


@role_required(*STAFF)
def list_detail(request, pk, upload_form=None, upload_errors=None, status=200):
    user = request.user
    credit_list = get_object_or_404(CreditList, pk=pk)
    listings = _listings_for(user, credit_list).order_by("status", "seq", "department__path",
                                                          "entity__name")
    can_manage = roles.is_office_editor(user)
    can_upload = credit_list.status == CreditList.Status.COLLECTING and (
        can_manage or (user.has_role(roles.LIAISON) and user.unit_id is not None))
    return render(request, "credit/list_detail.html", {
        "credit_list": credit_list,
        "listings": listings,
        "uploads": scope(credit_list.uploads.select_related("department", "uploaded_by"), user,
                         unit_field="department"),
        "objections": scope(services.open_objections(credit_list).select_related(
            "listing__entity"), user, unit_field="listing__department"),
        "can_manage": can_manage,
        "can_publish": user.has_role(*services.PUBLISHERS),
        "can_upload": can_upload,
        "upload_form": upload_form or UploadForm(choose_department=can_manage),
        "upload_errors": upload_errors,
        "notice_form": NoticeForm(),
        "comment_form": CommentForm(),
        "missing": services.missing_for_publication(credit_list)
        if credit_list.status == CreditList.Status.NOTICE else [],
        "counts": selectors.counts_by_kind(credit_list),
        "bases": bases.for_color(credit_list.color),
    }, status=status)


@role_required(*STAFF)
def list_template(request, pk):
    credit_list = get_object_or_404(CreditList, pk=pk)
    return file_response(imports.template_xlsx(credit_list), f"{credit_list.title}报送表.xlsx",
                         "xlsx")


@require_POST
@role_required(*STAFF)
def list_upload(request, pk):
    user = request.user
    credit_list = get_object_or_404(CreditList, pk=pk)
    can_manage = roles.is_office_editor(user)
    form = UploadForm(request.POST, request.FILES, choose_department=can_manage)
    if not form.is_valid():
        return list_detail(request, pk, upload_form=form, status=400)
    department = form.cleaned_data["department"] if can_manage else user.unit
    if department is None or not services.can_act_for(user, department):
        return list_detail(request, pk, upload_form=form,
                           upload_errors=["只能以本部门名义报送名单。"], status=403)
    # Checked and written in the background; the user watches the task page.
    task = start_task(user, "wenming.credit.tasks.upload_listings",
                      f"导入{department.name}报送的《{credit_list.title}》",
                      {"credit_list": credit_list.pk, "department": department.pk},
                      upload=form.cleaned_data["file"])
    return redirect("tasks:detail", task.pk)


_TRANSITIONS = {
    "submit": (services.submit_for_review, "已提交审核。"),
    "publish": (services.publish_list, "已发布。"),
}


@require_POST
@role_required(*STAFF)
def list_transition(request, pk, action):
    credit_list = get_object_or_404(CreditList, pk=pk)
    user = request.user
    if action == "notice":
        form = NoticeForm(request.POST)
        if form.is_valid():
            attempt(request, services.start_notice, user, credit_list, form.cleaned_data["days"],
                    success="已开始公示。")
        else:
            messages.error(request, "公示期应为1至60天。")
    elif action in ("return", "end_notice"):
        service = services.return_for_revision if action == "return" else services.end_notice
        attempt(request, service, user, credit_list, request.POST.get("comment", ""),
                success="已退回。" if action == "return" else "已中止公示，退回审核。")
    elif action in _TRANSITIONS:
        service, success = _TRANSITIONS[action]
        attempt(request, service, user, credit_list, success=success)
    else:
        raise Http404
    return redirect("credit:list_detail", credit_list.pk)


@role_required(*STAFF)
def listing_detail(request, pk):
    user = request.user
    listing = get_scoped_or_404(
        Listing.objects.select_related("entity", "credit_list", "department", "upload"), user,
        unit_field="department", pk=pk)
    can_manage = roles.is_office_editor(user)
    can_act = services.can_act_for(user, listing.department)
    restorations = listing.restorations.select_related("decided_by")
    return render(request, "credit/listing_detail.html", {
        "listing": listing,
        "objections": listing.objections.select_related("recorded_by", "resolved_by"),
        "restorations": restorations,
        "can_manage": can_manage,
        "office_staff": user.has_role(*OFFICE),
        "can_withdraw": not listing.credit_list.is_frozen and listing.status == "active" and (
            can_manage or (can_act and listing.credit_list.status == "collecting")),
        "can_attach": can_act and not listing.credit_list.is_frozen,
        "can_object": can_manage and listing.status == "active"
        and listing.credit_list.status in ("in_review", "notice"),
        "can_apply": can_act and listing.credit_list.color == bases.BLACK,
        "restoration_refusal": services.restoration_refusal(listing)
        if listing.credit_list.is_frozen else "",
        "can_decide": user.has_role(roles.ADMIN) or (user.has_role(roles.LIAISON) and can_act),
        "reason_form": ReasonForm(),
        "objection_form": ObjectionForm(initial={"received_on": timezone.localdate()}),
        "resolve_form": ResolveForm(),
        "restoration_form": RestorationForm(initial={"applied_on": timezone.localdate()}),
        "decide_form": DecideForm(),
    })


@require_POST
@role_required(*STAFF)
def listing_action(request, pk, action):
    user = request.user
    listing = get_scoped_or_404(Listing.objects.select_related("credit_list", "department"),
                                user, unit_field="department", pk=pk)
    if action == "withdraw":
        form = ReasonForm(request.POST)
        attempt(request, services.withdraw_listing, user, listing, form.data.get("reason", ""),
                success="已撤回，不予列入。")
    elif action == "evidence":
        upload = request.FILES.get("attachment")
        if upload:
            attempt(request, services.attach_evidence, user, listing, upload,
                    success="证明材料已上传。")
        else:
            messages.error(request, "请选择证明材料文件。")
    elif action == "objection":
        form = ObjectionForm(request.POST)
        if form.is_valid():
            attempt(request, services.record_objection, user, listing,
                    success="异议已登记。", **form.cleaned_data)
        else:
            messages.error(request, "请完整填写异议人、异议内容和收到日期。")
    elif action == "restoration":
        form = RestorationForm(request.POST, request.FILES)
        if form.is_valid():
            attempt(request, services.apply_restoration, user, listing,
                    success="信用修复申请已登记，待认定部门审核。", **form.cleaned_data)
        else:
            messages.error(request, "请完整填写申请人、申请理由和申请日期。")
    else:
        raise Http404
    return redirect("credit:listing_detail", listing.pk)


@role_required(*STAFF)
def listing_evidence(request, pk):
    listing = get_scoped_or_404(Listing.objects.all(), request.user, unit_field="department",
                                pk=pk)
    if not listing.attachment:
        raise Http404
    name = listing.attachment.name.rsplit("/", 1)[-1]
    with listing.attachment.open("rb") as f:
        response = HttpResponse(f.read(), content_type="application/octet-stream")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@require_POST
@role_required(*STAFF)
def objection_resolve(request, pk):
    from wenming.credit.models import Objection

    objection = get_scoped_or_404(Objection.objects.select_related("listing"), request.user,
                                  unit_field="listing__department", pk=pk)
    form = ResolveForm(request.POST)
    if form.is_valid():
        attempt(request, services.resolve_objection, request.user, objection,
                upheld=form.cleaned_data["upheld"], resolution=form.cleaned_data["resolution"],
                success="异议已处理。")
    else:
        messages.error(request, "请选择处理结果并填写处理意见。")
    return redirect("credit:listing_detail", objection.listing_id)


@role_required(*STAFF)
def restoration_list(request):
    restorations = scope(Restoration.objects.select_related(
        "listing__entity", "listing__credit_list", "listing__department"), request.user,
        unit_field="listing__department")
    status = request.GET.get("status")
    if status in Restoration.Status.values:
        restorations = restorations.filter(status=status)
    return render(request, "credit/restoration_list.html", {
        "restorations": restorations[:300], "status": status,
        "statuses": Restoration.Status.choices,
    })


@require_POST
@role_required(*STAFF)
def restoration_decide(request, pk):
    restoration = get_scoped_or_404(Restoration.objects.select_related("listing"), request.user,
                                    unit_field="listing__department", pk=pk)
    form = DecideForm(request.POST)
    if form.is_valid():
        attempt(request, services.decide_restoration, request.user, restoration,
                approve=form.cleaned_data["approve"], note=form.cleaned_data["note"],
                success="已作出审核决定。")
    else:
        messages.error(request, "请选择审核结果并填写审核意见。")
    return redirect("credit:listing_detail", restoration.listing_id)


def _code_check(q):
    """The check of a search box's input when it is an attempt at a code (a
    name is searched as typed); an invalid code is not searched at all."""
    return check_code(q) if looks_like_code(q) else None


@role_required(*OFFICE)
def entity_list(request):
    q = (request.GET.get("q") or "").strip()[:100]
    check = _code_check(q)
    if check and not check.valid:
        entities = []
    elif q:
        entities = selectors.search_entities(check.code if check else q, published_only=False)
    else:
        entities = Entity.objects.annotate(n=Count("listings")).order_by("-updated_at")[:50]
    return render(request, "credit/entity_list.html", {"entities": entities, "q": q,
                                                       "check": check})


@role_required(*OFFICE)
def entity_detail(request, pk):
    entity = get_object_or_404(Entity.objects.select_related("district"), pk=pk)
    user = request.user
    form = EntityForm(request.POST or None, initial={
        "name": entity.name, "legal_representative": entity.legal_representative,
        "address": entity.address})
    if request.method == "POST" and roles.is_office_editor(user) and form.is_valid():
        try:
            services.update_entity(user, entity, **form.cleaned_data)
        except DomainError as e:
            form_error(form, e)
        else:
            messages.success(request, "主体信息已保存。")
            return redirect("credit:entity_detail", entity.pk)
    return render(request, "credit/entity_detail.html", {
        "entity": entity,
        "listings": entity.listings.select_related("credit_list", "department").order_by(
            "-credit_list__year", "pk"),
        "reports": entity.reports.all()[:20],
        "form": form, "report_form": ReportForm(),
        "can_manage": roles.is_office_editor(user),
        "can_report": user.has_role(*services.MANAGERS, roles.APPROVER),
    })


@require_POST
@role_required(*OFFICE)
def report_issue(request, pk):
    entity = get_object_or_404(Entity, pk=pk)
    form = ReportForm(request.POST)
    purpose = form.data.get("purpose", "")
    hint = request.build_absolute_uri(selectors.verify_url())
    report = attempt(request, services.issue_report, request.user, entity, purpose,
                     verify_hint=hint, success="已出具信用报告。")
    if report:
        return redirect("credit:report_pdf", report.pk)
    return redirect("credit:entity_detail", entity.pk)


@role_required(*OFFICE)
def report_pdf(request, pk):
    report = get_object_or_404(Report, pk=pk)
    with report.pdf.open("rb") as f:
        return file_response(f.read(), f"信用报告{report.number}.pdf", "pdf", inline=True)


@role_required(*OFFICE)
def screen_file(request):
    """Screening for staff: upload a file, download the results."""
    form = ScreenForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        task = start_task(request.user, "wenming.credit.tasks.screen_file",
                          f"名单筛查：{upload.name}",
                          {"min_score": form.cleaned_data["min_score"]}, upload=upload)
        return redirect("tasks:detail", task.pk)
    return render(request, "credit/screen.html", {"form": form})


# Public pages: published lists only (and those since corrected, marked so);
# no ID numbers, no phones. The list on notice and the public forms are in
# public_views.

_READABLE = [CreditList.Status.PUBLISHED, CreditList.Status.SUPERSEDED]

def public_index(request):
    return render(request, "credit/public_index.html", {"years": selectors.published_years(),
                                                        "on_notice": selectors.lists_on_notice()})


def public_list(request, pk):
    credit_list = get_object_or_404(CreditList, pk=pk, status__in=_READABLE)
    states = selectors.later_states(credit_list)
    return render(request, "credit/public_list.html", {
        "credit_list": credit_list, "d": credit_list.snapshot,
        "rows": [dict(r, later=states.get(r["listing"], "")) for r in credit_list.snapshot["rows"]],
    })


def public_list_file(request, pk, fmt):
    credit_list = get_object_or_404(CreditList, pk=pk, status__in=_READABLE)
    stored = {"pdf": credit_list.pdf, "xlsx": credit_list.xlsx}.get(fmt)
    if not stored:
        raise Http404
    with stored.open("rb") as f:
        return file_response(f.read(), f"{credit_list.title}.{fmt}", fmt, inline=fmt == "pdf")


def lookup(request):
    q = (request.GET.get("q") or "").strip()[:100]
    check = _code_check(q)
    # Also the rare ID number that reads as a whole credit code too.
    personal = selectors.is_personal_identifier(q) or bool(check and check.id_like)
    if personal:
        # Neither searched nor echoed: an ID number must not lead to a name.
        q = mask_id_number(q) if len(q) >= 15 else mask_phone(q)
    searched = bool(q) and not personal and not (check and not check.valid)
    results = selectors.public_lookup(check.code if check else q) if searched else []
    on_notice = selectors.notice_lookup(check.code if check else q) if searched else []
    return render(request, "credit/lookup.html", {"q": q, "results": results,
                                                  "personal": personal, "check": check,
                                                  "searched": searched, "on_notice": on_notice})


def verify(request):
    number = (request.GET.get("number") or "").strip()[:30]
    code = (request.GET.get("code") or "").strip()[:20]
    report = selectors.verify_report(number, code) if number and code else None
    return render(request, "credit/verify.html", {
        "number": number, "code": code, "checked": bool(number and code), "report": report,
    })


@require_POST
@role_required(*STAFF)
def list_correct(request, pk):
    credit_list = get_object_or_404(CreditList, pk=pk)
    copy = attempt(request, services.correct_list, request.user, credit_list,
                   request.POST.get("reason", ""), success="已生成更正版本，请核对列入记录后提交审核。")
    return redirect("credit:list_detail", copy.pk if copy else credit_list.pk)
