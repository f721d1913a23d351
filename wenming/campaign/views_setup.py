"""The office's setup: the yearly index (Excel in and out) and the sites."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render

from wenming.accounts import roles
from wenming.accounts.decorators import role_required
from wenming.campaign import catalog, excel, selectors
from wenming.campaign.forms import (
    IndexImportForm,
    LedgerImportForm,
    SiteForm,
    SiteImportForm,
    districts,
)
from wenming.campaign.models import Campaign, Index, Site, SiteCategory
from wenming.campaign.views import MANAGERS, READERS
from wenming.core.errors import DomainError
from wenming.core.web import file_response, form_error
from wenming.tasks.services import start_task

OFFICE_READERS = tuple(r for r in READERS if r != roles.LIAISON)


@role_required(*OFFICE_READERS)
def index_list(request):
    campaign = catalog.active_campaign()
    indexes = Index.objects.select_related("campaign").annotate(n=Count("criteria"))
    can_manage = request.user.has_role(*MANAGERS)
    form = IndexImportForm(request.POST or None, request.FILES or None) if can_manage else None
    if form is not None and request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        # Read, checked and written in the background; the user watches the task page.
        task = start_task(request.user, "wenming.campaign.tasks.import_index",
                          f"导入{d['year']}年测评体系：{d['file'].name}",
                          {"year": d["year"], "name": d["name"],
                           "campaign": campaign.pk if campaign else None}, upload=d["file"])
        return redirect("tasks:detail", task.pk)
    return render(request, "campaign/index_list.html",
                  {"indexes": indexes, "form": form, "campaign": campaign})


@role_required(*OFFICE_READERS)
def index_detail(request, pk):
    index = get_object_or_404(Index.objects.select_related("campaign"), pk=pk)
    areas = index.areas.prefetch_related("items__criteria__categories")
    return render(request, "campaign/index_detail.html", {"index": index, "areas": areas})


@role_required(*OFFICE_READERS)
def index_export(request, pk):
    index = get_object_or_404(Index, pk=pk)
    return file_response(excel.index_workbook(index), f"{index}.xlsx", "xlsx")


@role_required(*OFFICE_READERS)
def site_list(request):
    sites = Site.objects.select_related("category", "district", "responsible_unit")
    sites, criteria = selectors.filter_sites(sites, request.GET)
    page = Paginator(sites, 50).get_page(request.GET.get("page"))
    query = "&".join(f"{k}={v}" for k, v in criteria.items() if v)
    return render(request, "campaign/site_list.html", {
        "page": page, **criteria, "query": query,
        "districts": districts(), "categories": SiteCategory.objects.all(),
        "can_manage": request.user.has_role(*MANAGERS)})


@role_required(*MANAGERS)
def site_form(request, pk=None):
    site = get_object_or_404(Site, pk=pk) if pk else None
    form = SiteForm(request.POST or None, instance=site)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            lat, lng = catalog.to_wgs84(d["lat"], d["lng"], d["coordinate_system"])
            site = catalog.save_site(
                request.user, Site.objects.get(pk=site.pk) if site else None,
                **{f: d[f] for f in ("name", "category", "district", "responsible_unit",
                                     "address", "is_active")}, lat=lat, lng=lng)
        except DomainError as e:
            form_error(form, e)
        else:
            messages.success(request, f"点位“{site.name}”已保存。")
            return redirect("campaign:site_list")
    return render(request, "campaign/site_form.html", {"form": form, "site": site})


@role_required(*MANAGERS)
def site_import(request):
    form = SiteImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        # Read, checked and written in the background; the user watches the task page.
        task = start_task(request.user, "wenming.campaign.tasks.import_sites",
                          f"导入点位：{d['file'].name}",
                          {"coordinate_system": d["coordinate_system"]}, upload=d["file"])
        return redirect("tasks:detail", task.pk)
    return render(request, "campaign/site_import.html", {"form": form})


@role_required(*MANAGERS)
def site_template(request):
    return file_response(excel.sites_template(), "点位导入模板.xlsx", "xlsx")


@role_required(*MANAGERS)
def ledger_import(request):
    form = LedgerImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        task = start_task(request.user, "wenming.campaign.tasks.import_ledger",
                          f"导入台账：{upload.name}", upload=upload)
        return redirect("tasks:detail", task.pk)
    return render(request, "campaign/ledger_import.html", {"form": form})


@role_required(*MANAGERS)
def ledger_template(request):
    from wenming.campaign.ledger_import import template_xlsx

    return file_response(template_xlsx(), "台账导入模板.xlsx", "xlsx")


class CampaignSettingsForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = catalog.CAMPAIGN_SETTINGS


@role_required(roles.ADMIN)
def campaign_settings(request):
    campaign = catalog.active_campaign()
    if campaign is None:
        messages.error(request, "还没有创建活动，请先导入测评体系。")
        return redirect("campaign:index_list")
    form = CampaignSettingsForm(request.POST or None, instance=Campaign.objects.get(pk=campaign.pk))
    if request.method == "POST" and form.is_valid():
        try:
            catalog.update_campaign(request.user, campaign, **form.cleaned_data)
        except DomainError as e:
            form_error(form, e)
        else:
            messages.success(request, "设置已保存，新交办的问题按新时限计算。")
            return redirect("campaign:campaign_settings")
    return render(request, "campaign/campaign_settings.html",
                  {"form": form, "campaign": campaign})
