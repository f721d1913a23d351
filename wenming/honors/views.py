"""Signed-in pages: rolls, nominations and every step of the workflow."""

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from wenming.accounts import roles
from wenming.accounts.decorators import role_required
from wenming.core.errors import DomainError
from wenming.core.web import attempt, file_response, form_error
from wenming.honors import selectors, services
from wenming.honors.forms import (
    CorrectionForm,
    EntryForm,
    HandleObjectionForm,
    HigherHonorForm,
    NominationForm,
    NoteForm,
    NoticeForm,
    ReasonForm,
    ReviewForm,
    RollForm,
    RollSettingsForm,
)
from wenming.honors.models import HonorEntry, HonorRoll, Nomination, NominationPhoto, Objection
from wenming.honors.render import render_roll_pdf

EDITORS = (roles.ADMIN, roles.EDITOR)


def _signed_in(view):
    return role_required()(view)


@_signed_in
def roll_list(request):
    user = request.user
    form = RollForm(request.POST or None, initial={"year": date.today().year})
    if request.method == "POST" and roles.is_office_editor(user) and form.is_valid():
        data = dict(form.cleaned_data)
        data["panel"] = list(data["panel"])
        try:
            roll = services.create_roll(user, **data)
        except DomainError as e:
            form_error(form, e)
        else:
            messages.success(request, f"已创建{roll}。")
            return redirect("honors:roll_detail", roll.pk)
    rolls = selectors.filter_rolls(HonorRoll.objects.filter(correction_of__isnull=True),
                                   request.GET)
    to_review = selectors.nominations_for(user).filter(
        roll__panel=user, status=Nomination.Status.VERIFIED).exclude(reviews__member=user)
    return render(request, "honors/roll_list.html", {
        "rolls": rolls, "form": form, "can_edit": roles.is_office_editor(user),
        "to_review": to_review,
        "mine": [] if user.is_office else
        selectors.nominations_for(user).order_by("-created_at")[:50],
    })


def _roll_context(request, roll):
    user = request.user
    nominations = selectors.nominations_for(user, roll).prefetch_related("reviews",
                                                                          "objections")
    groups = []
    for status, label in Nomination.Status.choices:
        items = [n for n in nominations if n.status == status]
        if items:
            groups.append({"status": status, "label": label, "items": items})
    return {
        "roll": roll, "groups": groups, "can_edit": roles.is_office_editor(user),
        "can_publish": user.has_role(roles.APPROVER, roles.ADMIN),
        "can_nominate": user.has_role(roles.LIAISON, *EDITORS) and user.unit_id is not None,
        "is_panel": selectors.is_panel_member(user, roll),
        "panel": roll.panel.all(),
        "pending_objections": Objection.objects.filter(
            nomination__roll=roll, status=Objection.Status.PENDING).select_related(
            "nomination") if user.is_office else [],
        "notice_form": NoticeForm(initial=dict(zip(
            ("starts_on", "ends_on"), services.default_notice_window(), strict=True))),
        "objection_form": HandleObjectionForm(),
        "correction_form": CorrectionForm(),
        "versions": [roll.original, *roll.original.corrections.order_by("version")],
        "today": date.today(),
    }


@_signed_in
def roll_detail(request, pk):
    roll = get_object_or_404(HonorRoll.objects.select_related("correction_of"), pk=pk)
    context = _roll_context(request, roll)
    if roll.correction_of_id or roll.is_published:
        context["entries"] = roll.entries.select_related("area")
        context["entry_form"] = EntryForm()
    return render(request, "honors/roll_detail.html", context)


@role_required(*EDITORS)
def roll_settings(request, pk):
    roll = get_object_or_404(HonorRoll, pk=pk)
    initial = {f: getattr(roll, f) for f in ("title", "issuer", "nominations_close_on",
                                            "review_method", "pass_score")}
    initial["panel"] = list(roll.panel.all())
    form = RollSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["panel"] = list(data["panel"])
        try:
            services.update_roll(request.user, roll, **data)
        except DomainError as e:
            form_error(form, e)
        else:
            messages.success(request, "设置已保存。")
            return redirect("honors:roll_detail", roll.pk)
    return render(request, "honors/roll_settings.html", {"roll": roll, "form": form})


@require_POST
@_signed_in
def roll_action(request, pk, action):
    roll = get_object_or_404(HonorRoll, pk=pk)
    user = request.user
    if action == "conclude_review":
        attempt(request, services.conclude_review, user, roll, success="评议已结束。")
    elif action == "start_notice":
        form = NoticeForm(request.POST)
        if form.is_valid():
            attempt(request, services.start_notice, user, roll, **form.cleaned_data,
                    success="已进入公示。")
        else:
            messages.error(request, "请填写公示起止日期。")
    elif action == "publish":
        attempt(request, services.publish_roll, user, roll, success="好人榜已发布。")
    elif action == "correct":
        copy = attempt(request, services.create_correction, user, roll,
                       request.POST.get("note", ""), success="已生成更正版本，请修改后发布。")
        if copy:
            return redirect("honors:roll_detail", copy.pk)
    else:
        raise Http404
    return redirect("honors:roll_detail", roll.pk)


@role_required(roles.LIAISON, *EDITORS)
def nomination_new(request, pk):
    roll = get_object_or_404(HonorRoll, pk=pk)
    form = NominationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            nomination = services.nominate(request.user, roll, **form.cleaned_data)
        except DomainError as e:
            form_error(form, e)
        else:
            messages.success(request, f"已推荐{nomination.name}，等待{nomination.area.name}文明办核实。")
            return redirect("honors:nomination_detail", nomination.pk)
    return render(request, "honors/nomination_form.html", {"form": form, "roll": roll})


def _nomination(request, pk):
    try:
        return selectors.nominations_for(request.user).get(pk=pk)
    except Nomination.DoesNotExist:
        raise Http404 from None


@_signed_in
def nomination_detail(request, pk):
    nomination = _nomination(request, pk)
    user, roll = request.user, nomination.roll
    my_review = nomination.reviews.filter(member=user).first()
    is_panel = selectors.is_panel_member(user, roll)
    return render(request, "honors/nomination_detail.html", {
        "n": nomination, "roll": roll, "photos": nomination.photos.all(),
        "can_verify": nomination.status == Nomination.Status.SUBMITTED and services.is_area_office(
            user, nomination.area),
        "can_review": is_panel and nomination.status == Nomination.Status.VERIFIED,
        # Members do not see each other's votes while the review runs.
        "show_reviews": roles.is_office_editor(user) or (
            user.is_office and nomination.status != Nomination.Status.VERIFIED),
        "reviews": nomination.reviews.select_related("member"),
        "review_form": ReviewForm(method=roll.review_method, initial={
            "vote": my_review.vote, "score": my_review.score, "comment": my_review.comment}
            if my_review else None),
        "my_review": my_review,
        "objections": nomination.objections.all() if user.is_office else [],
        "objection_form": HandleObjectionForm(),
        "can_handle": roles.is_office_editor(user),
        "note_form": NoteForm(), "reason_form": ReasonForm(),
        "can_record_higher": roles.is_office_editor(user) and nomination.status == Nomination.Status.PUBLISHED,
        "higher_form": HigherHonorForm(initial={"category": nomination.category}),
        "higher": nomination.higher_honors.all(),
        "show_private": user.is_office or services.is_area_office(user, nomination.area)
        or nomination.unit_id == user.unit_id,
    })


@require_POST
@_signed_in
def nomination_action(request, pk, action):
    nomination = _nomination(request, pk)
    user = request.user
    if action == "verify":
        attempt(request, services.verify_nomination, user, nomination,
                request.POST.get("note", ""), success="已核实，转入评议。")
    elif action == "reject":
        attempt(request, services.reject_nomination, user, nomination,
                request.POST.get("reason", ""), success="已不予推荐。")
    elif action == "review":
        form = ReviewForm(request.POST, method=nomination.roll.review_method)
        if form.is_valid():
            data = form.cleaned_data
            attempt(request, services.record_review, user, nomination,
                    vote=data.get("vote", ""), score=data.get("score"),
                    comment=data.get("comment", ""), success="评议意见已记录。")
        else:
            messages.error(request, "请填写表决或0到100之间的评分。")
    elif action == "higher_honor":
        form = HigherHonorForm(request.POST)
        if form.is_valid():
            attempt(request, services.record_higher_honor, user, nomination,
                    **form.cleaned_data, success="已登记。")
        else:
            messages.error(request, "请完整填写上级榜单信息。")
    else:
        raise Http404
    return redirect("honors:nomination_detail", nomination.pk)


@require_POST
@role_required(*EDITORS)
def objection_handle(request, pk):
    objection = get_object_or_404(Objection.objects.select_related("nomination"), pk=pk)
    form = HandleObjectionForm(request.POST)
    if form.is_valid():
        attempt(request, services.handle_objection, request.user, objection,
                upheld=form.cleaned_data["decision"] == "upheld",
                resolution=form.cleaned_data["resolution"], success="异议已处理。")
    else:
        messages.error(request, "请选择处理结果并填写处理意见。")
    if request.POST.get("next") == "roll":
        return redirect("honors:roll_detail", objection.nomination.roll_id)
    return redirect("honors:nomination_detail", objection.nomination_id)


@role_required(*EDITORS)
def entry_edit(request, pk):
    entry = get_object_or_404(HonorEntry.objects.select_related("roll"), pk=pk)
    form = EntryForm(request.POST or None, initial={
        f: getattr(entry, f) for f in ("category", "name", "workplace", "summary")})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_entry(request.user, entry, **form.cleaned_data)
        except DomainError as e:
            form_error(form, e)
        else:
            messages.success(request, "已保存。")
            return redirect("honors:roll_detail", entry.roll_id)
    return render(request, "honors/entry_form.html", {"form": form, "entry": entry})


@require_POST
@role_required(*EDITORS)
def entry_remove(request, pk):
    entry = get_object_or_404(HonorEntry, pk=pk)
    attempt(request, services.remove_entry, request.user, entry, success="已移出榜单。")
    return redirect("honors:roll_detail", entry.roll_id)


@role_required(roles.ADMIN, roles.EDITOR, roles.APPROVER, roles.VIEWER)
def roll_preview(request, pk):
    """The roll's PDF as it stands now (entries of a published version or
    a correction), for the office."""
    roll = get_object_or_404(HonorRoll, pk=pk)
    if not roll.entries.exists():
        messages.error(request, "榜单中还没有人物。")
        return redirect("honors:roll_detail", roll.pk)
    return file_response(render_roll_pdf(roll), f"{roll}（预览）.pdf", "pdf", inline=True)


@role_required(roles.ADMIN, roles.EDITOR, roles.APPROVER, roles.VIEWER)
def roll_xlsx(request, pk):
    roll = get_object_or_404(HonorRoll, pk=pk)
    if not request.user.is_office:
        raise Http404
    content = selectors.nominations_xlsx(roll, selectors.nominations_for(request.user, roll))
    return file_response(content, f"{roll.period_text}{roll.title}推荐名单.xlsx", "xlsx")


def _stats_year(request):
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return None


@role_required(roles.ADMIN, roles.EDITOR, roles.APPROVER, roles.VIEWER, roles.LIAISON)
def stats(request):
    year = _stats_year(request)
    years = sorted({r.year for r in selectors.published_rolls()}, reverse=True)
    return render(request, "honors/stats.html", {
        "stats": selectors.statistics(year), "year": year, "years": years,
    })


@role_required(roles.ADMIN, roles.EDITOR, roles.APPROVER, roles.VIEWER, roles.LIAISON)
def stats_xlsx(request):
    year = _stats_year(request)
    content = selectors.statistics_xlsx(selectors.statistics(year), year)
    return file_response(content, f"{year or '历年'}好人榜统计.xlsx", "xlsx")


@_signed_in
def photo(request, pk):
    photo = get_object_or_404(NominationPhoto, pk=pk)
    if not selectors.nominations_for(request.user).filter(pk=photo.nomination_id).exists():
        raise Http404
    with photo.image.open("rb") as f:
        response = HttpResponse(f.read(), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response

