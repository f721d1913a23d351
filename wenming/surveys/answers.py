"""Reading a respondent's answers: checking them against the questions and
working out which of the four rates they count towards."""

from wenming.core.errors import DomainError
from wenming.core.text import check_text
from wenming.surveys.models import RATES, Question


def clean_answers(questions, raw):
    """`raw` maps question field names ("q12") to what was sent: a string,
    a list of strings (multiple choice) or a number. Returns {str(pk): value}
    for the answered questions; refuses unknown options, out-of-range scale
    values and missing required answers, naming the question."""
    cleaned = {}
    for n, q in enumerate(questions, start=1):
        value = raw.get(q.field_name)
        label = f"第{n}题"
        if isinstance(value, str):
            value = value.strip()
        if value in (None, "", []):
            if q.required:
                raise DomainError(f"{label}“{q.text}”还没有回答。", field=q.field_name)
            continue
        if q.kind == Question.Kind.SINGLE:
            if value not in q.options:
                raise DomainError(f"{label}的选项“{value}”不在题目选项中。", field=q.field_name)
        elif q.kind == Question.Kind.MULTIPLE:
            value = [value] if isinstance(value, str) else list(value)
            unknown = [v for v in value if v not in q.options]
            if unknown:
                raise DomainError(f"{label}的选项“{unknown[0]}”不在题目选项中。",
                                  field=q.field_name)
            value = [o for o in q.options if o in value]
        elif q.kind == Question.Kind.SCALE:
            try:
                value = int(value)
            except (TypeError, ValueError):
                raise DomainError(f"{label}应填写{q.scale_min}至{q.scale_max}的整数。",
                                  field=q.field_name) from None
            if not q.scale_min <= value <= q.scale_max:
                raise DomainError(f"{label}应填写{q.scale_min}至{q.scale_max}的整数。",
                                  field=q.field_name)
        else:
            value = check_text(str(value), label, max_length=1000)
        cleaned[str(q.pk)] = value
    return cleaned


def counts(question, value):
    """Whether one answer counts towards the question's rate."""
    if question.kind == Question.Kind.SINGLE:
        return value in question.positive_options
    if question.kind == Question.Kind.MULTIPLE:
        return any(v in question.positive_options for v in value)
    if question.kind == Question.Kind.SCALE:
        return value >= question.positive_from
    return False


def rate_flags(questions, answers):
    """{rate: True/False/None} for one response. Where several questions
    measure one rate, the respondent counts only if every answered one
    counts, so each rate stays a plain share of respondents. A rate with
    no answered question is None and leaves the denominator."""
    flags = dict.fromkeys(RATES)
    for q in questions:
        if not q.rate or str(q.pk) not in answers:
            continue
        ok = counts(q, answers[str(q.pk)])
        flags[q.rate] = ok if flags[q.rate] is None else flags[q.rate] and ok
    return flags


def answer_text(question, value):
    if value is None:
        return "（未答）"
    if question.kind == Question.Kind.MULTIPLE:
        return "、".join(value)
    if question.kind == Question.Kind.SCALE:
        return f"{value}分"
    return str(value)
