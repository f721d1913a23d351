from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from wenming.accounts import roles
from wenming.accounts.decorators import role_required
from wenming.campaign.selectors import shown_after_photos
from wenming.core import charts, maps
from wenming.core.errors import DomainError
from wenming.core.excel import workbook_bytes
from wenming.core.periods import KINDS, Period
from wenming.core.web import attempt, file_response, form_error, query_date
from wenming.scoring import dashboard, selectors, services
from wenming.scoring import kiosk as kiosk_figures
from wenming.scoring import render as output
from wenming.scoring.approval import render_approval_sheet
from wenming.scoring.forms import BulletinForm, CorrectionForm, KioskForm, RuleForm
from wenming.scoring.models import Bulletin, Kiosk, ScoringRule

SIGNED_IN = ()
OFFICE = services.OFFICE_READERS


def _campaign_or_empty(request, template):
    campaign = selectors.active_campaign()
    if campaign is None:
        return None, render(request, template, {"no_campaign": True})
    return campaign, None


def _period(request):
    day = query_date(request.GET, "day", label="日期")
    return Period.around(request.GET.get("kind"), day.isoformat() if day else None)


@role_required(*SIGNED_IN)
def rankings(request):
    campaign, empty = _campaign_or_empty(request, "scoring/rankings.html")
    if empty:
        return empty
    period = _period(request)
    ranking = selectors.ranking(campaign, period)
    return render(request, "scoring/rankings.html", {
        "ranking": ranking, "period": period, "kinds": KINDS.items(),
        "previous": period.previous(), "next": period.next(),
        "district_chart": charts.bars([(r.unit.name, r.place.score) for r in ranking.districts],
                                      unit="分"),
    })


@role_required(*SIGNED_IN)
def rules(request):
    campaign, empty = _campaign_or_empty(request, "scoring/rules.html")
    if empty:
        return empty
    versions = list(ScoringRule.objects.filter(campaign=campaign))
    form = None
    if request.user.has_role(*services.RULE_MANAGERS):
        current = versions[0] if versions else None
        form = RuleForm(request.POST or None, instance=None, initial={
            name: getattr(current, name) for name in ScoringRule.RULE_FIELDS} if current else None)
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            try:
                rule = services.save_rule(request.user, campaign, **data)
            except DomainError as e:
                form_error(form, e)
            else:
                messages.success(request, f"已发布{rule}。")
                return redirect("scoring:rules")
    return render(request, "scoring/rules.html", {
        "campaign": campaign, "versions": versions, "form": form,
        "current": versions[0] if versions else None,
        "defaults": ScoringRule(campaign=campaign) if not versions else None})


@role_required(*OFFICE)
def bulletin_list(request):
    campaign, empty = _campaign_or_empty(request, "scoring/bulletin_list.html")
    if empty:
        return empty
    form = BulletinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        period = Period.containing(form.cleaned_data["kind"], form.cleaned_data["day"])
        bulletin = attempt(request, services.generate_bulletin, request.user, campaign, period,
                           title=form.cleaned_data["title"])
        if bulletin:
            return redirect("scoring:bulletin_detail", bulletin.pk)
    bulletins = Bulletin.objects.filter(campaign=campaign)
    status = request.GET.get("status")
    if status in Bulletin.Status.values:
        bulletins = bulletins.filter(status=status)
    bulletins = bulletins.select_related("replaces").prefetch_related("corrections")[:100]
    return render(request, "scoring/bulletin_list.html", {"bulletins": bulletins, "form": form})


@role_required(*OFFICE)
def bulletin_detail(request, pk):
    bulletin = get_object_or_404(Bulletin.objects.select_related("replaces", "signed_off_by"),
                                 pk=pk)
    corrections = list(bulletin.corrections.order_by("pk"))
    user, status = request.user, bulletin.status
    can_correct = (status == Bulletin.Status.PUBLISHED and not corrections
                   and user.has_role(*services.BULLETIN_EDITORS))
    c = output.document_content(bulletin)
    return render(request, "scoring/bulletin_detail.html", {
        "bulletin": bulletin, "c": c, "photos": len(output.photo_names(c)),
        "summary": output.summary_text(c), "lists": output.lists_text(c),
        "movement_note": output.movement_note(c), "corrections": corrections,
        "correction_form": CorrectionForm() if can_correct else None,
        "can_submit": status == Bulletin.Status.DRAFT and services.can_submit(user),
        "can_sign_off": status == Bulletin.Status.SUBMITTED and services.can_sign_off(user),
        "can_return": status in (Bulletin.Status.SUBMITTED, Bulletin.Status.SIGNED_OFF)
        and services.can_return(user),
        "can_publish": status == Bulletin.Status.SIGNED_OFF and services.can_publish(user),
        "confirmation": services.PUBLISH_CONFIRMATION,
        "history": selectors.bulletin_history(bulletin),
        # Placing it into a briefing is the briefing editors' page (one door).
        "can_place": user.has_role(roles.EDITOR, roles.ADMIN)})


@require_POST
@role_required(*OFFICE)
def bulletin_correct(request, pk):
    bulletin = get_object_or_404(Bulletin, pk=pk)
    form = CorrectionForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    correction = attempt(request, services.correct_bulletin, request.user, bulletin,
                         reason=reason,
                         success="已生成更正稿，请核对后发布。")
    return redirect("scoring:bulletin_detail", correction.pk if correction else pk)


@require_POST
@role_required(*OFFICE)
def bulletin_transition(request, pk, action):
    """One button of the bulletin's workflow; the service decides whether
    the step is allowed."""
    bulletin = get_object_or_404(Bulletin, pk=pk)
    text = request.POST.get("comment", "")
    steps = {
        "submit": (services.submit_bulletin, {}, "已提交签发。"),
        "return": (services.return_bulletin, {"comments": text}, "已退回修改。"),
        "sign_off": (services.sign_off_bulletin, {"opinion": text}, "已签发。"),
        "publish": (services.publish_bulletin,
                    {"confirmed": request.POST.get("confirmed") == "on"}, "通报已发布。"),
    }
    if action not in steps:
        return redirect("scoring:bulletin_detail", pk)
    service, kwargs, success = steps[action]
    attempt(request, service, request.user, bulletin, success=success, **kwargs)
    return redirect("scoring:bulletin_detail", pk)


@role_required(*OFFICE)
def bulletin_file(request, pk, fmt):
    """A bulletin's PDF or Word file: at once when it has no photos; with
    photos it is made in the background, started by the POST of its button."""
    bulletin = get_object_or_404(Bulletin, pk=pk)
    if fmt not in services.FILE_FORMATS:
        return redirect("scoring:bulletin_detail", pk)
    if request.method == "POST":
        task = attempt(request, services.request_bulletin_file, request.user, bulletin, fmt)
        return redirect("tasks:detail", task.pk) if task else redirect("scoring:bulletin_detail", pk)
    if output.photo_names(output.document_content(bulletin)):
        messages.info(request, "本期通报含现场照片，文件在后台生成：请点击“生成 PDF”或“生成 Word”。")
        return redirect("scoring:bulletin_detail", pk)
    make = output.render_pdf if fmt == "pdf" else output.render_docx
    return file_response(make(bulletin), services.file_name(bulletin, fmt), fmt)


@role_required(*OFFICE)
def bulletin_approval_sheet(request, pk):
    bulletin = get_object_or_404(Bulletin.objects.select_related("signed_off_by"), pk=pk)
    return file_response(render_approval_sheet(bulletin),
                         f"{bulletin.year}年第{bulletin.number}期通报审批单.pdf", "pdf", inline=True)


def _dashboard_context(request):
    campaign = selectors.active_campaign()
    if campaign is None:
        return {"no_campaign": True}
    period = _period(request)
    f = dashboard.figures(campaign, period)
    r = f["ranking"]
    return {**f, "kinds": KINDS.items(), "query": request.GET.urlencode(),
            "trend_chart": charts.line(f["trend"]),
            "overdue_chart": charts.bars(f["overdue"], unit="个"),
            "ranking_chart": charts.bars([(x.unit.name, x.place.score) for x in r.districts],
                                         unit="分"),
            "unit_chart": charts.bars([(x.unit.name, x.place.score) for x in r.units[:15]],
                                      unit="分"),
            "heat_chart": charts.heatmap(f["heat_rows"], f["heat_cols"], f["heat"])}


@role_required(*OFFICE)
def dashboard_view(request):
    return render(request, "scoring/dashboard.html",
                  {**_dashboard_context(request), "big": request.GET.get("screen") == "big"})


@role_required(*OFFICE)
def dashboard_xlsx(request):
    campaign = selectors.active_campaign()
    if campaign is None:
        return redirect("scoring:dashboard")
    f = dashboard.figures(campaign, _period(request))
    return file_response(workbook_bytes(dashboard.sheets(f)),
                         f"创建工作数据_{f['period'].label}.xlsx", "xlsx")


# 数据大屏: the office opens it signed in; a wall screen opens it by a
# kiosk token (no login, revocable) and sees the same page.
KIOSK_REFRESH_SECONDS = 300


def _kiosk_page(request, photo_url, kiosk=None):
    campaign = selectors.active_campaign()
    context = {"kiosk": kiosk, "refresh": KIOSK_REFRESH_SECONDS, "no_campaign": True}
    if campaign is not None:
        f = kiosk_figures.figures(campaign)
        context = {**context, **f, "no_campaign": False, "campaign": campaign,
                   # Narrow drawings scaled up to the panel: large type across a room.
                   "ranking_chart": charts.bars(f["districts"], width=380, unit="分"),
                   "trend_chart": charts.line(f["trend"], width=380, height=170),
                   "latest": [(p, [photo_url(ph) for ph in p.after_photos[:2]])
                              for p in f["latest"]]}
    response = render(request, "scoring/kiosk.html", context)
    response["Cache-Control"] = "no-store"
    return maps.allow_tiles(response, settings.WENMING_MAP_TILES)


@role_required(*OFFICE)
def kiosk(request):
    return _kiosk_page(request, lambda ph: reverse("scoring:kiosk_photo", args=[ph.pk]))


def kiosk_screen(request, token):
    screen = services.kiosk_for(token)
    if screen is None:
        raise Http404
    return _kiosk_page(request, lambda ph: reverse("scoring:kiosk_screen_photo",
                                                   args=[token, ph.pk]), screen)


def _after_photo(pk):
    photo = get_object_or_404(shown_after_photos(), pk=pk)
    response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response


@role_required(*OFFICE)
def kiosk_photo(request, pk):
    return _after_photo(pk)


def kiosk_screen_photo(request, token, pk):
    if services.kiosk_for(token) is None:
        raise Http404
    return _after_photo(pk)


@role_required(*services.KIOSK_MANAGERS)
def kiosk_list(request):
    form = KioskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = attempt(request, services.create_kiosk, request.user, name=form.cleaned_data["name"])
        if made:
            screen, token = made
            url = request.build_absolute_uri(reverse("scoring:kiosk_screen", args=[token]))
            response = render(request, "scoring/kiosk_created.html",
                              {"screen": screen, "url": url})
            response["Cache-Control"] = "no-store"  # the link is shown once, never cached
            return response
    return render(request, "scoring/kiosk_list.html", {
        "form": form, "kiosks": Kiosk.objects.select_related("created_by")[:200]})


@require_POST
@role_required(*services.KIOSK_MANAGERS)
def kiosk_revoke(request, pk):
    screen = get_object_or_404(Kiosk, pk=pk)
    attempt(request, services.revoke_kiosk, request.user, screen,
            success=f"已停用大屏链接“{screen.name}”，该屏幕将无法再打开大屏。")
    return redirect("scoring:kiosk_list")
