"""The problem ledger for integrators (a 12345 hotline, a provincial
system): GET and POST /api/ledger/problems, GET /api/ledger/problems/{id},
/api/ledger/problems/{id}/timeline, GET /api/ledger/units; POST
/api/ledger/reports and GET /api/ledger/reports/{external_id}.

A key with ledger:write files problems straight into the ledger (POST
/api/ledger/problems), once per external id, for its owner unit or a unit
below it. A key sees what its owner unit sees (problems dispatched to that
unit or below it) plus the problems it filed or that were made from its
reports; anything else is 404. A staff session sees what it sees on the
ledger page.
"""

from datetime import datetime
from typing import Literal

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from wenming.accounts.models import Unit
from wenming.api.auth import key_auth, session_auth
from wenming.api.errors import examples, responses
from wenming.api.models import ApiKey
from wenming.campaign import citizen, selectors
from wenming.campaign.models import Problem
from wenming.core.errors import DomainError

router = Router(tags=["问题台账（对接）"])

READ = [session_auth, key_auth("ledger:read")]
WRITE = [key_auth("ledger:write")]


class ProblemOut(Schema):
    id: int = Field(..., examples=[128])
    status: str = Field(..., description="状态代码：found 待交办、dispatched 整改中、submitted 待复查、"
                                         "rejected 复查未通过、disputed 申诉中、closed 已销号、"
                                         "cancelled 已撤销", examples=["dispatched"])
    status_label: str = Field(..., examples=["整改中"])
    description: str = Field(..., examples=["【随手拍·环境卫生】人民路菜市场门口垃圾堆积"])
    severity: str = Field(..., examples=["normal"])
    source: str = Field(..., examples=["citizen"])
    site: str = Field(..., examples=["人民路菜市场"])
    district: str = Field(..., examples=["城关区"])
    responsible_unit: str = Field(..., examples=["城关区城市管理局"])
    found_at: datetime
    dispatched_at: datetime | None
    deadline: datetime | None
    closed_at: datetime | None
    is_overdue: bool
    lat: float | None = Field(..., examples=[30.2741])
    lng: float | None = Field(..., examples=[120.1551])
    service_request_id: str = Field(..., description="由随手拍或对接推送转来时的查询码，否则为空",
                                    examples=["SP7KQ3MZ2A"])
    external_id: str = Field(..., description="对接方推送时的外部编号，否则为空",
                             examples=["12345-20240110-0001"])


class ProblemPage(Schema):
    items: list[ProblemOut]
    next_cursor: str = Field(..., description="下一页游标；为空表示没有更多", examples=["1704862800000000-128"])


class EventOut(Schema):
    at: datetime
    action: str = Field(..., examples=["dispatch"])
    from_status: str = Field(..., examples=["found"])
    to_status: str = Field(..., examples=["dispatched"])
    note: str = Field(..., examples=["请于3日内整改完毕"])


class ReportIn(Schema):
    external_id: str = Field("", max_length=64, description="对接方的诉求编号；同一编号重复推送只登记一次",
                             examples=["12345-20240110-0001"])
    service_code: str = Field(..., description="问题类型代码，见 Open311 services 接口",
                              examples=["env"])
    description: str = Field(..., max_length=4000, examples=["人民路菜市场门口垃圾堆积，已两天无人清运"])
    address: str = Field("", max_length=200, examples=["人民路88号菜市场门口"])
    lat: float | None = Field(None, description="WGS-84 纬度", examples=[30.2741])
    long: float | None = Field(None, description="WGS-84 经度", examples=[120.1551])
    media_url: str = Field("", max_length=500, description="照片地址（仅保存，不抓取）")
    contact_name: str = Field("", max_length=50)
    contact_phone: str = Field("", max_length=20)


class ReportOut(Schema):
    service_request_id: str = Field(..., examples=["SP7KQ3MZ2A"])
    external_id: str
    status: str = Field(..., description="received 待处理、accepted 已受理、rejected 不予受理",
                        examples=["received"])
    status_notes: str = Field(..., examples=["已收到，文明办正在核实。"])
    problem_id: int | None


class ProblemIn(Schema):
    external_id: str = Field(..., min_length=1, max_length=64,
                             description="对接方的工单编号；同一对接方同一编号只登记一次",
                             examples=["12345-20240110-0001"])
    service_code: str = Field(..., description="问题类型代码，见 Open311 services 接口",
                              examples=["env"])
    description: str = Field(..., max_length=4000, examples=["五一路口垃圾桶满溢，已两天无人清运"])
    address: str = Field("", max_length=200, description="地点；无经纬度时必填",
                         examples=["五一路与七一路交叉口东北角"])
    lat: float | None = Field(None, description="WGS-84 纬度，须在本市范围内", examples=[33.6255])
    long: float | None = Field(None, description="WGS-84 经度", examples=[114.6497])
    responsible_unit: int | None = Field(
        None, description="建议的责任单位编号（见 GET /api/ledger/units），须为密钥所属单位或其下级单位；"
                          "不填为密钥所属单位。"
                          "文明办交办时可改派", examples=[3])
    severity: Literal["normal", "serious", "immediate"] = Field(
        "normal", description="问题等级：normal 一般、serious 较重、immediate 立行立改；交办后按等级定整改时限")
    media_url: str = Field("", max_length=500, description="照片地址（http/https，仅保存，不抓取）",
                           examples=["https://12345.example.gov.cn/media/0001.jpg"])


class UnitOut(Schema):
    id: int = Field(..., examples=[4])
    name: str = Field(..., examples=["陈州回族街道"])
    kind: str = Field(..., description="单位类型", examples=["街道"])
    parent_id: int | None = Field(..., description="上级单位编号", examples=[3])


def _problems(request):
    if isinstance(request.auth, ApiKey):
        key = request.auth
        return Problem.objects.filter(
            Q(deadline__isnull=False, responsible_unit__path__startswith=key.owner_unit.path)
            | Q(citizen_report__external__key=key)
            | Q(external__owner_unit=key.owner_unit_id, external__integrator=key.name))
    return selectors.visible_problems(request.user)


def _problem_out(p):
    report = getattr(p, "citizen_report", None)
    external = getattr(report, "external", None) if report else getattr(p, "external", None)
    return ProblemOut(
        id=p.pk, status=p.status, status_label=p.get_status_display(),
        description=p.description, severity=p.severity, source=p.source,
        site=p.site.name if p.site_id else "", district=p.district.name if p.district_id else "",
        responsible_unit=p.responsible_unit.name if p.responsible_unit_id else "",
        found_at=p.found_at, dispatched_at=p.dispatched_at, deadline=p.deadline,
        closed_at=p.closed_at, is_overdue=p.is_overdue_at(timezone.now()),
        lat=float(p.lat) if p.lat is not None else None,
        lng=float(p.lng) if p.lng is not None else None,
        service_request_id=report.tracking_code if report else "",
        external_id=external.external_id if external else "")


def _with_related(qs):
    return qs.select_related("site", "district", "responsible_unit",
                             "citizen_report", "citizen_report__external", "external")


PROBLEM_EXAMPLE = {
    "id": 128, "status": "dispatched", "status_label": "整改中",
    "description": "【市12345热线平台·环境卫生】五一路口垃圾桶满溢，已两天无人清运（地点：五一路与七一路交叉口东北角）",
    "severity": "normal", "source": "citizen", "site": "", "district": "川汇区",
    "responsible_unit": "陈州回族街道", "found_at": "2024-01-10T09:12:00+08:00",
    "dispatched_at": "2024-01-10T10:05:00+08:00", "deadline": "2024-01-13T10:05:00+08:00",
    "closed_at": None, "is_overdue": False, "lat": 33.6255, "lng": 114.6497,
    "service_request_id": "", "external_id": "12345-20240110-0001"}
TIMELINE_EXAMPLE = [
    {"at": "2024-01-10T09:12:00+08:00", "action": "create", "from_status": "",
     "to_status": "found", "note": "【市12345热线平台·环境卫生】五一路口垃圾桶满溢"},
    {"at": "2024-01-10T10:05:00+08:00", "action": "dispatch", "from_status": "found",
     "to_status": "dispatched", "note": "请于3日内清运完毕"},
]
REPORT_EXAMPLE = {"service_request_id": "SP7KQ3MZ2A", "external_id": "12345-20240110-0001",
                  "status": "received", "status_notes": "已收到，文明办正在核实。",
                  "problem_id": None}
PUSH_EXAMPLE = {"external_id": "12345-20240110-0001", "service_code": "env",
                "description": "人民路菜市场门口垃圾堆积，已两天无人清运",
                "address": "人民路88号菜市场门口", "lat": 33.6255, "long": 114.6497}
@router.get("/problems", response=responses(ProblemPage, 400, 401, 422, 429), auth=READ,
            openapi_extra=examples({"items": [PROBLEM_EXAMPLE], "next_cursor": "1704849120000000-128"}),
            summary="问题台账列表",
            description="按台账页面的筛选条件（district 县区、unit 责任单位、category 点位类别、area 测评项目、"
                        "status 状态、overdue=1 逾期、repeat=1 重复发现、date_from/date_to 发现日期、q 关键词）"
                        "列出可见的问题，按发现时间由近及远，每页 30 条。翻页用上一页返回的 next_cursor，"
                        "新增的问题不会使翻页重复或遗漏。需要 ledger:read 权限。")
def list_problems(request, cursor: str = Query("", max_length=40, description="翻页游标")):
    filters = selectors.LedgerFilter.from_query(request.GET)
    qs = _with_related(filters.apply(_problems(request)))
    rows, next_cursor = selectors.keyset_page(qs, cursor)
    return {"items": [_problem_out(p) for p in rows], "next_cursor": next_cursor}


@router.get("/problems/{problem_id}", response=responses(ProblemOut, 400, 401, 404, 422, 429),
            auth=READ, summary="问题详情",
            description="一条问题的状态、责任单位、整改时限和位置。密钥能看到派给所属单位及其下级单位的问题，"
                        "以及本对接方推送的问题；其余一律 404。需要 ledger:read 权限（或工作人员会话）。",
            openapi_extra=examples(PROBLEM_EXAMPLE))
def get_problem(request, problem_id: int):
    return _problem_out(get_object_or_404(_with_related(_problems(request)), pk=problem_id))


@router.get("/problems/{problem_id}/timeline",
            response=responses(list[EventOut], 400, 401, 404, 422, 429), auth=READ,
            summary="问题处理时间线",
            description="发现、交办、提交整改、复查、销号等每一步，按时间先后；from_status 为空表示登记。"
                        "可见范围同问题详情。需要 ledger:read 权限（或工作人员会话）。",
            openapi_extra=examples(TIMELINE_EXAMPLE))
def problem_timeline(request, problem_id: int):
    problem = get_object_or_404(_problems(request), pk=problem_id)
    return [EventOut(at=e.at, action=e.action, from_status=e.from_status,
                     to_status=e.to_status, note=e.note) for e in problem.events.all()]


def _report_out(report):
    _, note, _, _ = citizen.public_status(report)
    external = getattr(report, "external", None)
    return ReportOut(service_request_id=report.tracking_code,
                     external_id=external.external_id if external else "",
                     status=report.status, status_notes=note, problem_id=report.problem_id)


@router.post("/reports", response=responses(ReportOut, 400, 401, 422, 429, status=201),
             auth=WRITE, summary="推送外部诉求",
             description="对接方（如12345热线）把群众诉求推送进来，登记为随手拍，由文明办核实后转为问题并交办。"
                         "同一 external_id 重复推送返回第一次登记的结果，不会重复登记。问题状态变化时，"
                         "平台向密钥的回调地址推送签名的 webhook。需要 ledger:write 权限。",
             openapi_extra=examples(REPORT_EXAMPLE, body=PUSH_EXAMPLE, status=201))
def push_report(request, payload: ReportIn):
    from wenming.api.services import submit_external_report

    try:
        report = submit_external_report(
            request.auth, external_id=payload.external_id, media_url=payload.media_url,
            service_code=payload.service_code, description=payload.description,
            address=payload.address, lat=payload.lat, lng=payload.long,
            contact_name=payload.contact_name, contact_phone=payload.contact_phone)
    except DomainError as e:
        raise HttpError(400, e.message) from None
    return Status(201, _report_out(report))


@router.get("/reports/{external_id}", response=responses(ReportOut, 400, 401, 404, 422, 429),
            auth=[key_auth("ledger:read"), key_auth("ledger:write")],
            summary="按外部编号查询推送的诉求",
            description="按推送时的 external_id 查询诉求的处理状态：received 待处理、accepted 已受理"
                        "（problem_id 为转成的问题）、rejected 不予受理（status_notes 为理由）。"
                        "只能查询本密钥推送的诉求，其余 404。需要 ledger:read 或 ledger:write 权限。",
            openapi_extra=examples({**REPORT_EXAMPLE, "status": "accepted",
                                    "status_notes": "已交川汇区整改。", "problem_id": 128}))
def get_report(request, external_id: str):
    link = get_object_or_404(request.auth.reports.select_related("report"),
                             external_id=external_id)
    return _report_out(link.report)


FILED_EXAMPLE = {**PROBLEM_EXAMPLE, "status": "found", "status_label": "待交办",
                 "dispatched_at": None, "deadline": None}
FILE_EXAMPLE = {"external_id": "12345-20240110-0001", "service_code": "env",
                "description": "五一路口垃圾桶满溢，已两天无人清运",
                "address": "五一路与七一路交叉口东北角", "lat": 33.6255, "long": 114.6497}


@router.post("/problems", response={**responses(ProblemOut, 400, 401, 404, 422, 429, status=201),
                                    200: ProblemOut},
             auth=WRITE, summary="推送外部工单，直接登记为问题",
             description="对接方（如12345热线）把群众来电工单直接登记为问题台账中的一条问题（待交办），"
                         "由文明办交办给责任单位，交办时按问题等级定整改时限。首次登记返回 201；"
                         "同一对接方（同一所属单位下同名的密钥，含更换后的新密钥）以同一 external_id "
                         "再次推送，返回已登记的同一问题，状态码 200。责任单位须为密钥所属单位或其下级，"
                         "否则 404。此后可按返回的 id 查询问题和处理时间线；问题每次状态变化（交办、"
                         "提交整改、销号、撤销等），平台向密钥的回调地址推送签名的 webhook。"
                         "需要 ledger:write 权限。需要文明办先审核的群众诉求，请改用 POST /api/ledger/reports "
                         "或 Open311。",
             openapi_extra={
                 "requestBody": {"content": {"application/json": {"example": FILE_EXAMPLE}}},
                 "responses": {code: {"description": text, "content": {"application/json": {
                     "example": FILED_EXAMPLE}}} for code, text in [
                         (201, "已登记为新问题"), (200, "该工单已登记过，返回同一问题")]}})
def file_problem(request, payload: ProblemIn):
    from wenming.api.services import file_problem as file

    key = request.auth
    unit = None
    if payload.responsible_unit is not None:
        unit = get_object_or_404(Unit, pk=payload.responsible_unit,
                                 path__startswith=key.owner_unit.path)
    try:
        problem, created = file(
            key, external_id=payload.external_id, service_code=payload.service_code,
            description=payload.description, address=payload.address, lat=payload.lat,
            lng=payload.long, responsible_unit=unit, severity=payload.severity,
            media_url=payload.media_url)
    except DomainError as e:
        raise HttpError(400, e.message) from None
    problem = _with_related(Problem.objects).get(pk=problem.pk)
    return Status(201 if created else 200, _problem_out(problem))


@router.get("/units", response=responses(list[UnitOut], 400, 401, 429),
            auth=[key_auth("ledger:write"), key_auth("ledger:read")],
            summary="密钥可登记问题的责任单位",
            description="密钥所属单位及其全部下级单位，按层级排列。推送工单（POST /api/ledger/problems）时"
                        "responsible_unit 填这里的 id。需要 ledger:write 或 ledger:read 权限。",
            openapi_extra=examples([
                {"id": 3, "name": "川汇区", "kind": "区", "parent_id": 1},
                {"id": 4, "name": "陈州回族街道", "kind": "街道", "parent_id": 3}]))
def units(request):
    return [UnitOut(id=u.pk, name=u.name, kind=u.get_kind_display(), parent_id=u.parent_id)
            for u in request.auth.owner_unit.subtree()]
