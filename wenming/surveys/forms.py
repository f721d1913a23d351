import uuid

from django import forms
from django.utils import timezone

from wenming.accounts.models import Unit, User
from wenming.core.errors import DomainError
from wenming.core.periods import Period, recent
from wenming.surveys.models import (
    VARIANT_LETTERS,
    Question,
    Questionnaire,
    Rate,
    RespondentGroup,
)
from wenming.surveys.stats import DIMENSIONS


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def area_label(unit, names):
    """××区·××街道·××社区: the unit with its ancestors below the city."""
    ids = [int(i) for i in unit.path.strip("/").split("/") if i]
    parts = [names[i] for i in ids[1:] if i in names] or [unit.name]
    return "·".join(parts)


class AreaChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._names = None

    def label_from_instance(self, obj):
        if self._names is None:
            self._names = dict(Unit.objects.filter(kind__in=Unit.AREA_KINDS)
                               .values_list("pk", "name"))
        return area_label(obj, self._names)


class QuestionnaireForm(forms.Form):
    title = forms.CharField(label="问卷名称", max_length=100)
    intro = forms.CharField(label="开头语", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text="向受访者说明调查目的，每段一行")
    is_public = forms.BooleanField(label="开放网络填报", required=False)


class QuestionnaireSettingsForm(forms.Form):
    intro = forms.CharField(label="开头语", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    is_public = forms.BooleanField(label="开放网络填报", required=False)


class VariantForm(forms.Form):
    letter = forms.ChoiceField(label="卷别", choices=[(x, f"{x}卷") for x in VARIANT_LETTERS])
    group = forms.ChoiceField(label="受访群体", choices=RespondentGroup.choices)


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label="题型", choices=Question.Kind.choices)
    text = forms.CharField(label="题目", max_length=300)
    options = forms.CharField(label="选项", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text="单选、多选题填写，每行一个")
    scale_min = forms.IntegerField(label="量表最小值", initial=1, required=False,
                                   min_value=-100, max_value=100)
    scale_max = forms.IntegerField(label="量表最大值", initial=5, required=False,
                                   min_value=-100, max_value=100)
    hint = forms.CharField(label="说明", max_length=200, required=False,
                           help_text="如：1 表示很不满意，5 表示很满意")
    variants = forms.CharField(label="适用卷别", max_length=10, required=False,
                               help_text="如 AB；留空表示各卷通用")
    required = forms.BooleanField(label="必答", required=False, initial=True)
    rate = forms.ChoiceField(label="计入比率", required=False,
                             choices=[("", "不计入"), *Rate.choices])
    positive_options = forms.CharField(
        label="计入的选项", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="选择题：选了其中任一项即计入，每行一个，须与选项一致")
    positive_from = forms.IntegerField(label="计入的最低分值", required=False,
                                       min_value=-100, max_value=100,
                                       help_text="量表题：达到该分值及以上即计入")

    @classmethod
    def for_question(cls, question, **kwargs):
        return cls(initial={
            "kind": question.kind, "text": question.text, "options": "\n".join(question.options),
            "scale_min": question.scale_min, "scale_max": question.scale_max,
            "hint": question.hint, "variants": question.variants, "required": question.required,
            "rate": question.rate, "positive_options": "\n".join(question.positive_options),
            "positive_from": question.positive_from}, **kwargs)

    def service_fields(self):
        d = self.cleaned_data
        return {
            "kind": d["kind"], "text": d["text"], "options": _lines(d["options"]),
            "scale_min": d["scale_min"] if d["scale_min"] is not None else 1,
            "scale_max": d["scale_max"] if d["scale_max"] is not None else 5,
            "hint": d["hint"], "variants": d["variants"], "required": d["required"],
            "rate": d["rate"], "positive_options": _lines(d["positive_options"]),
            "positive_from": d["positive_from"],
        }


def add_answer_fields(form, questions):
    """One field per question, named q<id>, numbered as the respondent sees them."""
    for n, q in enumerate(questions, start=1):
        label = f"{n}. {q.text}"
        common = {"label": label, "required": q.required, "help_text": q.hint}
        if q.kind == Question.Kind.SINGLE:
            field = forms.ChoiceField(choices=[(o, o) for o in q.options],
                                      widget=forms.RadioSelect, **common)
        elif q.kind == Question.Kind.MULTIPLE:
            field = forms.MultipleChoiceField(choices=[(o, o) for o in q.options],
                                              widget=forms.CheckboxSelectMultiple, **common)
        elif q.kind == Question.Kind.SCALE:
            field = forms.ChoiceField(choices=[(str(v), str(v)) for v in q.scale_values],
                                      widget=forms.RadioSelect(attrs={"class": "scale"}),
                                      **common)
        else:
            field = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=1000,
                                    **common)
        field.question = q
        form.fields[q.field_name] = field


def answer_data(form, questions):
    return {q.field_name: form.cleaned_data.get(q.field_name) for q in questions}


class VisitForm(forms.Form):
    client_id = forms.UUIDField(widget=forms.HiddenInput)
    area = AreaChoiceField(label="所在社区（村）", queryset=Unit.objects.none())
    address = forms.CharField(label="门牌地址", max_length=200, required=False,
                              widget=forms.TextInput(attrs={"list": "households"}))
    visited_on = forms.DateField(label="走访日期",
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    issues = forms.CharField(label="群众反映的问题", required=False,
                             widget=forms.Textarea(attrs={"rows": 3}), help_text="每行一条，可留空")
    note = forms.CharField(label="走访记录", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, areas, questions, **kwargs):
        kwargs.setdefault("initial", {})
        # The id is made here, before the form is sent, so that a resend of
        # the same form is recognised as the same visit.
        kwargs["initial"].setdefault("client_id", uuid.uuid4())
        kwargs["initial"].setdefault("visited_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.questions = questions
        add_answer_fields(self, questions)

    def answer_fields(self):
        return [self[q.field_name] for q in self.questions]

    def visit_fields(self):
        return [self[n] for n in ("area", "address", "visited_on")]


class PublicSurveyForm(forms.Form):
    district = forms.ModelChoiceField(label="您所在的县（市、区）", queryset=Unit.objects.none(),
                                      empty_label="请选择")
    street = forms.ModelChoiceField(label="街道（乡镇）", queryset=Unit.objects.none(),
                                    required=False, empty_label="不清楚或不愿填写")

    def __init__(self, *args, districts, streets, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        self.fields["street"].queryset = streets
        self.fields["street"].label_from_instance = lambda u: f"{u.parent.name}·{u.name}"
        self.questions = questions
        add_answer_fields(self, questions)

    def answer_fields(self):
        return [self[q.field_name] for q in self.questions]


class AssignmentForm(forms.Form):
    questionnaire = forms.ModelChoiceField(label="问卷", queryset=Questionnaire.objects.filter(
        status=Questionnaire.Status.ACTIVE), empty_label=None)
    area = AreaChoiceField(label="走访区域", queryset=Unit.objects.none())
    assignee = forms.ModelChoiceField(label="走访人员", queryset=User.objects.none())
    households = forms.CharField(label="走访户", required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text="每行一户，可留空（按区域走访）")
    target = forms.IntegerField(label="计划走访户数", min_value=0, max_value=1_000_000,
                                required=False,
                                help_text="留空则按走访户行数计")
    due_date = forms.DateField(label="完成期限", required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, areas, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["assignee"].queryset = users
        self.fields["assignee"].label_from_instance = (
            lambda u: f"{u}（{u.unit.name}）" if u.unit_id else str(u))


class PopulationForm(forms.Form):
    district = forms.ModelChoiceField(label="县区", queryset=Unit.objects.none())
    population = forms.IntegerField(label="常住人口", min_value=1, max_value=2_000_000_000)
    year = forms.IntegerField(label="统计年度", min_value=2000, max_value=2100)
    source = forms.CharField(label="数据来源", max_length=100, required=False,
                             help_text="如：2023年统计公报")

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts


CHANNELS = [("", "合并（入户+网络）"), ("visit", "仅入户走访"), ("online", "仅网络问卷")]


def period_choices(until, chosen=None):
    """Recent periods to pick from, plus the chosen one if it is older."""
    groups = {
        "quarter": ("季度", [(p.key, p.label) for p in recent("quarter", until, 8)]),
        "month": ("月度", [(p.key, p.label) for p in recent("month", until, 12)]),
        "year": ("年度", [(p.key, p.label) for p in recent("year", until, 3)]),
    }
    if chosen is not None and chosen.key not in dict(groups[chosen.kind][1]):
        groups[chosen.kind][1].append((chosen.key, chosen.label))
    return list(groups.values())


class StatsForm(forms.Form):
    period = forms.ChoiceField(label="统计周期")
    by = forms.ChoiceField(label="分组", choices=list(DIMENSIONS.items()), required=False)
    channel = forms.ChoiceField(label="渠道", choices=CHANNELS, required=False)
    district = forms.ModelChoiceField(label="县区", queryset=Unit.objects.none(), required=False,
                                      empty_label="全部县区")
    title = forms.ChoiceField(label="问卷", required=False)
    weighted = forms.BooleanField(label="按常住人口加权", required=False)

    def __init__(self, *args, until, districts, titles, **kwargs):
        super().__init__(*args, **kwargs)
        try:
            chosen = Period.parse(self.data.get("period")) if self.data.get("period") else None
        except DomainError:
            chosen = None
        self.fields["period"].choices = period_choices(until, chosen)
        self.fields["district"].queryset = districts
        self.fields["title"].choices = [("", "全部问卷"), *[(t, t) for t in titles]]
