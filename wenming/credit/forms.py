from django import forms
from django.utils import timezone

from wenming.accounts.models import Unit
from wenming.core.public_forms import HoneypotField
from wenming.credit.bases import notice_days
from wenming.credit.models import CreditList, Listing
from wenming.credit.screening import DEFAULT_MIN_SCORE

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
UPLOAD_TYPES = ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"


class NewListForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    color = forms.ChoiceField(label="类别", choices=CreditList.Color.choices)
    subject = forms.ChoiceField(label="对象", choices=CreditList.Subject.choices)
    title = forms.CharField(label="名称", max_length=100, required=False,
                            help_text="留空则为“××市2023年度诚信建设法人红名单”式的默认名称")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class UploadForm(forms.Form):
    department = forms.ModelChoiceField(label="认定部门", queryset=Unit.objects.none(),
                                        required=False)
    file = forms.FileField(label="报送表（.xlsx 或 .csv）",
                           widget=forms.ClearableFileInput(attrs={"accept": UPLOAD_TYPES}))

    def __init__(self, *args, choose_department=False, **kwargs):
        super().__init__(*args, **kwargs)
        if choose_department:
            self.fields["department"].queryset = Unit.objects.filter(
                kind__in=[Unit.Kind.DEPARTMENT, Unit.Kind.DISTRICT, Unit.Kind.COUNTY])
            self.fields["department"].required = True
        else:
            del self.fields["department"]


class NoticeForm(forms.Form):
    days = forms.IntegerField(label="公示期（天）", min_value=1, max_value=60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].initial = notice_days()


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.Form):
    comment = forms.CharField(label="意见", required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class ObjectionForm(forms.Form):
    objector = forms.CharField(label="异议人", max_length=100)
    contact = forms.CharField(label="联系电话", max_length=20, required=False)
    content = forms.CharField(label="异议内容", widget=forms.Textarea(attrs={"rows": 3}))
    received_on = forms.DateField(label="收到日期", widget=DATE)


class ResolveForm(forms.Form):
    upheld = forms.TypedChoiceField(label="处理结果", coerce=lambda v: v == "1",
                                    choices=[("0", "异议不成立，维持列入"),
                                             ("1", "异议成立，不予列入")],
                                    widget=forms.RadioSelect)
    resolution = forms.CharField(label="处理意见", widget=forms.Textarea(attrs={"rows": 2}))


class RestorationForm(forms.Form):
    applicant = forms.CharField(label="申请人", max_length=100,
                                help_text="申请修复的主体或其委托代理人")
    contact = forms.CharField(label="联系电话", max_length=20, required=False)
    reason = forms.CharField(label="申请理由及信用承诺", widget=forms.Textarea(attrs={"rows": 3}))
    evidence_note = forms.CharField(label="证明材料说明", required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}),
                                    help_text="如：已履行行政处罚决定、已完成整改并提交报告")
    evidence = forms.FileField(label="证明材料", required=False)
    applied_on = forms.DateField(label="申请日期", widget=DATE)


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(label="审核结果", coerce=lambda v: v == "1",
                                     choices=[("1", "准予修复，移出名单"), ("0", "不予修复")],
                                     widget=forms.RadioSelect)
    note = forms.CharField(label="审核意见", widget=forms.Textarea(attrs={"rows": 2}))


class ReportForm(forms.Form):
    purpose = forms.CharField(label="用途", max_length=100, required=False,
                              help_text="如：评先评优、招标投标")


class EntityForm(forms.Form):
    name = forms.CharField(label="名称", max_length=200)
    legal_representative = forms.CharField(label="法定代表人（负责人）", max_length=50,
                                           required=False)
    address = forms.CharField(label="地址", max_length=200, required=False)


class VerifyForm(forms.Form):
    number = forms.CharField(label="报告编号", max_length=30)
    code = forms.CharField(label="验证码", max_length=20)


class LookupForm(forms.Form):
    q = forms.CharField(label="名称或统一社会信用代码", max_length=100)


class ScreenForm(forms.Form):
    file = forms.FileField(label="待筛查名单（.xlsx 或 .csv，含“名称”列，可含“统一社会信用代码”列）",
                           widget=forms.ClearableFileInput(attrs={"accept": UPLOAD_TYPES}))
    min_score = forms.IntegerField(label="最低匹配分", min_value=50, max_value=100,
                                   initial=int(DEFAULT_MIN_SCORE))


class PublicObjectionForm(forms.Form):
    listing = forms.ModelChoiceField(label="对哪一主体提出异议", queryset=None,
                                     empty_label="请选择")
    objector = forms.CharField(label="姓名或单位名称", max_length=100)
    phone = forms.CharField(label="联系电话", max_length=20,
                            help_text="用于核实情况、答复结果，不会公开")
    content = forms.CharField(label="异议内容", widget=forms.Textarea(attrs={"rows": 5}),
                              help_text="请写明异议的事实和理由")
    token = forms.CharField(widget=forms.HiddenInput)
    website = HoneypotField()

    def __init__(self, *args, credit_list, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["listing"]
        field.queryset = credit_list.listings.filter(status=Listing.Status.ACTIVE).select_related(
            "entity").order_by("entity__name_key", "pk")
        field.label_from_instance = lambda li: (
            f"{li.entity.name}（{li.entity.public_identifier}）" if li.entity.public_identifier
            else li.entity.name)


class PublicRestorationForm(forms.Form):
    code = forms.CharField(label="统一社会信用代码", max_length=30)
    name = forms.CharField(label="主体名称", max_length=200,
                           help_text="与营业执照上的名称一致")
    contact_name = forms.CharField(label="联系人", max_length=50)
    phone = forms.CharField(label="联系电话", max_length=20)
    reason = forms.CharField(label="申请理由", widget=forms.Textarea(attrs={"rows": 4}),
                             help_text="如：已履行行政处罚决定、已完成整改，写明时间和文书")
    commitment = forms.CharField(label="信用承诺", widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text="承诺所填内容真实，今后依法诚信经营，如有不实愿承担相应责任")
    token = forms.CharField(widget=forms.HiddenInput)
    website = HoneypotField()
