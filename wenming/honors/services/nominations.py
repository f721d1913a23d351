"""Honor rolls: the rolls themselves, nominations (staff and public), verification and the panel review."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wenming.accounts import roles
from wenming.accounts.scoping import can_see_unit
from wenming.audit.services import record, snapshot
from wenming.core.errors import DomainError, require
from wenming.core.idcard import check_no_private_numbers, require_id_number, require_phone
from wenming.core.photos import prepare_all, store_all
from wenming.core.public_forms import check_form_token, check_rate
from wenming.core.text import check_text, chinese_date
from wenming.honors.models import (
    Category,
    HonorRoll,
    Nomination,
    NominationPhoto,
    Review,
    default_roll_issuer,
    default_roll_title,
)
from wenming.honors.services.base import (
    NOMINATION_FIELDS,
    ROLL_FIELDS,
    _check_not_frozen,
    _check_office,
    _move,
    _reject,
    area_of,
    is_area_office,
    nomination_areas,
)

# Rolls

def _clean_roll(fields):
    for name, label, limit in [("title", "榜单名称", 50), ("issuer", "发布单位", 50)]:
        if name in fields:
            fields[name] = check_text(fields[name], label, max_length=limit,
                                      required=True).strip()
    if "pass_score" in fields and not 0 < fields["pass_score"] <= 100:
        raise DomainError("“通过分数”应在1到100之间。", field="pass_score")
    return fields


@transaction.atomic
def create_roll(actor, *, year, period, title=None, issuer=None,
                nominations_close_on=None, review_method=HonorRoll.ReviewMethod.VOTE,
                pass_score=80, panel=()):
    _check_office(actor, "创建好人榜")
    fields = _clean_roll({"title": default_roll_title() if title is None else title,
                          "issuer": default_roll_issuer() if issuer is None else issuer,
                          "pass_score": pass_score})
    if HonorRoll.objects.filter(title=fields["title"], year=year, period=period,
                                correction_of__isnull=True).exists():
        period_text = HonorRoll(year=year, period=period).period_text
        raise DomainError(f"{period_text}“{fields['title']}”已存在。", field="period")
    roll = HonorRoll.objects.create(year=year, period=period, review_method=review_method,
                                    nominations_close_on=nominations_close_on, created_by=actor,
                                    **fields)
    roll.panel.set(panel)
    record(actor, "roll.create", roll, after={**snapshot(roll, ROLL_FIELDS),
                                              "panel": [u.pk for u in panel]})
    return roll


def _review_started(roll):
    return Review.objects.filter(nomination__roll=roll).exists()


@transaction.atomic
def update_roll(actor, roll, *, panel=None, **fields):
    """Settings of a roll under way. The review method and the panel stay
    as they are once members started scoring."""
    _check_office(actor, "修改好人榜")
    roll = HonorRoll.objects.select_for_update().get(pk=roll.pk)
    _check_not_frozen(roll)
    before = {**snapshot(roll, ROLL_FIELDS), "panel": sorted(roll.panel.values_list("pk",
                                                                                   flat=True))}
    fields = _clean_roll(fields)
    started = _review_started(roll)
    if started and fields.get("review_method", roll.review_method) != roll.review_method:
        raise DomainError("评议已经开始，不能更改评议方式。", field="review_method")
    if started and panel is not None and set(panel) != set(roll.panel.all()):
        past = roll.nominations.filter(status__in=[Nomination.Status.SHORTLISTED, Nomination.Status.ON_NOTICE]).exists()
        if past:
            raise DomainError("评议已经结束，不能再调整评议组成员。", field="panel")
    for name, value in fields.items():
        setattr(roll, name, value)
    roll.save()
    if panel is not None:
        roll.panel.set(panel)
    record(actor, "roll.update", roll, before=before,
           after={**snapshot(roll, ROLL_FIELDS), "panel": sorted(u.pk for u in roll.panel.all())})
    return roll


def _check_accepting(roll, today=None):
    today = today or date.today()
    _check_not_frozen(roll)
    if roll.correction_of_id:
        raise DomainError("更正版本不接受推荐。")
    if roll.notice_starts_on:
        raise DomainError(f"{roll}已进入公示，不再接受推荐。")
    if roll.nominations_close_on and today > roll.nominations_close_on:
        raise DomainError(f"{roll}推荐已于{chinese_date(roll.nominations_close_on)}截止。")


# Nomination

def _clean_person(fields):
    fields["name"] = check_text(fields["name"], "姓名", max_length=50, required=True).strip()
    fields["workplace"] = check_text(fields["workplace"], "工作单位及身份", max_length=100,
                                     required=True).strip()
    fields["summary"] = check_text(fields["summary"], "简要事迹", max_length=300,
                                   required=True).strip()
    fields["deeds"] = check_text(fields["deeds"], "事迹材料", max_length=20000,
                                 required=True).strip()
    for name, label in [("name", "姓名"), ("workplace", "工作单位及身份"), ("summary", "简要事迹")]:
        check_no_private_numbers(fields[name], label, field=name)
    fields["id_number"] = require_id_number(fields.get("id_number"))
    fields["phone"] = require_phone(fields.get("phone"))
    if fields.get("category") not in Category.values:
        raise DomainError("请选择推荐类别。", field="category")
    if fields.get("gender") not in ("", *Nomination.Gender.values):
        raise DomainError("性别不正确。", field="gender")
    if "\n" in fields["summary"]:
        fields["summary"] = "".join(fields["summary"].split("\n"))
    return fields


def _check_duplicate(roll, fields):
    same = roll.nominations.exclude(status=Nomination.Status.REJECTED)
    if fields["id_number"] and same.filter(id_number=fields["id_number"]).exists():
        raise DomainError(f"{fields['name']}已被推荐到{roll}，不能重复推荐。", field="name")
    if same.filter(name=fields["name"], workplace=fields["workplace"]).exists():
        raise DomainError(f"{fields['workplace']}的{fields['name']}已被推荐到{roll}，"
                          "不能重复推荐。", field="name")


def _add_photos(nomination, uploads):
    store_all(prepare_all(uploads, "照片"), lambda photo, order: NominationPhoto(
        nomination=nomination, width=photo.width, height=photo.height, order=order))


@transaction.atomic
def nominate(actor, roll, *, category, name, workplace, summary, deeds, unit=None, gender="",
             id_number="", phone="", photos=()):
    """A unit's nomination, made by its liaison (or by the office for the city)."""
    unit = unit or actor.unit
    require(unit is not None and (roles.is_office_editor(actor) or (
        actor.has_role(roles.LIAISON) and can_see_unit(actor, unit))),
        "只能以本单位名义推荐。")
    roll = HonorRoll.objects.select_for_update().get(pk=roll.pk)
    _check_accepting(roll)
    fields = _clean_person({"category": category, "name": name, "workplace": workplace,
                            "summary": summary, "deeds": deeds, "gender": gender,
                            "id_number": id_number, "phone": phone})
    _check_duplicate(roll, fields)
    nomination = Nomination.objects.create(
        roll=roll, unit=unit, area=area_of(unit), source=Nomination.Source.UNIT,
        submitted_by=actor, nominator_name=str(actor), **fields)
    _add_photos(nomination, photos)
    record(actor, "nomination.create", nomination,
           after=snapshot(nomination, NOMINATION_FIELDS))
    return nomination


@transaction.atomic
def nominate_public(roll, *, area, category, name, workplace, summary, deeds, nominator_name,
                    nominator_phone, token, ip=None, gender="", id_number="", phone="",
                    photos=()):
    """A nomination from the public form: no account, so a valid form token
    and the hourly limit per address stand in for one."""
    check_form_token(token, f"nominate:{roll.pk}")
    check_rate(Nomination.objects.all(), ip,
               settings.WENMING_PUBLIC_NOMINATIONS_PER_HOUR)
    roll = HonorRoll.objects.select_for_update().get(pk=roll.pk)
    _check_accepting(roll)
    if not nomination_areas().filter(pk=area.pk).exists():
        raise DomainError("请选择被推荐人所在的县（市、区）。", field="area")
    fields = _clean_person({"category": category, "name": name, "workplace": workplace,
                            "summary": summary, "deeds": deeds, "gender": gender,
                            "id_number": id_number, "phone": phone})
    nominator_name = check_text(nominator_name, "推荐人姓名", max_length=50,
                                required=True).strip()
    nominator_phone = require_phone(nominator_phone, "推荐人电话", field="nominator_phone")
    if not nominator_phone:
        raise DomainError("请填写推荐人电话，以便核实情况。", field="nominator_phone")
    _check_duplicate(roll, fields)
    nomination = Nomination.objects.create(
        roll=roll, unit=area, area=area, source=Nomination.Source.PUBLIC,
        nominator_name=nominator_name, nominator_phone=nominator_phone, submitter_ip=ip,
        **fields)
    _add_photos(nomination, photos)
    record(None, "nomination.create_public", nomination,
           after=snapshot(nomination, NOMINATION_FIELDS), ip=ip)
    return nomination


# Step 1: verification by the nominating area's office

def _check_area_office(actor, nomination):
    require(is_area_office(actor, nomination.area),
            f"只有{nomination.area.name}文明办可以核实该推荐。")


@transaction.atomic
def verify_nomination(actor, nomination, note=""):
    nomination = Nomination.objects.select_for_update().select_related("roll", "area").get(
        pk=nomination.pk)
    _check_area_office(actor, nomination)
    _check_not_frozen(nomination.roll)
    before = _move(nomination, Nomination.Status.VERIFIED)
    nomination.verification_note = check_text(note, "核实意见", max_length=2000)
    nomination.verified_by, nomination.verified_at = actor, timezone.now()
    nomination.save()
    record(actor, "nomination.verify", nomination, before={"status": before},
           after={"status": nomination.status, "note": nomination.verification_note})
    return nomination


@transaction.atomic
def reject_nomination(actor, nomination, reason):
    """The area's office finds the deeds not borne out."""
    nomination = Nomination.objects.select_for_update().select_related("roll", "area").get(
        pk=nomination.pk)
    _check_area_office(actor, nomination)
    _check_not_frozen(nomination.roll)
    if nomination.status != Nomination.Status.SUBMITTED:
        raise DomainError(f"{nomination.name}的推荐已{nomination.get_status_display()}，"
                          "核实环节不能再退回。")
    reason = check_text(reason, "不予推荐理由", max_length=2000, required=True).strip()
    before = nomination.status
    _reject(nomination, reason)
    nomination.verified_by, nomination.verified_at = actor, timezone.now()
    nomination.save()
    record(actor, "nomination.reject", nomination, before={"status": before},
           after={"status": nomination.status, "reason": reason})
    return nomination


# Step 2: review by the panel

@transaction.atomic
def record_review(actor, nomination, *, vote="", score=None, comment=""):
    """A panel member's vote or score; it can be changed until the review
    is concluded."""
    nomination = Nomination.objects.select_for_update().select_related("roll").get(
        pk=nomination.pk)
    roll = nomination.roll
    require(roll.panel.filter(pk=actor.pk).exists(), "只有评议组成员可以评议。")
    _check_not_frozen(roll)
    if nomination.status != Nomination.Status.VERIFIED:
        raise DomainError(f"{nomination.name}的推荐当前为“{nomination.get_status_display()}”，"
                          "不在评议环节。")
    if roll.review_method == HonorRoll.ReviewMethod.VOTE:
        if vote not in Review.Vote.values:
            raise DomainError("请选择同意、不同意或弃权。", field="vote")
        score = None
    else:
        if score is None or not 0 <= score <= 100:
            raise DomainError("评分应为0到100之间的整数。", field="score")
        vote = ""
    comment = check_text(comment, "意见", max_length=300).strip()
    review, created = Review.objects.update_or_create(
        nomination=nomination, member=actor,
        defaults={"vote": vote, "score": score, "comment": comment})
    record(actor, "nomination.review", nomination,
           after={"member": actor.pk, "vote": vote, "score": score, "comment": comment})
    return review


def review_result(roll, nomination, reviews):
    """(passed, summary) from the members' reviews."""
    if roll.review_method == HonorRoll.ReviewMethod.VOTE:
        counts = {v: sum(1 for r in reviews if r.vote == v) for v in Review.Vote.values}
        passed = counts["agree"] * 2 > len(reviews)
        return passed, (f"同意{counts['agree']}票、不同意{counts['disagree']}票、"
                        f"弃权{counts['abstain']}票")
    mean = Decimal(sum(r.score for r in reviews)) / len(reviews)
    mean = mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return mean >= roll.pass_score, f"平均{mean}分（{len(reviews)}人评分）"


@transaction.atomic
def conclude_review(actor, roll):
    """Close the panel's review: a majority of the members' votes (or an
    average score at the roll's pass mark) shortlists a person."""
    _check_office(actor, "结束评议")
    roll = HonorRoll.objects.select_for_update().get(pk=roll.pk)
    _check_not_frozen(roll)
    if roll.notice_starts_on:
        raise DomainError(f"{roll}已于{roll.notice_text}公示，评议已经结束。")
    members = list(roll.panel.all())
    if not members:
        raise DomainError("请先设置评议组成员。")
    pending = list(roll.nominations.filter(status=Nomination.Status.VERIFIED).prefetch_related("reviews"))
    if not pending:
        raise DomainError("没有待评议的推荐。")
    missing = []
    for nomination in pending:
        done = {r.member_id for r in nomination.reviews.all()}
        absent = [str(m) for m in members if m.pk not in done]
        if absent:
            missing.append(f"{nomination.name}（缺{'、'.join(absent)}）")
    if missing:
        raise DomainError("评议尚未完成：" + "；".join(missing) + "。")
    results = {}
    member_ids = {m.pk for m in members}
    for nomination in pending:
        reviews = [r for r in nomination.reviews.all() if r.member_id in member_ids]
        passed, summary = review_result(roll, nomination, reviews)
        nomination.review_summary = summary
        if passed:
            _move(nomination, Nomination.Status.SHORTLISTED)
        else:
            _reject(nomination, f"评议未通过（{summary}）")
        nomination.save()
        results[nomination.pk] = {"passed": passed, "summary": summary}
    record(actor, "roll.conclude_review", roll, after={"results": results})
    return roll


