"""Writing questionnaires: versions, variants, questions, and the state
machine of a version. Re-exported by services, where every change lives."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from wenming.accounts import roles
from wenming.audit.services import record, snapshot
from wenming.core import states
from wenming.core.errors import DomainError, require
from wenming.core.text import check_text
from wenming.surveys.models import (
    RATES,
    VARIANT_LETTERS,
    Question,
    Questionnaire,
    RespondentGroup,
    Variant,
)

# The questionnaire state machine: status → statuses it may move to.
TRANSITIONS = {
    Questionnaire.Status.DRAFT: {Questionnaire.Status.ACTIVE},
    Questionnaire.Status.ACTIVE: {Questionnaire.Status.CLOSED},
    Questionnaire.Status.CLOSED: {Questionnaire.Status.ACTIVE},
}
QUESTION_FIELDS = ["order", "kind", "text", "options", "scale_min", "scale_max", "hint",
                   "variants", "required", "rate", "positive_options", "positive_from"]


def _check_manager(actor):
    require(roles.can_manage(actor), "只有文明办管理员、编辑或督查员可以管理问卷。")


def _check_draft(questionnaire):
    # The caller's copy may be stale: read the status under a row lock.
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if questionnaire.is_frozen:
        raise DomainError(f"{questionnaire}已启用，题目不能再修改。如需调整，请生成新版本。")
    return questionnaire


# ---------------------------------------------------------------- questionnaires


@transaction.atomic
def create_questionnaire(actor, *, title, intro="", is_public=False):
    _check_manager(actor)
    title = check_text(title, "问卷名称", max_length=100, required=True).strip()
    if Questionnaire.objects.filter(title=title).exists():
        raise DomainError(f"已有名为“{title}”的问卷，请在原问卷上生成新版本。", field="title")
    questionnaire = Questionnaire.objects.create(
        title=title, intro=check_text(intro, "开头语", max_length=2000), is_public=is_public,
        created_by=actor)
    record(actor, "questionnaire.create", questionnaire,
           after=snapshot(questionnaire, ["title", "version", "is_public"]))
    return questionnaire


@transaction.atomic
def update_questionnaire(actor, questionnaire, *, intro=None, is_public=None):
    """The opening text may change only in a draft; the public link may be
    opened or shut at any time."""
    _check_manager(actor)
    before = snapshot(questionnaire, ["intro", "is_public"])
    if intro is not None and intro != questionnaire.intro:
        _check_draft(questionnaire)
        questionnaire.intro = check_text(intro, "开头语", max_length=2000)
    if is_public is not None:
        questionnaire.is_public = is_public
    questionnaire.save()
    record(actor, "questionnaire.update", questionnaire, before=before,
           after=snapshot(questionnaire, ["intro", "is_public"]))
    return questionnaire


@transaction.atomic
def set_variant(actor, questionnaire, letter, group):
    _check_manager(actor)
    _check_draft(questionnaire)
    if letter not in VARIANT_LETTERS:
        raise DomainError("卷别只能是A、B、C、D。", field="letter")
    if group not in RespondentGroup.values:
        raise DomainError("请选择受访群体。", field="group")
    clash = questionnaire.variants.filter(group=group).exclude(letter=letter).first()
    if clash:
        raise DomainError(f"{clash}已用于“{clash.get_group_display()}”，一个群体只用一种卷别。",
                          field="group")
    variant, _ = Variant.objects.update_or_create(questionnaire=questionnaire, letter=letter,
                                                  defaults={"group": group})
    record(actor, "questionnaire.set_variant", questionnaire,
           after={"letter": letter, "group": group})
    return variant


@transaction.atomic
def remove_variant(actor, variant):
    _check_manager(actor)
    _check_draft(variant.questionnaire)
    record(actor, "questionnaire.remove_variant", variant.questionnaire,
           before={"letter": variant.letter, "group": variant.group})
    variant.delete()


def _clean_question(fields):
    kind = fields.get("kind")
    if kind not in Question.Kind.values:
        raise DomainError("请选择题型。", field="kind")
    text = check_text(fields.get("text"), "题目", max_length=300, required=True).strip()
    options = []
    for n, option in enumerate(fields.get("options") or [], start=1):
        option = check_text(option, f"第{n}个选项", max_length=100).strip()
        if option:
            options.append(option)
    scale_min, scale_max = fields.get("scale_min", 1), fields.get("scale_max", 5)
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        if len(options) < 2:
            raise DomainError("单选题和多选题至少要有两个选项，每行一个。", field="options")
        if len(options) > 20:
            raise DomainError("选项不能超过20个。", field="options")
        dup = next((o for o in options if options.count(o) > 1), None)
        if dup:
            raise DomainError(f"选项“{dup}”重复。", field="options")
    else:
        options = []
    if kind == Question.Kind.SCALE:
        if scale_min is None or scale_max is None or not scale_min < scale_max:
            raise DomainError("量表的最小值应小于最大值。", field="scale_max")
        if scale_max - scale_min > 10:
            raise DomainError("量表最多11个分值（如0至10）。", field="scale_max")
    else:
        scale_min, scale_max = 1, 5
    letters = "".join(sorted(set((fields.get("variants") or "").upper().replace(",", "")
                                 .replace("，", "").replace(" ", ""))))
    if any(x not in VARIANT_LETTERS for x in letters):
        raise DomainError("适用卷别只能填写A、B、C、D，如“AB”；留空表示各卷通用。",
                          field="variants")
    rate = fields.get("rate") or ""
    if rate and rate not in RATES:
        raise DomainError("请选择计入的比率。", field="rate")
    positive_options, positive_from = [], None
    if rate == "" and (fields.get("positive_options") or fields.get("positive_from")):
        raise DomainError("没有选择计入的比率，不需要填写计入的答案。", field="rate")
    if rate and kind == Question.Kind.TEXT:
        raise DomainError("填空题不能计入比率，请改为选择题或量表。", field="rate")
    if rate and kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        positive_options = [o.strip() for o in fields.get("positive_options") or [] if o.strip()]
        if not positive_options:
            raise DomainError("请填写计入比率的选项（如“满意”“比较满意”），每行一个。",
                              field="positive_options")
        unknown = [o for o in positive_options if o not in options]
        if unknown:
            raise DomainError(f"计入的选项“{unknown[0]}”不在本题选项中。",
                              field="positive_options")
        positive_options = [o for o in options if o in positive_options]
    if rate and kind == Question.Kind.SCALE:
        positive_from = fields.get("positive_from")
        if positive_from is None or not scale_min <= positive_from <= scale_max:
            raise DomainError(f"请填写计入比率的最低分值（{scale_min}至{scale_max}）。",
                              field="positive_from")
    return {
        "kind": kind, "text": text, "options": options, "scale_min": scale_min,
        "scale_max": scale_max, "hint": check_text(fields.get("hint"), "说明", 200).strip(),
        "variants": letters, "required": bool(fields.get("required", True)), "rate": rate,
        "positive_options": positive_options, "positive_from": positive_from,
    }


@transaction.atomic
def add_question(actor, questionnaire, **fields):
    _check_manager(actor)
    _check_draft(questionnaire)
    order = (questionnaire.questions.aggregate(n=Max("order"))["n"] or 0) + 1
    question = Question.objects.create(questionnaire=questionnaire, order=order,
                                       **_clean_question(fields))
    record(actor, "questionnaire.add_question", questionnaire,
           after=snapshot(question, QUESTION_FIELDS))
    return question


@transaction.atomic
def update_question(actor, question, **fields):
    _check_manager(actor)
    _check_draft(question.questionnaire)
    before = snapshot(question, QUESTION_FIELDS)
    for name, value in _clean_question(fields).items():
        setattr(question, name, value)
    question.save()
    record(actor, "questionnaire.update_question", question.questionnaire, before=before,
           after=snapshot(question, QUESTION_FIELDS))
    return question


@transaction.atomic
def remove_question(actor, question):
    _check_manager(actor)
    _check_draft(question.questionnaire)
    record(actor, "questionnaire.remove_question", question.questionnaire,
           before=snapshot(question, QUESTION_FIELDS))
    question.delete()


@transaction.atomic
def move_question(actor, question, direction):
    _check_manager(actor)
    _check_draft(question.questionnaire)
    items = list(question.questionnaire.questions.order_by("order", "id"))
    i = items.index(question)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(items):
        items[i], items[j] = items[j], items[i]
    for n, item in enumerate(items, start=1):
        if item.order != n:
            item.order = n
            item.save(update_fields=["order"])
    record(actor, "questionnaire.move_question", question.questionnaire,
           after={"question": question.pk, "direction": direction})


def missing_for_activation(questionnaire):
    """What keeps a draft from being used, in the user's words."""
    problems = []
    variants = {v.letter: v for v in questionnaire.variants.all()}
    questions = list(questionnaire.questions.all())
    if not variants:
        problems.append("还没有设置卷别（受访群体）")
    if not questions:
        problems.append("还没有题目")
    for n, q in enumerate(questions, start=1):
        missing = [x for x in q.variants if x not in variants]
        if missing:
            problems.append(f"第{n}题适用{'、'.join(missing)}卷，但问卷没有该卷别")
    for letter, variant in variants.items():
        if not any(q.applies_to(letter) for q in questions):
            problems.append(f"{variant}没有题目")
    return problems


@transaction.atomic
def activate_questionnaire(actor, questionnaire):
    """Start using a version; the version of the same title in use before
    it is closed, so visitors always get the newest."""
    _check_manager(actor)
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    problems = missing_for_activation(questionnaire)
    if problems:
        raise DomainError(f"{questionnaire}还不能启用：" + "；".join(problems) + "。")
    before = states.move(questionnaire, TRANSITIONS, Questionnaire.Status.ACTIVE)
    questionnaire.activated_at = questionnaire.activated_at or timezone.now()
    questionnaire.save()
    for older in Questionnaire.objects.filter(title=questionnaire.title, status=Questionnaire.Status.ACTIVE) \
            .exclude(pk=questionnaire.pk):
        older.status = Questionnaire.Status.CLOSED
        older.save(update_fields=["status"])
        record(actor, "questionnaire.close", older, before={"status": Questionnaire.Status.ACTIVE},
               after={"status": Questionnaire.Status.CLOSED, "superseded_by": questionnaire.pk})
    record(actor, "questionnaire.activate", questionnaire, before={"status": before},
           after={"status": questionnaire.status})
    return questionnaire


@transaction.atomic
def close_questionnaire(actor, questionnaire):
    _check_manager(actor)
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    before = states.move(questionnaire, TRANSITIONS, Questionnaire.Status.CLOSED)
    questionnaire.save()
    record(actor, "questionnaire.close", questionnaire, before={"status": before},
           after={"status": questionnaire.status})
    return questionnaire


@transaction.atomic
def new_version(actor, questionnaire):
    """A draft copy with the next version number; the old version and its
    responses stay as they were."""
    _check_manager(actor)
    if Questionnaire.objects.filter(title=questionnaire.title, status=Questionnaire.Status.DRAFT).exists():
        raise DomainError(f"《{questionnaire.title}》已有未启用的草稿版本，请先完成它。")
    last = Questionnaire.objects.filter(title=questionnaire.title).aggregate(
        n=Max("version"))["n"]
    copy = Questionnaire.objects.create(
        title=questionnaire.title, version=last + 1, previous=questionnaire,
        intro=questionnaire.intro, is_public=questionnaire.is_public, created_by=actor)
    for v in questionnaire.variants.all():
        Variant.objects.create(questionnaire=copy, letter=v.letter, group=v.group)
    for q in questionnaire.questions.all():
        Question.objects.create(questionnaire=copy, **{f: getattr(q, f) for f in QUESTION_FIELDS})
    record(actor, "questionnaire.new_version", copy,
           after={"previous": questionnaire.pk, "version": copy.version})
    return copy
