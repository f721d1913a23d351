from django import forms
from django.conf import settings

from wenming.accounts.models import User
from wenming.activities.forms import PhotosField, date_input
from wenming.core.public_forms import HoneypotField
from wenming.honors.models import (
    Category,
    HigherHonor,
    HonorRoll,
    Nomination,
    Review,
    default_roll_issuer,
    default_roll_title,
)
from wenming.honors.services import nomination_areas


class RollForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    period = forms.ChoiceField(label="期间", choices=HonorRoll.Period.choices)
    title = forms.CharField(label="榜单名称", max_length=50, initial=default_roll_title)
    issuer = forms.CharField(label="发布单位", max_length=50, initial=default_roll_issuer)
    nominations_close_on = forms.DateField(label="推荐截止日期", required=False,
                                           widget=date_input())
    review_method = forms.ChoiceField(label="评议方式", choices=HonorRoll.ReviewMethod.choices)
    pass_score = forms.IntegerField(label="通过分数（打分评议时）", min_value=1, max_value=100,
                                    initial=80)
    panel = forms.ModelMultipleChoiceField(
        label="评议组成员", required=False,
        queryset=User.objects.filter(is_active=True).order_by("username"),
        widget=forms.SelectMultiple(attrs={"size": 6}))


class RollSettingsForm(RollForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Year and period name the roll; they do not change once it exists.
        del self.fields["year"], self.fields["period"]


class _PersonFields(forms.Form):
    category = forms.ChoiceField(label="推荐类别", choices=Category.choices)
    name = forms.CharField(label="被推荐人姓名", max_length=50)
    gender = forms.ChoiceField(label="性别", required=False,
                               choices=[("", "—"), *Nomination.Gender.choices])
    workplace = forms.CharField(label="工作单位及身份", max_length=100,
                                help_text="如：××县××镇××村村民")
    summary = forms.CharField(label="简要事迹", widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="300字以内，用于公示和榜单")
    deeds = forms.CharField(label="事迹材料", widget=forms.Textarea(attrs={"rows": 8}),
                            help_text="每段一行")
    photos = PhotosField(label="照片", help_text=f"本人照片或事迹照片，最多{settings.WENMING_MAX_PHOTOS}张")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Length and control characters are checked by the service, which
        # names the field in its message.
        self.fields["summary"].max_length = None


class NominationForm(_PersonFields):
    id_number = forms.CharField(label="身份证号", max_length=18, required=False,
                                help_text="仅用于核实身份，不会公开")
    phone = forms.CharField(label="被推荐人联系电话", max_length=20, required=False,
                            help_text="仅用于核实，不会公开")

    field_order = ["category", "name", "gender", "id_number", "phone", "workplace", "summary",
                   "deeds", "photos"]


class PublicNominationForm(_PersonFields):
    area = forms.ModelChoiceField(label="被推荐人所在县（市、区）", queryset=None,
                                  empty_label="请选择")
    phone = forms.CharField(label="被推荐人联系电话", max_length=20, required=False,
                            help_text="选填，仅用于核实，不会公开")
    nominator_name = forms.CharField(label="推荐人姓名", max_length=50)
    nominator_phone = forms.CharField(label="推荐人电话", max_length=20,
                                      help_text="用于核实情况，不会公开")
    token = forms.CharField(widget=forms.HiddenInput)
    website = HoneypotField()

    field_order = ["area", "category", "name", "gender", "phone", "workplace", "summary",
                   "deeds", "photos", "nominator_name", "nominator_phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = nomination_areas().order_by("path")


class NoteForm(forms.Form):
    note = forms.CharField(label="意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(forms.Form):
    vote = forms.ChoiceField(label="表决", required=False, choices=Review.Vote.choices,
                             widget=forms.RadioSelect)
    score = forms.IntegerField(label="评分（0—100）", required=False, min_value=0,
                               max_value=100)
    comment = forms.CharField(label="意见", required=False, max_length=300)

    def __init__(self, *args, method, **kwargs):
        super().__init__(*args, **kwargs)
        if method == HonorRoll.ReviewMethod.VOTE:
            del self.fields["score"]
        else:
            del self.fields["vote"]


class NoticeForm(forms.Form):
    starts_on = forms.DateField(label="公示开始", widget=date_input())
    ends_on = forms.DateField(label="公示截止", widget=date_input())


class ObjectionForm(forms.Form):
    nomination = forms.ModelChoiceField(label="对哪位人选提出异议", queryset=None,
                                        empty_label="请选择")
    content = forms.CharField(label="异议内容", widget=forms.Textarea(attrs={"rows": 5}),
                              help_text="请写明事实和依据")
    contact_name = forms.CharField(label="联系人", max_length=50, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=20, required=False,
                                    help_text="选填，便于回复，不会公开")
    token = forms.CharField(widget=forms.HiddenInput)
    website = HoneypotField()

    def __init__(self, *args, roll, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nomination"].queryset = roll.nominations.filter(
            status=Nomination.Status.ON_NOTICE)
        self.fields["nomination"].label_from_instance = (
            lambda n: f"{n.name}（{n.get_category_display()}，{n.area.name}）")


class HandleObjectionForm(forms.Form):
    decision = forms.ChoiceField(label="处理结果", choices=[("dismissed", "异议不成立"),
                                                        ("upheld", "异议成立，取消人选")])
    resolution = forms.CharField(label="处理意见", widget=forms.Textarea(attrs={"rows": 2}))


class EntryForm(forms.Form):
    category = forms.ChoiceField(label="类别", choices=Category.choices)
    name = forms.CharField(label="姓名", max_length=50)
    workplace = forms.CharField(label="工作单位及身份", max_length=100)
    summary = forms.CharField(label="简要事迹", widget=forms.Textarea(attrs={"rows": 3}))


class HigherHonorForm(forms.Form):
    level = forms.ChoiceField(label="级别", choices=HigherHonor.Level.choices)
    title = forms.CharField(label="上级榜单", max_length=100,
                            help_text="如：2023年下半年“河南好人榜”")
    category = forms.ChoiceField(label="入选类别", choices=Category.choices)
    announced_on = forms.DateField(label="公布日期", widget=date_input())


class CorrectionForm(forms.Form):
    note = forms.CharField(label="更正说明", widget=forms.Textarea(attrs={"rows": 2}))
