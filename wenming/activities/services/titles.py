"""Civilized-unit titles (文明称号): award, update, annual review, revocation."""

from datetime import date

from django.db import transaction

from wenming.activities.models import (
    AnnualReview,
    CivilizedUnit,
)
from wenming.activities.services.base import (
    DEFAULT_VALIDITY_YEARS,
    TITLE_FIELDS,
    _check_office,
)
from wenming.audit.services import record, snapshot
from wenming.core.errors import DomainError
from wenming.core.text import check_text

# Titles (文明称号)

def add_years(d, years):
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _clean_title(fields):
    for name, label, limit in [("holder_name", "称号获得者", 100), ("batch", "届次/批次", 50),
                               ("document_no", "命名文号", 100)]:
        if name in fields:
            fields[name] = check_text(fields[name], label, max_length=limit).strip()
    if fields.get("category") == CivilizedUnit.Category.FAMILY and not fields.get("holder_name"):
        raise DomainError("文明家庭请填写“称号获得者”（如：张某某家庭）。", field="holder_name")
    if not fields.get("holder_name") and fields.get("unit"):
        fields["holder_name"] = fields["unit"].name
    if fields.get("awarded_on") and not fields.get("valid_until"):
        fields["valid_until"] = add_years(fields["awarded_on"], DEFAULT_VALIDITY_YEARS)
    if fields["valid_until"] <= fields["awarded_on"]:
        raise DomainError("“有效期至”应晚于“命名日期”。", field="valid_until")
    return fields


def _duplicate_title(title):
    clash = CivilizedUnit.objects.filter(
        holder_name=title.holder_name, category=title.category, level=title.level,
        awarded_on=title.awarded_on).exclude(pk=title.pk)
    if clash.exists():
        raise DomainError(f"{title.holder_name}于{title.awarded_text}命名的{title.title_name}"
                          "已登记，不能重复。", field="holder_name")


@transaction.atomic
def award_title(actor, *, unit, category, level, awarded_on, valid_until=None, holder_name="",
                batch="", document_no=""):
    _check_office(actor, "登记文明称号")
    fields = _clean_title({"unit": unit, "category": category, "level": level,
                           "awarded_on": awarded_on, "valid_until": valid_until,
                           "holder_name": holder_name, "batch": batch,
                           "document_no": document_no})
    title = CivilizedUnit(created_by=actor, **fields)
    _duplicate_title(title)
    title.save()
    record(actor, "title.award", title, after=snapshot(title, TITLE_FIELDS))
    return title


def _check_not_revoked(title):
    if title.revoked_on:
        raise DomainError(f"{title}已于{title.revoked_on:%Y-%m-%d}撤销，不能再修改或复查。")


@transaction.atomic
def update_title(actor, title, **fields):
    _check_office(actor, "修改文明称号")
    title = CivilizedUnit.objects.select_for_update().get(pk=title.pk)
    _check_not_revoked(title)
    before = snapshot(title, TITLE_FIELDS)
    current = {name: getattr(title, name) for name in
               ["unit", "category", "level", "awarded_on", "valid_until", "holder_name", "batch",
                "document_no"]}
    current.update(fields)
    for name, value in _clean_title(current).items():
        setattr(title, name, value)
    _duplicate_title(title)
    title.save()
    record(actor, "title.update", title, before=before, after=snapshot(title, TITLE_FIELDS))
    return title


@transaction.atomic
def record_annual_review(actor, title, *, year, result, note="", reviewed_on=None):
    """The year's review result. A failed review ends the title: the
    office revokes it the same day."""
    _check_office(actor, "登记年度复查结果")
    title = CivilizedUnit.objects.select_for_update().get(pk=title.pk)
    _check_not_revoked(title)
    reviewed_on = reviewed_on or date.today()
    if not title.awarded_on.year <= year <= title.valid_until.year:
        raise DomainError(f"复查年度应在称号有效期内（{title.awarded_on.year}—"
                          f"{title.valid_until.year}年）。", field="year")
    if title.reviews.filter(year=year).exists():
        raise DomainError(f"{title.holder_name}{year}年度的复查结果已登记。", field="year")
    if result not in AnnualReview.Result.values:
        raise DomainError("请选择复查结果。", field="result")
    note = check_text(note, "复查意见", max_length=2000)
    if result == AnnualReview.Result.FAILED and not note.strip():
        raise DomainError("复查不合格时请填写复查意见。", field="note")
    review = AnnualReview.objects.create(title=title, year=year, result=result, note=note,
                                         reviewed_on=reviewed_on, reviewed_by=actor)
    after = {"year": year, "result": result, "note": note}
    if result == AnnualReview.Result.FAILED:
        title.revoked_on = reviewed_on
        title.revoke_reason = f"{year}年度复查不合格"
        title.save()
        after["revoked_on"] = reviewed_on.isoformat()
    record(actor, "title.annual_review", title, after=after)
    return review


@transaction.atomic
def revoke_title(actor, title, *, reason, on=None):
    _check_office(actor, "撤销文明称号")
    title = CivilizedUnit.objects.select_for_update().get(pk=title.pk)
    _check_not_revoked(title)
    title.revoke_reason = check_text(reason, "撤销原因", max_length=300, required=True).strip()
    title.revoked_on = on or date.today()
    title.save()
    record(actor, "title.revoke", title, after={"revoked_on": title.revoked_on.isoformat(),
                                                "reason": title.revoke_reason})
    return title


