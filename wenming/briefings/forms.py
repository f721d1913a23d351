from django import forms

from wenming.accounts.models import Unit
from wenming.briefings.models import Article, Column, Issue, Series
from wenming.core.web import sane_day


class NewIssueForm(forms.Form):
    series = forms.ModelChoiceField(label="系列", queryset=Series.objects.all())
    date = forms.DateField(label="印发日期", widget=forms.DateInput(attrs={"type": "date"}))
    number = forms.IntegerField(label="期号", min_value=1, max_value=10_000, required=False,
                                help_text="留空则自动取本年度下一期")
    is_supplement = forms.BooleanField(label="增刊", required=False)


class IssueForm(forms.ModelForm):
    class Meta:
        model = Issue
        fields = ["date", "number", "serial", "marking", "note", "report_to", "copy_to",
                  "issue_to", "print_run"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 3}),
        }


class ColumnForm(forms.ModelForm):
    class Meta:
        model = Column
        fields = ["name", "lead_in"]


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ["column", "title", "body", "captions", "source_unit", "author"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12}),
                   "captions": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, issue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].queryset = issue.columns.all()
        self.fields["source_unit"].queryset = Unit.objects.all()
        # Length and control characters are checked by the service, which
        # names the field in its message; the form must not cut them first.
        self.fields["body"].max_length = None


class SubmissionForm(forms.Form):
    series = forms.ModelChoiceField(label="报送到", queryset=Series.objects.all(), empty_label=None)
    title = forms.CharField(label="标题", max_length=200)
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 12}),
                           help_text="每段一行")
    author = forms.CharField(label="作者", max_length=100, required=False)


class AdoptForm(forms.Form):
    column = forms.ModelChoiceField(label="采用到", queryset=Column.objects.none())

    def __init__(self, *args, submission, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].queryset = Column.objects.filter(
            issue__series=submission.series,
            issue__status__in=[Issue.Status.DRAFT],
        ).select_related("issue", "issue__series").order_by("-issue__year", "-issue__number",
                                                            "order")
        self.fields["column"].label_from_instance = lambda c: f"{c.issue.year}年{c.issue.number_text}·{c.name}"


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}))


class CorrectionForm(forms.Form):
    note = forms.CharField(label="更正说明", widget=forms.Textarea(attrs={"rows": 3}))


def draft_columns():
    return Column.objects.filter(issue__status=Issue.Status.DRAFT).select_related(
        "issue", "issue__series").order_by("-issue__year", "-issue__number", "order")


class PlaceForm(forms.Form):
    """The one column picker for placing a generated draft: any column of
    any draft issue, or only those of `issue`."""

    column = forms.ModelChoiceField(label="编入栏目", queryset=Column.objects.none())

    def __init__(self, *args, issue=None, **kwargs):
        super().__init__(*args, **kwargs)
        columns = draft_columns()
        if issue is not None:
            columns = columns.filter(issue=issue)
        self.fields["column"].queryset = columns
        self.fields["column"].label_from_instance = (
            lambda c: f"《{c.issue.series.title}》{c.issue.year}年{c.issue.number_text}·{c.name}")


class DraftPeriodForm(forms.Form):
    start = forms.DateField(label="起始日期", validators=[sane_day],
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label="截止日期", validators=[sane_day],
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "截止日期不能早于起始日期。")
        return data
