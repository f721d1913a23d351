from django import forms
from django.conf import settings
from django.db.models import Q

from wenming.accounts import roles
from wenming.accounts.models import Unit, User
from wenming.campaign.catalog import DISTRICT_KINDS
from wenming.campaign.models import InspectionPlan, Problem, Site, SiteCategory
from wenming.core import geo


class PhotoInput(forms.ClearableFileInput):
    """Phone camera capture; several photos where the browser allows."""

    allow_multiple_selected = True

    def __init__(self, attrs=None):
        super().__init__({"accept": "image/*", "capture": "environment", "multiple": True,
                          **(attrs or {})})


class PhotoField(forms.FileField):
    widget = PhotoInput

    def clean(self, data, initial=None):
        # The service checks each photo and names it in its message.
        return [f for f in (data or []) if f] if isinstance(data, list | tuple) else (
            [data] if data else [])


def districts():
    return Unit.objects.filter(kind__in=DISTRICT_KINDS).order_by("sort_order", "path")


def responsible_units():
    return Unit.objects.exclude(kind=Unit.Kind.CITY).order_by("path")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return ("　" * max(obj.depth - 1, 0)) + obj.name


class DispatchForm(forms.Form):
    unit = UnitChoiceField(label="责任单位", queryset=Unit.objects.none())
    severity = forms.ChoiceField(label="问题等级", choices=Problem.Severity.choices,
                                 help_text="整改时限按问题等级确定")
    note = forms.CharField(label="交办意见", required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = responsible_units()


class ReassignForm(forms.Form):
    unit = UnitChoiceField(label="改派给", queryset=Unit.objects.none())
    note = forms.CharField(label="改派说明", required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = responsible_units()


class RectificationForm(forms.Form):
    text = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=None)
    photos = PhotoField(label="整改后照片", help_text=f"可拍照或从相册选择，最多{settings.WENMING_MAX_PHOTOS}张")


class ReviewForm(forms.Form):
    note = forms.CharField(label="复查意见", required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    photos = PhotoField(label="复查照片", required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))


class PlanForm(forms.ModelForm):
    class Meta:
        model = InspectionPlan
        fields = ["title", "is_undercover", "starts_on", "ends_on", "inspectors", "sites", "note"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 2}),
            "sites": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspectors"].queryset = User.objects.filter(
            Q(groups__name=roles.INSPECTOR) | Q(groups__name=roles.ADMIN),
            is_active=True).distinct().order_by("username")
        self.fields["sites"].queryset = Site.objects.filter(is_active=True).select_related(
            "district")
        self.fields["sites"].label_from_instance = lambda s: f"{s.district.name} · {s.name}"


COORDINATE_HELP = ("填写坐标所用的坐标系：从高德、腾讯地图取点选 GCJ-02，"
                   "从百度地图取点选 BD-09，GPS 设备或照片选 WGS-84。平台统一保存为 WGS-84。")


class SiteForm(forms.ModelForm):
    coordinate_system = forms.ChoiceField(label="坐标系", choices=geo.SYSTEMS,
                                          initial=geo.GCJ02, help_text=COORDINATE_HELP)
    lng = forms.DecimalField(label="经度", required=False, max_digits=10, decimal_places=7)
    lat = forms.DecimalField(label="纬度", required=False, max_digits=10, decimal_places=7)

    class Meta:
        model = Site
        fields = ["name", "category", "district", "responsible_unit", "address", "is_active"]
        field_classes = {"responsible_unit": UnitChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts()
        self.fields["responsible_unit"].queryset = responsible_units()
        self.fields["category"].queryset = SiteCategory.objects.all()
        if self.instance.pk and self.instance.lat is not None:
            self.initial.update(lat=self.instance.lat, lng=self.instance.lng,
                                coordinate_system=geo.WGS84)


class SiteImportForm(forms.Form):
    file = forms.FileField(label="点位表（.xlsx）")
    coordinate_system = forms.ChoiceField(label="表中经纬度的坐标系", choices=geo.SYSTEMS,
                                          initial=geo.GCJ02, help_text=COORDINATE_HELP)


class IndexImportForm(forms.Form):
    year = forms.IntegerField(label="年度版本", min_value=2000, max_value=2100)
    name = forms.CharField(label="名称", required=False, max_length=100,
                           help_text="留空则为“某年版测评体系”")
    file = forms.FileField(label="测评体系表（.xlsx）",
                           help_text="每行一条测评标准，编号如 1 / 1.2 / 1.2.3")


class LedgerImportForm(forms.Form):
    file = forms.FileField(label="台账表（.xlsx 或 .csv）",
                           help_text="每行一个问题；全部行无误才导入")
