from django import forms
from django.conf import settings

from wenming.accounts.models import Unit
from wenming.accounts.scoping import visible_units
from wenming.activities.models import AnnualReview, CivilizedUnit, ContentArea

DATE = {"type": "date"}


def date_input():
    return forms.DateInput(attrs=DATE, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos from one <input type=file multiple>. Checking that
    they are images is the service's job (it decodes them)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class TitleForm(forms.Form):
    unit = forms.ModelChoiceField(label="所属单位", queryset=Unit.objects.all())
    holder_name = forms.CharField(label="称号获得者", max_length=100, required=False,
                                  help_text="留空则取所属单位名称；文明家庭填“某某家庭”")
    category = forms.ChoiceField(label="称号类别", choices=CivilizedUnit.Category.choices)
    level = forms.ChoiceField(label="级别", choices=CivilizedUnit.Level.choices)
    awarded_on = forms.DateField(label="命名日期", widget=date_input())
    valid_until = forms.DateField(label="有效期至", widget=date_input(), required=False,
                                  help_text="留空则为命名日期起三年")
    batch = forms.CharField(label="届次/批次", max_length=50, required=False)
    document_no = forms.CharField(label="命名文号", max_length=100, required=False)


class ReviewForm(forms.Form):
    year = forms.IntegerField(label="复查年度", min_value=2000, max_value=2100)
    result = forms.ChoiceField(label="复查结果", choices=AnnualReview.Result.choices)
    reviewed_on = forms.DateField(label="复查日期", widget=date_input())
    note = forms.CharField(label="复查意见", required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class RevokeForm(forms.Form):
    reason = forms.CharField(label="撤销原因", max_length=300)


class CampaignForm(forms.Form):
    title = forms.CharField(label="活动名称", max_length=100)
    short_name = forms.CharField(label="简称", max_length=20, required=False,
                                 help_text="如：双节。综述稿中写作“双节”期间")
    participants_label = forms.CharField(label="参与范围", max_length=50, initial="市直文明单位")
    purpose = forms.CharField(label="活动目的", max_length=200, required=False)
    starts_on = forms.DateField(label="开始日期", widget=date_input())
    ends_on = forms.DateField(label="结束日期", widget=date_input())
    areas = forms.CharField(label="内容方面", widget=forms.Textarea(attrs={"rows": 6}),
                            help_text="每行一个，如：环境卫生清扫")
    units = forms.ModelMultipleChoiceField(
        label="应报送单位", required=False, queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text="用于统计哪些单位尚未报送；可按住 Ctrl 多选")
    titled_units = forms.BooleanField(
        label="加上所有持有有效文明单位称号的单位", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.exclude(
            kind__in=[Unit.Kind.COMMUNITY, Unit.Kind.VILLAGE])


class ActivityForm(forms.Form):
    unit = forms.ModelChoiceField(label="报送单位", queryset=Unit.objects.none(),
                                  empty_label=None)
    title = forms.CharField(label="活动名称", max_length=100)
    date = forms.DateField(label="活动日期", widget=date_input())
    place = forms.CharField(label="活动地点", max_length=100)
    content_area = forms.ModelChoiceField(label="内容方面", queryset=ContentArea.objects.none())
    participants = forms.IntegerField(label="参与人数", min_value=1, max_value=10_000_000)
    volunteers = forms.IntegerField(label="志愿者人数", min_value=0, max_value=10_000_000,
                                    initial=0, required=False)
    volunteer_hours = forms.DecimalField(label="志愿服务时长（小时）", min_value=0,
                                         max_digits=9, decimal_places=1, initial=0,
                                         required=False, help_text="全体志愿者合计")
    beneficiaries = forms.IntegerField(label="受益群众人数", min_value=0, max_value=10_000_000,
                                       initial=0, required=False)
    partners = forms.ModelMultipleChoiceField(
        label="联合开展单位", required=False, queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 4}))
    roster = forms.CharField(
        label="志愿者名单（可选）", required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "张三 2.5\n李四 3"}),
        help_text="每行“姓名 时长”；填写后志愿者人数和时长按名单计算")
    summary = forms.CharField(label="活动简介", widget=forms.Textarea(attrs={"rows": 6}),
                              help_text="写做了什么、效果如何；将用于简报综述稿")
    photos = PhotosField(label="活动照片", help_text=f"可多选，每项活动最多{settings.WENMING_MAX_PHOTOS}张")

    def __init__(self, *args, themed_campaign, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content_area"].queryset = themed_campaign.areas.all()
        self.fields["unit"].queryset = visible_units(user).exclude(
            kind__in=[Unit.Kind.COMMUNITY, Unit.Kind.VILLAGE]) if user.is_office \
            else visible_units(user)
        self.fields["partners"].queryset = Unit.objects.filter(
            kind=Unit.Kind.DEPARTMENT).order_by("sort_order", "path")
        # Length and control characters are checked by the service.
        self.fields["summary"].max_length = None

    def clean(self):
        data = super().clean()
        for name in ("volunteers", "beneficiaries", "volunteer_hours"):
            if data.get(name) is None and name not in self.errors:
                data[name] = 0
        return data

