"""Citizen reports (随手拍): the public reports a problem without logging in;
the office triages each report into a problem or rejects it with a reason.

Spam is held off as on every public form (wenming.core.public_forms): a
signed, time-stamped form token whose nonce makes one report per form, a
honeypot field, and an hourly limit per address.
"""

import math
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.utils import timezone

from wenming.accounts import roles
from wenming.audit.services import record
from wenming.campaign import desk, services
from wenming.campaign.models import CitizenReport, Problem, Site
from wenming.core import geo
from wenming.core.errors import DomainError, require
from wenming.core.photos import cleanup_on_error, prepare, save_to
from wenming.core.public_forms import check_rate
from wenming.core.text import check_text

# (code, name, description): the report types, also the Open311 services.
SERVICES = [
    ("env", "环境卫生", "垃圾堆积、污水横流、卫生死角等"),
    ("stall", "占道经营", "占道经营、出店经营、流动摊贩"),
    ("traffic", "交通秩序", "车辆乱停乱放、交通设施损坏"),
    ("facility", "公共设施", "路灯、井盖、座椅、公厕等设施损坏"),
    ("ads", "乱贴乱画", "小广告、乱涂乱画、乱拉乱挂"),
    ("behavior", "不文明行为", "随地吐痰、乱扔垃圾、高空抛物等"),
    ("other", "其他", "其他影响城市文明形象的问题"),
]
SERVICE_NAMES = {code: name for code, name, _ in SERVICES}
FORM_PURPOSE = "citizen-report"
_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I


def _tracking_code():
    return "SP" + "".join(secrets.choice(_ALPHABET) for _ in range(8))


def _coordinates(lat, lng, system=geo.WGS84):
    if lat in (None, "") and lng in (None, ""):
        return None, None
    from wenming.campaign.catalog import to_wgs84

    return to_wgs84(lat, lng, system)


def submit_report(*, service_code, description, address="", lat=None, lng=None, photo=None,
                  contact_name="", contact_phone="", email="", client_key=None, ip=None,
                  via=CitizenReport.Via.WEB):
    """A report from the public (no user), sent from address `ip`. Returns
    the report; a second submit with the same `client_key` returns the first
    one (and does not count against the hourly limit)."""
    if client_key:
        existing = CitizenReport.objects.filter(client_key=client_key).first()
        if existing:
            return existing
    check_rate(CitizenReport.objects.all(), ip,
               settings.WENMING_CITIZEN_REPORTS_PER_HOUR,
               message="提交过于频繁，请一小时后再试。如情况紧急，请拨打12345热线。")
    if service_code not in SERVICE_NAMES:
        raise DomainError("请选择问题类型。", field="service_code")
    description = check_text(description, "问题描述", max_length=4000, required=True).strip()
    address = check_text(address, "地点", max_length=200).strip()
    contact_name = check_text(contact_name, "联系人", max_length=50).strip()
    contact_phone = check_text(contact_phone, "联系电话", max_length=20).strip()
    email = check_text(email, "电子邮箱", max_length=200).strip()
    lat, lng = _coordinates(lat, lng)
    prepared = prepare(photo, "照片", keep_gps=True) if photo else None
    if lat is None and prepared and prepared.gps:
        lat, lng = prepared.gps
    if lat is None and not address:
        raise DomainError("请填写问题地点，或允许获取位置。", field="address")
    with cleanup_on_error(), transaction.atomic():
        report = CitizenReport(
            service_code=service_code, description=description, address=address, lat=lat,
            lng=lng, contact_name=contact_name, contact_phone=contact_phone, email=email,
            via=via, client_key=client_key, submitter_ip=ip or None)
        if prepared:
            save_to(report.photo, prepared, secrets.token_hex(16))
        for _ in range(5):
            report.tracking_code = _tracking_code()
            try:
                with transaction.atomic():
                    report.save()
                break
            except IntegrityError:
                existing = CitizenReport.objects.filter(client_key=client_key).first() \
                    if client_key else None
                if existing:
                    return existing
        else:
            raise DomainError("系统繁忙，请稍后重试。")
        record(None, "report.create", report, after={"service": service_code, "via": via})
        desk.report_received(report)
    return report


def _check_pending(report):
    if report.status != CitizenReport.Status.RECEIVED:
        raise DomainError(f"{report}已{report.get_status_display()}，不能重复处理。")


@transaction.atomic
def accept_report(actor, report, *, responsible_unit, site=None, criterion=None,
                  severity=Problem.Severity.NORMAL, description=None, dispatch=True):
    """The report becomes a problem of the ledger (and is dispatched at once
    unless told otherwise)."""
    require(roles.is_office_inspector(actor), "只有督查员或管理员可以受理随手拍。")
    report = CitizenReport.objects.select_for_update().get(pk=report.pk)
    _check_pending(report)
    if responsible_unit is None:
        raise DomainError("请选择责任单位。", field="responsible_unit")
    photos = []
    if report.photo:
        with report.photo.open("rb") as f:
            photos = [prepare(f, "照片")]
    district = site.district if site else district_of(responsible_unit)
    problem = services.create_problem(
        actor, site=site, criterion=criterion, source=Problem.Source.CITIZEN,
        description=description or f"【随手拍·{SERVICE_NAMES[report.service_code]}】"
                                   f"{report.description}"
                                   + (f"（地点：{report.address}）" if report.address else ""),
        severity=severity, photos=photos, lat=report.lat, lng=report.lng,
        responsible_unit=responsible_unit, district=district,
        client_id=_uuid_for(report))
    if dispatch:
        problem = services.dispatch_problem(actor, problem, unit=responsible_unit)
    report.status, report.problem = CitizenReport.Status.ACCEPTED, problem
    report.triaged_by, report.triaged_at = actor, timezone.now()
    report.save()
    record(actor, "report.accept", report, after={"problem": problem.pk})
    desk.report_triaged(report)
    return report


def _uuid_for(report):
    import uuid

    return uuid.uuid5(uuid.NAMESPACE_URL, f"wenming:citizen-report:{report.pk}")


def district_of(unit):
    from wenming.campaign.catalog import DISTRICT_KINDS

    for u in [*unit.ancestors(), unit]:
        if u.kind in DISTRICT_KINDS:
            return u
    return None


@transaction.atomic
def reject_report(actor, report, *, reason):
    require(roles.is_office_inspector(actor), "只有督查员或管理员可以处理随手拍。")
    reason = check_text(reason, "不予受理理由", max_length=500, required=True).strip()
    report = CitizenReport.objects.select_for_update().get(pk=report.pk)
    _check_pending(report)
    report.status, report.reject_reason = CitizenReport.Status.REJECTED, reason
    report.triaged_by, report.triaged_at = actor, timezone.now()
    report.save()
    record(actor, "report.reject", report, after={"reason": reason})
    desk.report_triaged(report)
    return report


def public_status(report):
    """(open?, what the reporter is told, the unit handling it, expected by)."""
    if report.status == CitizenReport.Status.RECEIVED:
        return True, "已收到，文明办正在核实。", "", None
    if report.status == CitizenReport.Status.REJECTED:
        return False, f"不予受理：{report.reject_reason}", "", None
    if report.problem is None:
        return False, "已受理。", "", None
    return problem_status(report.problem)


def problem_status(problem):
    """(open?, what the citizen is told, the unit handling it, expected by)
    of a problem, for a reporter or the hotline that relayed the call."""
    unit = problem.responsible_unit.name if problem.responsible_unit_id else ""
    if problem.status == Problem.Status.CLOSED:
        return False, f"已整改完毕，经复查销号（{timezone.localtime(problem.closed_at):%Y-%m-%d}）。", \
            unit, None
    if problem.status == Problem.Status.CANCELLED:
        return False, "经核实已撤销。", unit, None
    if problem.status == Problem.Status.FOUND:
        return True, "已受理，正在交办。", unit, None
    if problem.status == Problem.Status.SUBMITTED:
        return True, f"{unit}已提交整改，等待复查。", unit, problem.deadline
    return True, f"已交{unit}整改。", unit, problem.deadline


# 附近已有类似问题: what the reporter is shown before submitting.
NEARBY_METRES = 200
NEARBY_MAX = 8
OPEN_STATUSES = [s for s in Problem.Status.values if s not in Problem.FINISHED]
_FOLLOW_SALT = "wenming.campaign.follow"
_PUBLIC_STATE = {Problem.Status.FOUND: "已受理，正在交办", Problem.Status.SUBMITTED: "已整改，待复查"}


@dataclass
class Nearby:
    category: str
    place: str
    day: object
    state: str
    metres: int | None
    follow: str  # a signed key of the problem for its public progress page, or ""


def follow_key(problem):
    """An unguessable key of a problem for its public progress page: the
    nearby list links there, and nobody can walk the ledger by numbers."""
    return signing.dumps(problem.pk, salt=_FOLLOW_SALT)


def problem_for(key):
    try:
        pk = signing.loads(key, salt=_FOLLOW_SALT)
    except signing.BadSignature:
        return None
    return Problem.objects.filter(pk=pk).select_related("site", "category").first() \
        if isinstance(pk, int) else None


def _box(lat, lng, metres):
    dlat = metres / 111_320
    dlng = dlat / max(math.cos(math.radians(lat)), 0.01)
    return {"lat__gte": lat - dlat, "lat__lte": lat + dlat,
            "lng__gte": lng - dlng, "lng__lte": lng + dlng}


def nearby(*, lat=None, lng=None, address=""):
    """Open problems and untriaged reports within NEARBY_METRES of (lat, lng)
    (WGS-84), or, without coordinates, at the sites the address names.
    Only what the public may see: category, place, date and state; never
    descriptions, photos or anyone's details. Bounded: an indexed box, a few
    rows."""
    found = []
    problems = Problem.objects.filter(status__in=OPEN_STATUSES).select_related(
        "site", "category")
    reports = CitizenReport.objects.filter(status=CitizenReport.Status.RECEIVED)
    if lat is not None and lng is not None:
        box = _box(lat, lng, NEARBY_METRES)
        # No ORDER BY: sorting by date would lead the planner to walk the
        # ledger's date index instead of the location index.
        for p in problems.filter(**box).order_by()[:200]:
            d = geo.distance_m(lat, lng, p.lat, p.lng)
            if d <= NEARBY_METRES:
                found.append(_problem_item(p, round(d)))
        for r in reports.filter(**box).order_by("-created_at")[:50]:
            d = geo.distance_m(lat, lng, r.lat, r.lng)
            if d <= NEARBY_METRES:
                found.append(_report_item(r, round(d)))
    elif len(address) >= 2:
        sites = Site.objects.alias(text=Value(address)).filter(
            is_active=True, text__contains=F("name")).values("pk")[:5]
        for p in problems.filter(site__in=sites).order_by("-found_at")[:NEARBY_MAX]:
            found.append(_problem_item(p, None))
        for r in reports.filter(address=address).order_by("-created_at")[:NEARBY_MAX]:
            found.append(_report_item(r, None))
    found.sort(key=lambda n: (n.metres if n.metres is not None else 0, -n.day.toordinal()))
    return found[:NEARBY_MAX]


def _problem_item(p, metres):
    category = p.category.name if p.category_id else "群众反映"
    return Nearby(category, p.site.name if p.site_id else "", timezone.localtime(p.found_at)
                  .date(), _PUBLIC_STATE.get(p.status, "正在整改"), metres, follow_key(p))


def _report_item(r, metres):
    return Nearby(SERVICE_NAMES.get(r.service_code, "其他"), "",
                  timezone.localtime(r.created_at).date(), "已收到，正在核实", metres, "")


def timeline(report=None, problem=None):
    """The public steps of a report or a problem as (label, when or None),
    received → accepted → dispatched → rectified → closed; a refusal or a
    cancellation ends it."""
    steps = []
    if report is not None:
        steps.append(("已收到", report.created_at))
        if report.status == CitizenReport.Status.REJECTED:
            return steps + [("不予受理", report.triaged_at)]
        steps.append(("已受理", report.triaged_at if report.problem_id else None))
        problem = report.problem
    elif problem is not None:
        steps.append(("已受理", problem.found_at))
    if problem is None:
        return steps + [(label, None) for label in ("已交办", "已整改", "已销号")]
    events = {}
    for action, at in problem.events.filter(
            action__in=["dispatch", "submit", "verify", "cancel"]).values_list("action", "at"):
        events.setdefault(action, []).append(at)
    if problem.status == Problem.Status.CANCELLED:
        return steps + [("已撤销", (events.get("cancel") or [None])[-1])]
    closed = problem.status == Problem.Status.CLOSED
    submitted = events.get("submit") or []
    return steps + [
        ("已交办", (events.get("dispatch") or [None])[0]),
        # The fix the office accepted: the last one handed in before closing.
        ("已整改", submitted[-1] if submitted and (closed or problem.status in (
            Problem.Status.SUBMITTED, Problem.Status.DISPUTED)) else None),
        ("已销号", problem.closed_at if closed else None),
    ]
