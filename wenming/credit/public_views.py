"""Public pages of a list on notice (公示), the online objection and
credit-restoration forms, and the status page behind their tracking codes.
No login; every form carries the shared public-form protections."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from wenming.core.errors import DomainError
from wenming.core.public_forms import (
    client_ip,
    form_token,
    normalize_tracking_code,
    renew_form_token,
)
from wenming.core.web import form_error
from wenming.credit import publication, services
from wenming.credit.forms import PublicObjectionForm, PublicRestorationForm
from wenming.credit.models import Objection, Restoration
from wenming.credit.selectors import counts_by_kind, lists_on_notice


def _on_notice(pk):
    return get_object_or_404(lists_on_notice(), pk=pk)


def notice(request, pk):
    credit_list = _on_notice(pk)
    rows = [publication.public_row(listing, seq) for seq, listing in
            enumerate(publication.ordered_listings(credit_list), start=1)]
    return render(request, "credit/public_notice.html", {
        "credit_list": credit_list, "rows": rows, "counts": counts_by_kind(credit_list),
        "issuer": publication.issuer_name()})


def _confirmation(code):
    return redirect(reverse("credit:track_status", args=[code]) + "?new=1")


def objection(request, pk):
    credit_list = _on_notice(pk)
    purpose = services.objection_purpose(credit_list)
    form = PublicObjectionForm(request.POST or None, credit_list=credit_list,
                               initial={"token": form_token(purpose),
                                        "listing": request.GET.get("listing")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            filed = services.file_objection(
                data["listing"], objector=data["objector"], phone=data["phone"],
                content=data["content"], token=data["token"], ip=client_ip(request))
        except DomainError as e:
            renew_form_token(form, purpose)
            form_error(form, e)
        else:
            return _confirmation(filed.tracking_code)
    elif request.method == "POST":
        renew_form_token(form, purpose)
    return render(request, "credit/public_objection.html",
                  {"credit_list": credit_list, "form": form},
                  status=400 if form.errors else 200)


def restoration(request):
    purpose = services.RESTORATION_PURPOSE
    form = PublicRestorationForm(request.POST or None, initial={"token": form_token(purpose)})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("website")
        try:
            applied = services.apply_restoration_online(ip=client_ip(request), **data)
        except DomainError as e:
            renew_form_token(form, purpose)
            form_error(form, e)
        else:
            return _confirmation(applied.tracking_code)
    elif request.method == "POST":
        renew_form_token(form, purpose)
    return render(request, "credit/public_restoration.html", {"form": form},
                  status=400 if form.errors else 200)


def _tracked(code):
    code = normalize_tracking_code(code)
    if not code:
        return None
    return (Objection.objects.select_related("listing__entity", "listing__credit_list")
            .filter(tracking_code=code).first()
            or Restoration.objects.select_related("listing__entity", "listing__credit_list")
            .filter(tracking_code=code).first())


def track(request):
    code = normalize_tracking_code(request.GET.get("code"))
    if code and _tracked(code):
        return redirect("credit:track_status", code)
    if code:
        messages.error(request, f"没有找到查询码为“{code}”的异议或信用修复申请，请核对。")
    return render(request, "credit/public_track.html", {"code": code})


def track_status(request, code):
    """What became of an objection or an application, for whoever holds its
    code; right after submitting, the confirmation with the code to keep."""
    item = _tracked(code)
    if item is None:
        return render(request, "credit/public_track.html",
                      {"code": normalize_tracking_code(code), "missing": True}, status=404)
    return render(request, "credit/public_track_status.html", {
        "item": item, "is_objection": isinstance(item, Objection),
        "new": request.GET.get("new") == "1"})


