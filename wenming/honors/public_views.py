"""Public pages, no login: published rolls (web page and PDF), the public
notice with its objection form, and the nomination form. None of them ever
receives a person's ID number or phone number: they read HonorEntry rows
and a fixed list of public fields."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from wenming.core.errors import DomainError
from wenming.core.public_forms import (
    client_ip,
    form_token,
    normalize_tracking_code,
    renew_form_token,
)
from wenming.core.web import file_response, form_error
from wenming.honors import selectors, services
from wenming.honors.forms import ObjectionForm, PublicNominationForm
from wenming.honors.models import HonorRoll, Nomination, Objection
from wenming.honors.render import roll_data


def index(request):
    return render(request, "honors/public_index.html", {
        "published": selectors.published_rolls(),
        "on_notice": selectors.rolls_on_notice(),
        "open": selectors.rolls_open_for_nominations(),
    })


def _published(pk):
    roll = get_object_or_404(HonorRoll.objects.select_related("correction_of"), pk=pk)
    if not roll.is_published:
        raise Http404
    return roll


def roll_page(request, pk):
    roll = _published(pk)
    versions = [v for v in [roll.original, *roll.original.corrections.order_by("version")]
                if v.is_published]
    photos = {}
    for photo in selectors.public_photos().filter(nomination__entries__roll=roll):
        photos.setdefault(photo.nomination_id, photo.pk)
    data = roll_data(roll)
    for group in data["groups"]:
        for person in group["people"]:
            person["photo"] = photos.get(person["nomination"])
    return render(request, "honors/public_roll.html", {
        "roll": roll, "d": data, "versions": versions,
        "latest": services.latest_published(roll),
    })


def roll_pdf(request, pk):
    roll = _published(pk)
    with roll.pdf.open("rb") as f:
        content = f.read()
    suffix = f"（更正版{roll.version}）" if roll.correction_of_id else ""
    return file_response(content, f"{roll.period_text}{roll.title}{suffix}.pdf", "pdf",
                         inline=True)


def _public_people(roll):
    return roll.nominations.filter(status=Nomination.Status.ON_NOTICE).select_related("area").order_by(
        "category", "area__sort_order", "id")


def notice(request, pk):
    roll = get_object_or_404(HonorRoll, pk=pk, correction_of__isnull=True)
    if not services.notice_is_open(roll):
        raise Http404
    photos = {}
    for photo in selectors.public_photos().filter(nomination__roll=roll):
        photos.setdefault(photo.nomination_id, photo.pk)
    people = list(_public_people(roll))
    for n in people:
        n.photo_pk = photos.get(n.pk)
    return render(request, "honors/public_notice.html", {"roll": roll, "people": people})


def objection(request, pk):
    roll = get_object_or_404(HonorRoll, pk=pk, correction_of__isnull=True)
    if not services.notice_is_open(roll):
        raise Http404
    purpose = f"objection:{roll.pk}"
    form = ObjectionForm(request.POST or None, roll=roll,
                         initial={"token": form_token(purpose),
                                  "nomination": request.GET.get("n")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            filed = services.file_objection(data["nomination"], content=data["content"],
                                            contact_name=data["contact_name"],
                                            contact_phone=data["contact_phone"],
                                            token=data["token"], ip=client_ip(request))
        except DomainError as e:
            renew_form_token(form, purpose)
            form_error(form, e)
        else:
            return redirect(reverse("honors:public_objection_status",
                                    args=[filed.tracking_code]) + "?new=1")
    elif request.method == "POST":
        renew_form_token(form, purpose)
    return render(request, "honors/public_objection.html", {"roll": roll, "form": form})


def objection_status(request, code):
    """What became of an objection, for whoever holds its tracking code;
    right after filing, the confirmation with the code to keep."""
    objection = get_object_or_404(Objection.objects.select_related("nomination__roll"),
                                  tracking_code=normalize_tracking_code(code))
    return render(request, "honors/public_objection_status.html", {
        "objection": objection, "roll": objection.nomination.roll,
        "new": request.GET.get("new") == "1"})


def objection_track(request):
    code = normalize_tracking_code(request.GET.get("code"))
    if code and Objection.objects.filter(tracking_code=code).exists():
        return redirect("honors:public_objection_status", code)
    if code:
        messages.error(request, f"没有找到查询码为“{code}”的异议，请核对。")
    return render(request, "honors/public_objection_track.html", {"code": code})


def nominate(request, pk):
    roll = get_object_or_404(HonorRoll, pk=pk, correction_of__isnull=True)
    if not selectors.rolls_open_for_nominations().filter(pk=roll.pk).exists():
        raise Http404
    purpose = f"nominate:{roll.pk}"
    form = PublicNominationForm(request.POST or None, request.FILES or None,
                                initial={"token": form_token(purpose)})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("website")
        try:
            services.nominate_public(roll, ip=client_ip(request), **data)
        except DomainError as e:
            renew_form_token(form, purpose)
            form_error(form, e)
        else:
            messages.success(request, "推荐已提交，所在地文明办将进行核实。感谢您传递身边的正能量！")
            return redirect("honors:public_index")
    elif request.method == "POST":
        renew_form_token(form, purpose)
    return render(request, "honors/public_nominate.html", {"roll": roll, "form": form})


def photo(request, pk):
    photo = get_object_or_404(selectors.public_photos(), pk=pk)
    with photo.image.open("rb") as f:
        response = HttpResponse(f.read(), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    return response
