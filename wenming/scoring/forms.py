from django import forms

from wenming.core.periods import KINDS
from wenming.core.web import sane_day
from wenming.scoring.models import ScoringRule


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label="周期", choices=[(k, v) for k, v in KINDS.items()])
    day = forms.DateField(label="周期内任一日", validators=[sane_day],
                          widget=forms.DateInput(attrs={"type": "date"}))


class BulletinForm(forms.Form):
    kind = forms.ChoiceField(label="通报类型", choices=[("week", "周通报"), ("month", "月通报")])
    day = forms.DateField(label="周期内任一日", validators=[sane_day],
                          widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label="标题（可不填）", max_length=200, required=False)


class RuleForm(forms.ModelForm):
    class Meta:
        model = ScoringRule
        fields = ["effective_from", *ScoringRule.RULE_FIELDS, "note"]
        widgets = {"effective_from": forms.DateInput(attrs={"type": "date"}),
                   "note": forms.Textarea(attrs={"rows": 2})}


class CorrectionForm(forms.Form):
    # The service checks the text (required, length), so its message names 更正说明.
    reason = forms.CharField(label="更正说明", required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))


class KioskForm(forms.Form):
    # The service checks the text (required, length).
    name = forms.CharField(label="名称", required=False, help_text="如：指挥部大厅大屏")
