"""台账导入: the problems an inspection round found, kept by the office in a
spreadsheet, become problems of the ledger, each created and dispatched
through the same services as one entered by hand (timeline, audit,
deadline by severity unless the sheet gives one, the unit's message).

Reading and checking happen first, outside any transaction, with every
lookup done once for the whole sheet; nothing is written unless every row
is right. The rows are then written in short transactions; until the last
step the import is undone (its problems deleted) on any failure or cancel,
and the units' messages are queued only in that last step, so no unit hears
of a problem an undone import left behind."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from wenming.accounts import roles
from wenming.accounts.models import Unit
from wenming.audit.services import record
from wenming.campaign import catalog, desk
from wenming.campaign.models import Problem, ProblemEvent, Site
from wenming.campaign.services import create_problem, dispatch_problem, notify_dispatch
from wenming.core.errors import DomainError, require
from wenming.core.excel import Formula, cell_text, read_table, workbook_bytes
from wenming.core.text import check_text
from wenming.tasks.progress import Progress

MAX_ROWS = 5000
WRITE_CHUNK = 100
MAX_ERRORS = 50
# key → header texts that mean it; the first is the template's.
COLUMNS = {
    "site": ["点位", "点位名称"],
    "district": ["县区", "所属县区", "县（市、区）"],
    "criterion": ["测评标准", "测评指标", "问题类型", "测评标准编号"],
    "description": ["问题描述", "存在问题", "问题"],
    "severity": ["问题等级", "等级"],
    "unit": ["责任单位"],
    "deadline": ["整改期限", "整改时限"],
    "found_on": ["发现日期", "发现时间", "督查日期"],
}
REQUIRED = {"site", "criterion", "description"}
SEVERITIES = {label: value for value, label in Problem.Severity.choices}
TEMPLATE_HEADERS = [names[0] for names in COLUMNS.values()]


class LedgerErrors(DomainError):
    """Every problem of a refused sheet, by row and column."""

    def __init__(self, errors):
        self.errors = errors
        more = f"（另有{len(errors) - MAX_ERRORS}处未列出）" if len(errors) > MAX_ERRORS else ""
        super().__init__(f"台账表有{len(errors)}处错误，未导入任何数据：" + "；".join(errors[:3])
                         + ("……" if len(errors) > 3 else "") + more)


@dataclass
class Row:
    number: int
    site: Site
    criterion: object
    description: str
    severity: str
    unit: Unit
    found_at: datetime
    deadline: datetime | None


def template_xlsx():
    example = ["五一路农贸市场", "川汇区", "1.1.1", "市场东门外占道经营，果蔬摊位摆出店外",
               "一般", "川汇区/陈州回族街道", "2025-06-30", "2025-06-20"]
    return workbook_bytes([("台账", TEMPLATE_HEADERS, [example],
                            [24, 10, 14, 48, 10, 24, 12, 12])])


# ---------------------------------------------------------------- reading


def read_ledger(content, filename, progress=None):
    """Every row of the sheet checked against the platform: the site, the
    criterion of the current index, the responsible unit, the dates. Returns
    the rows; raises LedgerErrors naming each bad row and column."""
    progress = progress or Progress()
    table = read_table(content, filename, COLUMNS, REQUIRED, what="台账表", csv=True,
                       max_rows=MAX_ROWS, progress=progress.rows("台账表"))
    campaign = catalog.active_campaign()
    index = campaign.current_index() if campaign else None
    if index is None:
        raise DomainError("还没有测评体系，请先导入测评体系再导入台账。")
    lookups = _Lookups(index)
    today = timezone.localdate()
    rows, errors = [], []
    for checked, (number, values) in enumerate(table.rows):
        if checked % 200 == 0:
            progress.update(f"正在核对第{number:,}行", done=checked, total=len(table.rows))
        row_errors = []

        def err(key, message, _n=number, _errors=row_errors):
            where = table.column_label(key) if key in table.columns else ""
            _errors.append(f"第{_n}行{where}：{message}")

        formulas = [k for k, v in values.items() if isinstance(v, Formula)]
        for key in formulas:
            err(key, f"是公式“{values[key].text[:40]}”，平台不计算公式，"
                     "请复制后“选择性粘贴—数值”再导入。")
        if formulas:
            errors += row_errors
            continue
        site = lookups.site(cell_text(values.get("site")), cell_text(values.get("district")),
                            err)
        criterion = lookups.criterion(cell_text(values.get("criterion")), err)
        description = _text(values.get("description"), "description", err)
        severity_text = cell_text(values.get("severity"))
        severity = SEVERITIES.get(severity_text or "一般")
        if severity is None:
            err("severity", f"“{severity_text}”应为" + "、".join(SEVERITIES) + "。")
        unit_text = cell_text(values.get("unit"))
        unit = lookups.unit(unit_text, err) if unit_text else (site.responsible_unit
                                                               if site else None)
        if site and unit is None:
            err("unit", f"点位“{site.name}”没有登记责任单位，请填写责任单位。")
        found_on = _date(values.get("found_on"), "found_on", err) or today
        if found_on > today:
            err("found_on", f"发现日期{found_on:%Y-%m-%d}晚于今天。")
        deadline_on = _date(values.get("deadline"), "deadline", err)
        if deadline_on and deadline_on < today:
            err("deadline", f"整改期限{deadline_on:%Y-%m-%d}早于今天，请核对；"
                            "留空则按问题等级计算整改时限。")
        if deadline_on and deadline_on < found_on:
            err("deadline", "整改期限早于发现日期。")
        if not row_errors:
            rows.append(Row(number, site, criterion, description, severity, unit,
                            _found_at(found_on, today), _end_of(deadline_on)))
        errors += row_errors
    if not table.rows:
        errors.append("台账表中没有数据行：请在表头下方逐行填写。")
    if errors:
        raise LedgerErrors(errors)
    return rows


class _Lookups:
    """What the rows name, read once for the whole sheet (not per row)."""

    def __init__(self, index):
        self.sites = {}
        for site in Site.objects.filter(is_active=True).select_related(
                "district", "responsible_unit", "category"):
            self.sites.setdefault(site.name, []).append(site)
        self.criteria, self.criteria_by_text = {}, {}
        for criterion in index.criteria.select_related("index__campaign"):
            self.criteria[criterion.code] = criterion
            self.criteria_by_text.setdefault(criterion.text.strip(), criterion)
        self.index = index
        self.units = {}

    def site(self, name, district, err):
        if not name:
            err("site", "不能为空。")
            return None
        found = self.sites.get(name, [])
        if district:
            found = [s for s in found if district in (s.district.name, s.district.short_name)]
        if not found:
            where = f"{district}没有" if district else "平台中没有"
            err("site", f"{where}点位“{name}”，请先在“点位”中登记。")
            return None
        if len(found) > 1:
            err("site", f"有{len(found)}个名为“{name}”的点位，请在“县区”列写明所属县区。")
            return None
        return found[0]

    def criterion(self, text, err):
        if not text:
            err("criterion", "不能为空。")
            return None
        code = text.split()[0]
        found = self.criteria.get(code) or self.criteria_by_text.get(text)
        if found is None:
            err("criterion", f"“{text[:40]}”不是{self.index}中的测评标准，"
                             "请填写测评标准编号（如 1.1.1）或完整的测评标准。")
        return found

    def unit(self, text, err):
        if text not in self.units:
            try:
                self.units[text] = (catalog.find_unit(text, "责任单位"), None)
            except DomainError as e:
                self.units[text] = (None, e.message)
        unit, message = self.units[text]
        if message:
            err("unit", message.rstrip("。") + "。")
        return unit


def _text(value, key, err):
    try:
        return check_text(cell_text(value), "", max_length=2000, required=True).strip()
    except DomainError as e:
        err(key, e.message.replace("“”", ""))
        return ""


def _date(value, key, err):
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value).replace("年", "-").replace("月", "-").replace("日", "")
    for separator in ("-", "/", "."):
        parts = text.split(separator)
        if len(parts) == 3 and all(p.strip().isdigit() for p in parts):
            try:
                return date(*(int(p) for p in parts))
            except ValueError:
                break
    err(key, f"“{cell_text(value)}”不是日期，请写成 2025-06-30。")
    return None


def _found_at(day, today):
    if day == today:
        return timezone.now()
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def _end_of(day):
    return timezone.make_aware(datetime.combine(day, time(23, 59))) if day else None


# ---------------------------------------------------------------- writing


def import_ledger(actor, rows, *, filename="", progress=None):
    """Create and dispatch one problem per checked row (see read_ledger),
    all or nothing. Returns the problems."""
    require(roles.is_office_inspector(actor), "只有督查员或管理员可以导入台账。")
    progress = progress or Progress()
    batch = uuid.uuid4()
    created = []
    try:
        for start in range(0, len(rows), WRITE_CHUNK):
            progress.update(f"正在写入第{start + 1:,}至{min(start + WRITE_CHUNK, len(rows)):,}条",
                            done=start, total=len(rows))
            with transaction.atomic():
                for row in rows[start:start + WRITE_CHUNK]:
                    problem = create_problem(
                        actor, site=row.site, criterion=row.criterion,
                        description=row.description, severity=row.severity,
                        found_at=row.found_at, responsible_unit=row.unit,
                        campaign=row.criterion.index.campaign,
                        client_id=uuid.uuid5(batch, str(row.number)))
                    created.append(problem.pk)
                    dispatch_problem(actor, problem, unit=row.unit, deadline=row.deadline,
                                     note=f"台账导入（第{row.number}行）", notify=False)
        progress.update("正在通知责任单位", done=len(rows), total=len(rows))
        with transaction.atomic():
            problems = list(Problem.objects.filter(pk__in=created).select_related(
                "responsible_unit", "site", "criterion"))
            events = {e.problem_id: e for e in ProblemEvent.objects.filter(
                problem_id__in=created, action="dispatch")}
            for problem in problems:
                # Inbox and robot only now: an undone import must leave no
                # message about a problem it removed.
                desk.problem_moved(problem, events[problem.pk])
                notify_dispatch(problem, events[problem.pk])
            record(actor, "ledger.import", None, object_type="campaign.problem",
                   after={"file": filename[:200], "problems": len(created),
                          "first": min(created, default=None), "last": max(created, default=None)})
    except BaseException:
        _undo(actor, created, filename)
        raise
    return problems


def _undo(actor, created, filename):
    if not created:
        return
    with transaction.atomic():
        Problem.objects.filter(repeat_of_id__in=created).exclude(pk__in=created).update(
            repeat_of=None, is_repeat=False)
        Problem.objects.filter(pk__in=created).delete()
        # The problems' own create/dispatch events stay in the audit log
        # (it is append-only); this one says they were taken back.
        record(actor, "ledger.import_undo", None, object_type="campaign.problem",
               after={"file": filename[:200], "problems": created})
