from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from wenming.accounts import roles
from wenming.accounts.decorators import role_required
from wenming.accounts.models import Unit
from wenming.accounts.scoping import get_scoped_or_404
from wenming.activities import selectors, services
from wenming.activities.drafts import summary_article
from wenming.activities.forms import (
    ActivityForm,
    CampaignForm,
    ReviewForm,
    RevokeForm,
    TitleForm,
)
from wenming.activities.models import (
    Activity,
    ActivityPhoto,
    CivilizedUnit,
    ThemedCampaign,
)
from wenming.core.errors import DomainError
from wenming.core.web import attempt, file_response, form_error

EVERYONE = tuple(roles.ALL)
EDITORS = (roles.ADMIN, roles.EDITOR)


# Titles (文明称号)

def _horizon(request):
    try:
        days = int(request.GET.get("days", ""))
    except ValueError:
        return selectors.expiry_horizon_days()
    return min(max(days, 1), 3650)


@role_required(*EVERYONE)
def title_list(request):
    titles = selectors.titles_for(request.user)
    filters = {k: request.GET.get(k) or None for k in ("status", "category", "level")}
    days = _horizon(request)
    listed = selectors.filter_titles(titles, **filters)
    today = date.today()
    expiring = list(selectors.expiring_titles(titles, days, today))
    for t in expiring:
        t.days_left = (t.valid_until - today).days
    return render(request, "activities/title_list.html", {
        "titles": listed[:500], "count": listed.count(), "filters": filters, "days": days,
        "expiring": expiring,
        "categories": CivilizedUnit.Category.choices, "levels": CivilizedUnit.Level.choices,
        "statuses": [("active", "有效"), ("expired", "已到期"), ("revoked", "已撤销")],
        "query": request.GET.urlencode(), "today": today,
        "can_edit": roles.is_office_editor(request.user),
    })


@role_required(*EVERYONE)
def titles_xlsx(request):
    titles = selectors.titles_for(request.user)
    filters = {k: request.GET.get(k) or None for k in ("status", "category", "level")}
    content = selectors.titles_xlsx(selectors.filter_titles(titles, **filters))
    return file_response(content, f"文明称号_{date.today():%Y%m%d}.xlsx", "xlsx")


@role_required(*EDITORS)
def title_new(request):
    form = TitleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            title = services.award_title(request.user, **form.cleaned_data)
        except DomainError as e:
            form_error(form, e)
        else:
            messages.success(request, f"已登记{title}。")
            return redirect("activities:title_detail", title.pk)
    return render(request, "activities/title_form.html", {"form": form})


@role_required(*EVERYONE)
def title_detail(request, pk):
    title = get_scoped_or_404(CivilizedUnit.objects.select_related("unit"), request.user, pk=pk)
    can_edit = roles.is_office_editor(request.user) and not title.revoked_on
    form = TitleForm(request.POST or None, prefix="t", initial={
        f: getattr(title, f) for f in TitleForm.base_fields})
    if request.method == "POST" and can_edit and form.is_valid():
        try:
            services.update_title(request.user, title, **form.cleaned_data)
        except DomainError as e:
            form_error(form, e)
        else:
            messages.success(request, "称号信息已保存。")
            return redirect("activities:title_detail", title.pk)
    return render(request, "activities/title_detail.html", {
        "title": title, "form": form, "can_edit": can_edit, "today": date.today(),
        "reviews": title.reviews.select_related("reviewed_by"),
        "review_form": ReviewForm(prefix="r", initial={"year": date.today().year - 1,
                                                       "reviewed_on": date.today()}),
        "revoke_form": RevokeForm(prefix="x"),
    })


@require_POST
@role_required(*EDITORS)
def title_action(request, pk, action):
    title = get_object_or_404(CivilizedUnit, pk=pk)
    if action == "review":
        form = ReviewForm(request.POST, prefix="r")
        if form.is_valid():
            attempt(request, services.record_annual_review, request.user, title,
                    **form.cleaned_data, success="复查结果已登记。")
        else:
            messages.error(request, "请完整填写复查年度、结果和日期。")
    elif action == "revoke":
        form = RevokeForm(request.POST, prefix="x")
        attempt(request, services.revoke_title, request.user, title,
                reason=form.data.get("x-reason", ""), success="称号已撤销。")
    else:
        raise Http404
    return redirect("activities:title_detail", title.pk)


# Themed campaigns (专项活动)

@role_required(*EVERYONE)
def themed_campaign_list(request):
    return render(request, "activities/themed_campaign_list.html", {
        "themed_campaigns": ThemedCampaign.objects.all(),
        "can_edit": roles.is_office_editor(request.user),
    })


def _themed_campaign_fields(form):
    data = dict(form.cleaned_data)
    areas = data.pop("areas").split("\n")
    units = list(data.pop("units"))
    if data.pop("titled_units"):
        titled = selectors.active_titles(CivilizedUnit.objects.filter(
            category=CivilizedUnit.Category.UNIT)).values("unit")
        units += [u for u in Unit.objects.filter(pk__in=titled) if u not in units]
    return data, areas, units


@role_required(*EDITORS)
def themed_campaign_new(request):
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data, areas, units = _themed_campaign_fields(form)
        try:
            themed_campaign = services.create_themed_campaign(request.user, areas=areas, units=units, **data)
        except DomainError as e:
            form_error(form, e)
        else:
            messages.success(request, f"已创建“{themed_campaign.title}”。")
            return redirect("activities:themed_campaign_detail", themed_campaign.pk)
    return render(request, "activities/themed_campaign_form.html", {"form": form})


@role_required(*EDITORS)
def themed_campaign_edit(request, pk):
    themed_campaign = get_object_or_404(ThemedCampaign, pk=pk)
    initial = {f: getattr(themed_campaign, f) for f in
               ("title", "short_name", "participants_label", "purpose", "starts_on", "ends_on")}
    initial["areas"] = "\n".join(a.name for a in themed_campaign.areas.all())
    initial["units"] = list(themed_campaign.units.all())
    form = CampaignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data, areas, units = _themed_campaign_fields(form)
        try:
            services.update_themed_campaign(request.user, themed_campaign, areas=areas, units=units, **data)
        except DomainError as e:
            form_error(form, e)
        else:
            messages.success(request, "专项活动已保存。")
            return redirect("activities:themed_campaign_detail", themed_campaign.pk)
    return render(request, "activities/themed_campaign_form.html", {"form": form,
                                                             "themed_campaign": themed_campaign})


@role_required(*EVERYONE)
def themed_campaign_detail(request, pk):
    themed_campaign = get_object_or_404(ThemedCampaign, pk=pk)
    user = request.user
    activities = selectors.themed_campaign_activities(themed_campaign, user)
    context = {
        "themed_campaign": themed_campaign, "areas": themed_campaign.areas.all(),
        "page": Paginator(activities.order_by("unit__sort_order", "unit__path", "-date", "-id"),
                          50).get_page(request.GET.get("page")),
        "can_edit": roles.is_office_editor(user),
        "can_report": themed_campaign.status == ThemedCampaign.Status.OPEN and (
            roles.is_office_editor(user) or (user.has_role(roles.LIAISON)
                                                and user.unit_id is not None)),
    }
    if user.is_office:
        context["coverage"] = selectors.coverage(themed_campaign, activities)
    return render(request, "activities/themed_campaign_detail.html", context)


@require_POST
@role_required(*EDITORS)
def themed_campaign_status(request, pk, status):
    themed_campaign = get_object_or_404(ThemedCampaign, pk=pk)
    if status not in ThemedCampaign.Status.values:
        raise Http404
    attempt(request, services.set_themed_campaign_status, request.user, themed_campaign, status,
            success="状态已更新。")
    return redirect("activities:themed_campaign_detail", themed_campaign.pk)


@role_required(*EVERYONE)
def themed_campaign_xlsx(request, pk):
    themed_campaign = get_object_or_404(ThemedCampaign, pk=pk)
    activities = selectors.themed_campaign_activities(themed_campaign, request.user)
    cov = selectors.coverage(themed_campaign, activities)
    return file_response(selectors.coverage_xlsx(themed_campaign, cov, activities),
                         f"{themed_campaign.title}_报送情况.xlsx", "xlsx")


@role_required(roles.ADMIN, roles.EDITOR, roles.APPROVER, roles.VIEWER)
def themed_campaign_article(request, pk):
    themed_campaign = get_object_or_404(ThemedCampaign, pk=pk)
    if not request.user.is_office:
        raise Http404
    if request.GET.get("format") == "txt":
        article = summary_article(themed_campaign)
        text = f"{article.title}\n\n" + "\n\n".join(article.paragraphs) if article else ""
        return HttpResponse(text, content_type="text/plain; charset=utf-8")
    return render(request, "activities/themed_campaign_article.html", {
        "themed_campaign": themed_campaign, "article": summary_article(themed_campaign),
        # Placing it into a briefing is the briefing editors' page (one door).
        "can_place": roles.is_office_editor(request.user),
    })


# Activities (活动报送)

def _activity_fields(form):
    data = dict(form.cleaned_data)
    data["partners"] = list(data["partners"])
    return data


@role_required(roles.LIAISON, *EDITORS)
def activity_new(request, pk):
    themed_campaign = get_object_or_404(ThemedCampaign, pk=pk)
    user = request.user
    form = ActivityForm(request.POST or None, request.FILES or None, themed_campaign=themed_campaign,
                        user=user, initial={"unit": user.unit})
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.report_activity(user, themed_campaign, **_activity_fields(form))
        except DomainError as e:
            form_error(form, e)
        else:
            messages.success(request, f"活动“{activity.title}”已报送。")
            return redirect("activities:activity_detail", activity.pk)
    return render(request, "activities/activity_form.html",
                  {"form": form, "themed_campaign": themed_campaign})


def _scoped_activity(request, pk):
    return get_scoped_or_404(
        Activity.objects.select_related("themed_campaign", "unit", "content_area", "reported_by"),
        request.user, pk=pk)


@role_required(*EVERYONE)
def activity_detail(request, pk):
    activity = _scoped_activity(request, pk)
    user = request.user
    can_edit = activity.themed_campaign.status == ThemedCampaign.Status.OPEN and (
        roles.is_office_editor(user) or user.has_role(roles.LIAISON))
    return render(request, "activities/activity_detail.html", {
        "activity": activity, "photos": activity.photos.all(), "can_edit": can_edit,
        "partners": activity.partners.all(), "roster": activity.volunteer_records.all(),
    })


@role_required(roles.LIAISON, *EDITORS)
def activity_edit(request, pk):
    activity = _scoped_activity(request, pk)
    themed_campaign = activity.themed_campaign
    initial = {f: getattr(activity, f) for f in
               ("unit", "title", "date", "place", "content_area", "participants", "volunteers",
                "volunteer_hours", "beneficiaries", "summary")}
    initial["partners"] = list(activity.partners.all())
    initial["roster"] = "\n".join(f"{v.name} {v.hours.normalize():f}"
                                  for v in activity.volunteer_records.all())
    form = ActivityForm(request.POST or None, request.FILES or None, themed_campaign=themed_campaign,
                        user=request.user, initial=initial)
    # The reporting unit stays what it was.
    form.fields["unit"].queryset = Unit.objects.filter(pk=activity.unit_id)
    form.fields["unit"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = _activity_fields(form)
        data.pop("unit")
        try:
            services.update_activity(request.user, activity, **data)
        except DomainError as e:
            form_error(form, e)
        else:
            messages.success(request, "活动已保存。")
            return redirect("activities:activity_detail", activity.pk)
    return render(request, "activities/activity_form.html",
                  {"form": form, "themed_campaign": themed_campaign, "activity": activity,
                   "photos": activity.photos.all()})


@require_POST
@role_required(roles.LIAISON, *EDITORS)
def activity_withdraw(request, pk):
    activity = _scoped_activity(request, pk)
    if attempt(request, services.withdraw_activity, request.user, activity,
               success=f"已撤回活动“{activity.title}”。"):
        return redirect("activities:themed_campaign_detail", activity.themed_campaign_id)
    return redirect("activities:activity_detail", activity.pk)


@require_POST
@role_required(roles.LIAISON, *EDITORS)
def photo_remove(request, pk):
    photo = get_scoped_or_404(ActivityPhoto.objects.select_related("activity__themed_campaign"),
                              request.user, unit_field="activity__unit", pk=pk)
    attempt(request, services.remove_photo, request.user, photo, success="照片已删除。")
    return redirect("activities:activity_edit", photo.activity_id)


@role_required(*EVERYONE)
def photo(request, pk):
    photo = get_scoped_or_404(ActivityPhoto.objects.all(), request.user,
                              unit_field="activity__unit", pk=pk)
    with photo.image.open("rb") as f:
        response = HttpResponse(f.read(), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response
