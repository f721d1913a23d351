"""The audit log page. It lives here, not in audit, so that audit stays
below accounts: accounts records through audit, and audit needs nothing of
accounts but the user model setting."""

from datetime import datetime, time

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from wenming.accounts import roles
from wenming.accounts.decorators import role_required
from wenming.audit.models import AuditEvent
from wenming.audit.verbs import DESCRIPTIONS
from wenming.core.web import sane_day


class FilterForm(forms.Form):
    actor = forms.CharField(label="操作人", required=False)
    object_type = forms.CharField(label="对象类型", required=False)
    object_id = forms.CharField(label="对象编号", required=False)
    verb = forms.CharField(label="操作", required=False)
    date_from = forms.DateField(label="起始日期", required=False, validators=[sane_day],
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="截止日期", required=False, validators=[sane_day],
                              widget=forms.DateInput(attrs={"type": "date"}))


def _day_start(d):
    return timezone.make_aware(datetime.combine(d, time.min))


@role_required(roles.ADMIN)
def event_list(request):
    """The audit log, filtered; its URL keeps the name audit:event_list."""
    form = FilterForm(request.GET or None)
    events = AuditEvent.objects.all()
    if form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            events = events.filter(actor_name__icontains=data["actor"])
        if data["object_type"]:
            events = events.filter(object_type__icontains=data["object_type"])
        if data["object_id"]:
            events = events.filter(object_id=data["object_id"])
        if data["verb"]:
            # People type what they read (交办问题) or the code (problem.dispatch).
            text = data["verb"]
            described = [verb for verb, words in DESCRIPTIONS.items() if text in words]
            events = events.filter(Q(verb__icontains=text) | Q(verb__in=described))
        if data["date_from"]:
            events = events.filter(created_at__gte=_day_start(data["date_from"]))
        if data["date_to"]:
            events = events.filter(
                created_at__lt=_day_start(data["date_to"]) + timezone.timedelta(days=1))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "front/audit_log.html",
                  {"form": form, "page": page, "query": query.urlencode()})
