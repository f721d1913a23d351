"""随手拍: the public page (no login), the reporter's status page, and the
office's triage."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from wenming.accounts.decorators import role_required
from wenming.campaign import citizen
from wenming.campaign.forms import UnitChoiceField, responsible_units
from wenming.campaign.models import CitizenReport, Criterion, Problem, Site
from wenming.campaign.selectors import shown_after_photos
from wenming.campaign.views import MANAGERS
from wenming.core import geo
from wenming.core.errors import DomainError
from wenming.core.public_forms import (
    HoneypotField,
    RateLimited,
    check_form_token,
    check_rate,
    client_ip,
    form_token,
    form_token_is_live,
)
from wenming.core.web import attempt, form_error


class ReportForm(forms.Form):
    service_code = forms.ChoiceField(label="问题类型",
                                     choices=[(c, n) for c, n, _ in citizen.SERVICES])
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 3}),
                                  max_length=None)
    photo = forms.FileField(label="照片", required=False, widget=forms.ClearableFileInput(
        attrs={"accept": "image/*", "capture": "environment"}))
    address = forms.CharField(label="地点", required=False, max_length=None,
                              help_text="如：七一路与八一路交叉口东北角")
    lat = forms.CharField(label="纬度", required=False, widget=forms.HiddenInput)
    lng = forms.CharField(label="经度", required=False, widget=forms.HiddenInput)
    contact_phone = forms.CharField(label="联系电话（选填，仅文明办可见）", required=False,
                                    max_length=None)
    website = HoneypotField()
    token = forms.CharField(widget=forms.HiddenInput)


def report_form(request):
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            try:
                nonce = check_form_token(d["token"], citizen.FORM_PURPOSE)
                report = citizen.submit_report(
                    service_code=d["service_code"], description=d["description"],
                    address=d["address"], lat=d["lat"] or None, lng=d["lng"] or None,
                    photo=d["photo"], contact_phone=d["contact_phone"], client_key=nonce,
                    ip=client_ip(request))
            except DomainError as e:
                form_error(form, e)
            else:
                messages.success(request, f"已收到您的反映，查询码：{report.tracking_code}。"
                                          "请记下查询码，随时查看办理进度。")
                return redirect("campaign:report_status", report.tracking_code)
    else:
        form = ReportForm(initial={"token": form_token(citizen.FORM_PURPOSE)})
    return render(request, "campaign/report_form.html", {"form": form},
                  status=400 if form.errors else 200)


def report_nearby(request):
    """附近已有类似问题, asked by the form (htmx) once a location is given.
    Only from a live page of the form, and not for an address that already
    reached its hourly submit limit. A refusal is a line in the fragment
    (htmx swaps only 2xx answers), never an error page; no input gives a 500."""
    if not form_token_is_live(request.GET.get("token"), citizen.FORM_PURPOSE):
        return render(request, "campaign/_nearby.html", {"refused": "页面已过期，请刷新页面。"})
    try:
        check_rate(CitizenReport.objects.all(), client_ip(request),
                   settings.WENMING_CITIZEN_REPORTS_PER_HOUR)
    except RateLimited:
        return render(request, "campaign/_nearby.html", {"refused": "查询过于频繁，请稍后再试。"})
    lat, lng = _point(request.GET.get("lat"), request.GET.get("lng"))
    address = " ".join((request.GET.get("address") or "").split())[:200].replace("\x00", "")
    items = citizen.nearby(lat=lat, lng=lng, address=address)
    return render(request, "campaign/_nearby.html", {"items": items})


def _point(lat, lng):
    """Browser coordinates (WGS-84), or (None, None) for anything else."""
    try:
        return geo.check_lat_lng(lat, lng)  # NaN and infinities fail its range test
    except (TypeError, ValueError, OverflowError):
        return None, None


def _after_photos(problem):
    return list(shown_after_photos().filter(problem=problem)) if problem else []


def report_status(request, code):
    report = get_object_or_404(CitizenReport.objects.select_related(
        "problem", "problem__responsible_unit"), tracking_code=code.upper())
    is_open, note, unit, expected = citizen.public_status(report)
    return render(request, "campaign/report_status.html", {
        "report": report, "is_open": is_open, "note": note, "unit": unit,
        "expected": expected, "service": citizen.SERVICE_NAMES.get(report.service_code, ""),
        "steps": citizen.timeline(report=report),
        "photos": [(reverse("campaign:report_after_photo", args=[report.tracking_code, ph.pk]),
                    ph) for ph in _after_photos(report.problem)]})


def report_after_photo(request, code, pk):
    """An after-photo of the reporter's closed problem (the verified fix)."""
    report = get_object_or_404(CitizenReport, tracking_code=code.upper())
    return _photo_response(get_object_or_404(
        shown_after_photos(), pk=pk, problem_id=report.problem_id or 0))


def report_follow(request, key):
    """A problem's public progress, for a citizen who found it in the
    nearby list: its place, category, steps and, once closed, the fix."""
    problem = citizen.problem_for(key)
    if problem is None:
        raise Http404
    return render(request, "campaign/report_follow.html", {
        "problem": problem, "key": key, "steps": citizen.timeline(problem=problem),
        "closed": problem.status == Problem.Status.CLOSED,
        "photos": [(reverse("campaign:report_follow_photo", args=[key, ph.pk]), ph)
                   for ph in _after_photos(problem)]})


def report_follow_photo(request, key, pk):
    problem = citizen.problem_for(key)
    if problem is None:
        raise Http404
    return _photo_response(get_object_or_404(shown_after_photos(), pk=pk, problem=problem))


def _photo_response(photo):
    response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def report_track(request):
    code = (request.GET.get("code") or "").strip().upper()
    if code and CitizenReport.objects.filter(tracking_code=code).exists():
        return redirect("campaign:report_status", code)
    if code:
        messages.error(request, f"没有找到查询码为“{code[:20]}”的反映，请核对。")
    return render(request, "campaign/report_track.html", {"code": code[:20]})


@role_required(*MANAGERS)
def report_list(request):
    status = request.GET.get("status", CitizenReport.Status.RECEIVED)
    reports = CitizenReport.objects.select_related("problem")
    if status in CitizenReport.Status.values:
        reports = reports.filter(status=status)
    counts = dict(CitizenReport.objects.values_list("status").annotate(n=Count("id")))
    return render(request, "campaign/report_list.html", {
        "reports": reports[:200], "status": status, "services": citizen.SERVICE_NAMES,
        "tabs": [(v, label, counts.get(v, 0)) for v, label in CitizenReport.Status.choices]})


class AcceptForm(forms.Form):
    responsible_unit = UnitChoiceField(label="责任单位", queryset=None)
    site = forms.ModelChoiceField(label="点位（选填）", queryset=Site.objects.none(),
                                  required=False)
    criterion = forms.ModelChoiceField(label="测评标准（选填）", required=False,
                                       queryset=Criterion.objects.none())
    severity = forms.ChoiceField(label="问题等级", choices=Problem.Severity.choices,
                                 initial=Problem.Severity.NORMAL)
    dispatch = forms.BooleanField(label="立即交办", required=False, initial=True)

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].queryset = responsible_units()
        self.fields["site"].queryset = Site.objects.filter(is_active=True)
        self.fields["site"].choices = [("", "无")] + [
            (s.pk, f"{s.name}（{distance}）") for s, distance in nearby_sites(report)]
        from wenming.campaign.catalog import active_campaign

        campaign = active_campaign()
        index = campaign.current_index() if campaign else None
        if index:
            self.fields["criterion"].queryset = index.criteria.order_by("id")
            self.fields["criterion"].label_from_instance = lambda c: f"{c.code} {c.text[:30]}"


def nearby_sites(report, limit=10):
    """Sites nearest the report (all sites by name when it has no location)."""
    sites = list(Site.objects.filter(is_active=True).select_related("district"))
    if report.lat is None:
        return [(s, s.district.name) for s in sites[:50]]
    located = [(geo.distance_m(report.lat, report.lng, s.lat, s.lng), s)
               for s in sites if s.lat is not None]
    located.sort(key=lambda pair: pair[0])
    return [(s, f"{d:,.0f}米") for d, s in located[:limit]]


@role_required(*MANAGERS)
def report_detail(request, pk):
    report = get_object_or_404(CitizenReport.objects.select_related("problem"), pk=pk)
    form = AcceptForm(request.POST or None, report=report, prefix="accept")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = attempt(request, citizen.accept_report, request.user, report,
                       responsible_unit=d["responsible_unit"], site=d["site"],
                       criterion=d["criterion"], severity=d["severity"],
                       dispatch=d["dispatch"], success="已受理，转为台账问题。")
        if done:
            return redirect("campaign:problem_detail", done.problem_id)
    return render(request, "campaign/report_detail.html", {
        "report": report, "form": form, "service": citizen.SERVICE_NAMES.get(
            report.service_code, ""), "pending": report.status == "received"})


@require_POST
@role_required(*MANAGERS)
def report_reject(request, pk):
    report = get_object_or_404(CitizenReport, pk=pk)
    attempt(request, citizen.reject_report, request.user, report,
            reason=request.POST.get("reason", ""), success="已作不予受理处理。")
    return redirect("campaign:report_detail", report.pk)


@role_required(*MANAGERS)
def report_photo(request, pk):
    report = get_object_or_404(CitizenReport, pk=pk)
    if not report.photo:
        raise Http404
    return FileResponse(report.photo.open("rb"), content_type="image/jpeg")
