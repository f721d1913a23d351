"""The campaign (创文) loop: the evaluation index, sites, inspections, the
problem ledger with its timeline, rectifications, supervision notices,
notifications and citizen reports."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from wenming.accounts.models import Unit
from wenming.core.text import chinese_date

USER = settings.AUTH_USER_MODEL

# The site categories the campaign's index names; seeded by ensure_categories().
CATEGORY_NAMES = [
    "农贸市场", "背街小巷", "公共厕所", "公交站点", "居民小区", "学校", "医院", "商业大街",
    "主次干道", "政务大厅", "公园广场", "建筑工地", "新时代文明实践站",
]


def default_notice_issuer():
    return f"{settings.WENMING_CITY_NAME}创建全国文明城市工作指挥部办公室"


class Campaign(models.Model):
    name = models.CharField("名称", max_length=100, help_text="如：创建全国文明城市")
    year = models.PositiveSmallIntegerField("启动年度")
    is_active = models.BooleanField("进行中", default=True)
    # Deadlines by severity, in hours, as the office sets them.
    hours_immediate = models.PositiveIntegerField("立行立改时限（小时）", default=24)
    hours_normal = models.PositiveIntegerField("一般问题时限（小时）", default=72)
    hours_serious = models.PositiveIntegerField("较重问题时限（小时）", default=168)
    remind_before_hours = models.PositiveIntegerField("到期前提醒（小时）", default=24)
    # Overdue problems escalate: level 1 on the deadline, then these many days after it.
    level2_after_days = models.PositiveIntegerField("逾期几天升为二级督办", default=3)
    level3_after_days = models.PositiveIntegerField("逾期几天升为三级督办", default=7)
    issuer = models.CharField("督办单位", max_length=100, default=default_notice_issuer)
    notice_prefix = models.CharField("督办单文号前缀", max_length=20, default="创文督")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "创建活动"
        verbose_name_plural = "创建活动"
        ordering = ["-is_active", "-year", "id"]

    def __str__(self):
        return self.name

    def deadline_hours(self, severity):
        return {
            Problem.Severity.IMMEDIATE: self.hours_immediate,
            Problem.Severity.NORMAL: self.hours_normal,
            Problem.Severity.SERIOUS: self.hours_serious,
        }[severity]

    def current_index(self):
        return self.indexes.order_by("-year").first()


class Index(models.Model):
    """One year's version of the evaluation index (测评体系). Problems point at
    the criterion of the version they were found under."""

    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="indexes",
                                 verbose_name="创建活动")
    year = models.PositiveSmallIntegerField("年度版本")
    name = models.CharField("名称", max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "测评体系"
        verbose_name_plural = "测评体系"
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["campaign", "year"],
                                               name="index_one_version_per_year")]

    def __str__(self):
        return self.name or f"{self.year}年版测评体系"


class SiteCategory(models.Model):
    name = models.CharField("名称", max_length=30, unique=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "点位类别"
        verbose_name_plural = "点位类别"
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name


class Area(models.Model):
    """测评项目"""

    index = models.ForeignKey(Index, models.CASCADE, related_name="areas", verbose_name="测评体系")
    code = models.CharField("编号", max_length=20)
    name = models.CharField("测评项目", max_length=200)

    class Meta:
        verbose_name = "测评项目"
        verbose_name_plural = "测评项目"
        ordering = ["index", "id"]
        constraints = [models.UniqueConstraint(fields=["index", "code"], name="area_unique_code")]

    def __str__(self):
        return f"{self.code} {self.name}"


class Item(models.Model):
    """测评内容"""

    index = models.ForeignKey(Index, models.CASCADE, related_name="+", verbose_name="测评体系")
    area = models.ForeignKey(Area, models.CASCADE, related_name="items", verbose_name="测评项目")
    code = models.CharField("编号", max_length=20)
    name = models.CharField("测评内容", max_length=300)

    class Meta:
        verbose_name = "测评内容"
        verbose_name_plural = "测评内容"
        ordering = ["area", "id"]
        constraints = [models.UniqueConstraint(fields=["index", "code"], name="item_unique_code")]

    def __str__(self):
        return f"{self.code} {self.name}"


class Criterion(models.Model):
    """测评标准"""

    class Method(models.TextChoices):
        DOCUMENT = "document", "材料审核"
        FIELD = "field", "实地考察"
        SURVEY = "survey", "问卷调查"

    index = models.ForeignKey(Index, models.CASCADE, related_name="criteria",
                              verbose_name="测评体系")
    area = models.ForeignKey(Area, models.CASCADE, related_name="+", verbose_name="测评项目")
    item = models.ForeignKey(Item, models.CASCADE, related_name="criteria",
                             verbose_name="测评内容")
    code = models.CharField("编号", max_length=20)
    text = models.TextField("测评标准")
    method = models.CharField("测评方法", max_length=10, choices=Method.choices,
                              default=Method.FIELD)
    weight = models.DecimalField("分值", max_digits=6, decimal_places=2, default=0)
    categories = models.ManyToManyField(SiteCategory, blank=True, related_name="criteria",
                                        verbose_name="适用点位类别")

    class Meta:
        verbose_name = "测评标准"
        verbose_name_plural = "测评标准"
        ordering = ["item", "id"]
        constraints = [models.UniqueConstraint(fields=["index", "code"],
                                               name="criterion_unique_code")]

    def __str__(self):
        return f"{self.code} {self.text[:40]}"


class Site(models.Model):
    name = models.CharField("点位名称", max_length=100)
    category = models.ForeignKey(SiteCategory, models.PROTECT, related_name="sites",
                                 verbose_name="点位类别")
    address = models.CharField("地址", max_length=200, blank=True)
    # WGS-84; input from Chinese map apps (GCJ-02) is converted on the way in.
    lat = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    district = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="所属县区")
    responsible_unit = models.ForeignKey(Unit, models.PROTECT, related_name="campaign_sites",
                                         verbose_name="责任单位")
    is_active = models.BooleanField("在用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "点位"
        verbose_name_plural = "点位"
        ordering = ["district__sort_order", "category__sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"],
                                               name="site_unique_name_in_district")]

    def __str__(self):
        return self.name


class InspectionPlan(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "进行中"
        DONE = "done", "已完成"

    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="plans",
                                 verbose_name="创建活动")
    title = models.CharField("计划名称", max_length=100)
    is_undercover = models.BooleanField("暗访", default=False,
                                        help_text="暗访计划在完成前对各单位不可见")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    inspectors = models.ManyToManyField(USER, related_name="inspection_plans",
                                        verbose_name="督查员")
    sites = models.ManyToManyField(Site, related_name="plans", verbose_name="点位")
    note = models.TextField("说明", blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices,
                              default=Status.PLANNED)
    created_by = models.ForeignKey(USER, models.PROTECT, related_name="+", verbose_name="创建人")
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "督查计划"
        verbose_name_plural = "督查计划"
        ordering = ["-starts_on", "-id"]

    def __str__(self):
        return self.title

    @property
    def is_hidden_from_units(self):
        return self.is_undercover and self.status != self.Status.DONE

    @property
    def dates_text(self):
        if self.starts_on == self.ends_on:
            return chinese_date(self.starts_on)
        return f"{chinese_date(self.starts_on)}至{chinese_date(self.ends_on)}"


class Inspection(models.Model):
    """One visit to one site, recorded from the field form."""

    plan = models.ForeignKey(InspectionPlan, models.PROTECT, null=True, blank=True,
                             related_name="inspections", verbose_name="督查计划")
    site = models.ForeignKey(Site, models.PROTECT, related_name="inspections",
                             verbose_name="点位")
    inspector = models.ForeignKey(USER, models.PROTECT, related_name="+", verbose_name="督查员")
    inspected_at = models.DateTimeField("督查时间")
    note = models.TextField("备注", blank=True)
    # Whom the visit assessed: the site's responsible unit and district on
    # the day. A site handed to another unit later does not move a past
    # period's inspections (scoring's 参评/未检查) to it.
    responsible_unit = models.ForeignKey(Unit, models.PROTECT, related_name="+",
                                         verbose_name="责任单位")
    district = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="所属县区")
    # Generated into the form when it is rendered: a retried POST of the
    # same form finds this row instead of making a second inspection.
    client_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = "督查记录"
        verbose_name_plural = "督查记录"
        ordering = ["-inspected_at", "-id"]

    def __str__(self):
        return f"{self.site} · {self.inspected_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if self._state.adding and self.site_id:
            if self.responsible_unit_id is None:
                self.responsible_unit_id = self.site.responsible_unit_id
            if self.district_id is None:
                self.district_id = self.site.district_id
        super().save(*args, **kwargs)


class Finding(models.Model):
    class Result(models.TextChoices):
        PASS = "pass", "达标"
        PROBLEM = "problem", "有问题"

    inspection = models.ForeignKey(Inspection, models.CASCADE, related_name="findings",
                                   verbose_name="督查记录")
    criterion = models.ForeignKey(Criterion, models.PROTECT, related_name="+",
                                  verbose_name="测评标准")
    result = models.CharField("结果", max_length=10, choices=Result.choices)
    problem = models.OneToOneField("Problem", models.SET_NULL, null=True, blank=True,
                                   related_name="finding", verbose_name="问题")

    class Meta:
        verbose_name = "检查结果"
        verbose_name_plural = "检查结果"
        constraints = [models.UniqueConstraint(fields=["inspection", "criterion"],
                                               name="finding_once_per_criterion")]

    def __str__(self):
        return f"{self.criterion.code} {self.get_result_display()}"


class Problem(models.Model):
    class Status(models.TextChoices):
        FOUND = "found", "待交办"
        DISPATCHED = "dispatched", "整改中"
        SUBMITTED = "submitted", "待复查"
        REJECTED = "rejected", "复查未通过"
        DISPUTED = "disputed", "申诉中"
        CLOSED = "closed", "已销号"
        CANCELLED = "cancelled", "已撤销"

    class Severity(models.TextChoices):
        IMMEDIATE = "immediate", "立行立改"
        NORMAL = "normal", "一般"
        SERIOUS = "serious", "较重"

    class Source(models.TextChoices):
        INSPECTION = "inspection", "督查"
        CITIZEN = "citizen", "随手拍"
        VISIT = "visit", "入户走访"

    class LocationSource(models.TextChoices):
        SITE = "site", "点位坐标"
        PHOTO = "photo", "照片GPS"
        CITIZEN = "citizen", "群众上报"
        NONE = "", "无"

    # The unit's clock runs in these statuses; they can go overdue.
    OPEN_FOR_UNIT = (Status.DISPATCHED, Status.REJECTED)
    FINISHED = (Status.CLOSED, Status.CANCELLED)

    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="problems",
                                 verbose_name="创建活动")
    site = models.ForeignKey(Site, models.PROTECT, null=True, blank=True,
                             related_name="problems", verbose_name="点位")
    criterion = models.ForeignKey(Criterion, models.PROTECT, null=True, blank=True,
                                  related_name="problems", verbose_name="测评标准")
    # Copied from the site and criterion when found, so the ledger keeps what
    # held at that time and filters without joins.
    area = models.ForeignKey(Area, models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name="测评项目")
    category = models.ForeignKey(SiteCategory, models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name="点位类别")
    district = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name="所属县区")
    responsible_unit = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True,
                                         related_name="campaign_problems",
                                         verbose_name="责任单位")
    inspection = models.ForeignKey(Inspection, models.PROTECT, null=True, blank=True,
                                   related_name="problems", verbose_name="督查记录")
    inspector = models.ForeignKey(USER, models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name="发现人")
    source = models.CharField("来源", max_length=12, choices=Source.choices,
                              default=Source.INSPECTION)
    description = models.TextField("问题描述")
    severity = models.CharField("问题等级", max_length=10, choices=Severity.choices,
                                default=Severity.NORMAL)
    found_at = models.DateTimeField("发现时间")
    lat = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    location_source = models.CharField("位置来源", max_length=10, blank=True,
                                       choices=LocationSource.choices)
    status = models.CharField("状态", max_length=12, choices=Status.choices,
                              default=Status.FOUND)
    deadline = models.DateTimeField("整改时限", null=True, blank=True)
    dispatched_at = models.DateTimeField("交办时间", null=True, blank=True)
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    is_overdue = models.BooleanField("逾期", default=False)
    escalation_level = models.PositiveSmallIntegerField("督办级别", default=0)
    # The deadline a reminder was last sent for; a new deadline gets a new one.
    reminded_for = models.DateTimeField(null=True, blank=True, editable=False)
    is_repeat = models.BooleanField("重复发现", default=False)
    repeat_of = models.ForeignKey("self", models.SET_NULL, null=True, blank=True,
                                  related_name="repeats", verbose_name="前次问题")
    client_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    # The time of the latest event that changed its status, unit or deadline.
    # Scoring reads the problems untouched since a period began straight from
    # these columns (their state held throughout) and replays only the rest.
    # Defaulting to now errs safe: a problem looks recently changed, never quiet.
    last_transition_at = models.DateTimeField(default=timezone.now, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "问题"
        verbose_name_plural = "问题台账"
        ordering = ["-found_at", "-id"]
        indexes = [
            # Keyset pagination of the ledger, alone and under the common filters.
            models.Index(fields=["-found_at", "-id"], name="problem_ledger"),
            models.Index(fields=["status", "-found_at", "-id"], name="problem_ledger_status"),
            models.Index(fields=["district", "-found_at", "-id"], name="problem_ledger_district"),
            models.Index(fields=["responsible_unit", "-found_at", "-id"],
                         name="problem_ledger_unit"),
            models.Index(fields=["area", "-found_at", "-id"], name="problem_ledger_area"),
            models.Index(fields=["category", "-found_at", "-id"], name="problem_ledger_category"),
            models.Index(fields=["-found_at", "-id"], name="problem_ledger_overdue",
                         condition=Q(is_overdue=True)),
            models.Index(fields=["-found_at", "-id"], name="problem_ledger_repeat",
                         condition=Q(is_repeat=True)),
            models.Index(fields=["status"], name="problem_status"),
            models.Index(fields=["district", "status"], name="problem_district_status"),
            models.Index(fields=["responsible_unit", "status", "deadline"],
                         name="problem_unit_queue"),
            models.Index(fields=["site", "criterion", "-found_at"], name="problem_repeat"),
            # The tick only looks at problems whose unit's clock is running.
            models.Index(fields=["deadline"], name="problem_open_deadline",
                         condition=Q(status__in=["dispatched", "rejected"])),
            models.Index(fields=["campaign", "last_transition_at"], name="problem_transition"),
            # 随手拍's "nearby already": problems in a small box of degrees. Not
            # a partial index on open statuses: SQLite cannot match a partial
            # index's condition against bound parameters, and would scan.
            models.Index(fields=["lat", "lng"], name="problem_location"),
        ]

    @classmethod
    def overdue_at(cls, moment):
        """Overdue as every published figure counts it: still with the unit
        and past its deadline at `moment`. The `is_overdue` flag is the tick's
        bookkeeping for notices and escalation and may lag behind the clock."""
        return Q(status__in=cls.OPEN_FOR_UNIT, deadline__lt=moment)

    def is_overdue_at(self, moment):
        """The same test for one problem already loaded."""
        return (self.status in self.OPEN_FOR_UNIT and self.deadline is not None
                and self.deadline < moment)

    def __str__(self):
        where = self.site.name if self.site_id else "群众上报"
        return f"问题#{self.pk}（{where}）"

    @property
    def title(self):
        text = " ".join(self.description.split())
        return text[:40] + ("…" if len(text) > 40 else "")


class ProblemEvent(models.Model):
    """One line of a problem's timeline: every transition, with who, when,
    what was said and which photos came with it."""

    # The actions that change a problem's status, unit or deadline (the
    # rest — reminders, overdue marks, escalations — only annotate it).
    TRANSITION_ACTIONS = ("create", "dispatch", "submit", "dispute", "reassign", "dismiss",
                          "verify", "reject", "cancel")

    problem = models.ForeignKey(Problem, models.CASCADE, related_name="events",
                                verbose_name="问题")
    action = models.CharField("动作", max_length=20)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    actor = models.ForeignKey(USER, models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name="操作人")
    at = models.DateTimeField("时间")
    note = models.TextField("说明", blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "问题动态"
        verbose_name_plural = "问题动态"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["problem", "at"], name="problem_event_timeline")]

    def __str__(self):
        return f"{self.problem_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class Rectification(models.Model):
    class Result(models.TextChoices):
        PENDING = "pending", "待复查"
        VERIFIED = "verified", "复查通过"
        REJECTED = "rejected", "复查未通过"

    problem = models.ForeignKey(Problem, models.CASCADE, related_name="rectifications",
                                verbose_name="问题")
    submitted_by = models.ForeignKey(USER, models.PROTECT, related_name="+",
                                     verbose_name="提交人")
    submitted_at = models.DateTimeField("提交时间")
    text = models.TextField("整改情况")
    result = models.CharField("复查结果", max_length=10, choices=Result.choices,
                              default=Result.PENDING)
    reviewed_by = models.ForeignKey(USER, models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="复查人")
    reviewed_at = models.DateTimeField("复查时间", null=True, blank=True)
    review_note = models.TextField("复查意见", blank=True)

    class Meta:
        verbose_name = "整改"
        verbose_name_plural = "整改"
        ordering = ["submitted_at", "id"]

    def __str__(self):
        return f"问题#{self.problem_id}的整改（{self.get_result_display()}）"


class ProblemPhoto(models.Model):
    """A re-encoded copy without EXIF: the only copy kept, so no one ever
    sees a photo's metadata."""

    class Stage(models.TextChoices):
        FOUND = "found", "问题照片"
        AFTER = "after", "整改照片"
        REVIEW = "review", "复查照片"

    problem = models.ForeignKey(Problem, models.CASCADE, related_name="photos",
                                verbose_name="问题")
    event = models.ForeignKey(ProblemEvent, models.CASCADE, null=True, blank=True,
                              related_name="photos")
    rectification = models.ForeignKey(Rectification, models.CASCADE, null=True, blank=True,
                                      related_name="photos")
    stage = models.CharField("类别", max_length=10, choices=Stage.choices)
    image = models.FileField("照片", upload_to="campaign/photos/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "照片"
        verbose_name_plural = "照片"
        ordering = ["id"]

    def __str__(self):
        return f"问题#{self.problem_id}{self.get_stage_display()}"


class SupervisionNotice(models.Model):
    """督办单: numbered per year, one per problem and level."""

    class Level(models.IntegerChoices):
        ONE = 1, "一级督办"
        TWO = 2, "二级督办"
        THREE = 3, "三级督办"

    problem = models.ForeignKey(Problem, models.PROTECT, related_name="notices",
                                verbose_name="问题")
    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveIntegerField("序号")
    prefix = models.CharField("文号前缀", max_length=20)
    level = models.PositiveSmallIntegerField("级别", choices=Level.choices)
    reason = models.CharField("督办事由", max_length=200)
    # What the notice says, fixed when it is issued; the PDF is rendered from it.
    content = models.JSONField(default=dict)
    issued_at = models.DateTimeField("签发时间")
    issued_by = models.ForeignKey(USER, models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name="签发人")

    class Meta:
        verbose_name = "督办单"
        verbose_name_plural = "督办单"
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "seq"], name="notice_unique_number"),
            models.UniqueConstraint(fields=["problem", "level"], name="notice_once_per_level"),
        ]

    def __str__(self):
        return self.number

    @property
    def number(self):
        return f"{self.prefix}〔{self.year}〕{self.seq}号"


class NoticeCounter(models.Model):
    """The last notice number of a year; locked while a number is drawn."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


class Notification(models.Model):
    """A message to a unit's robot. `key` names what it is about, so the
    same fact is never queued twice; sent ones are never sent again."""

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    key = models.CharField(max_length=200, unique=True)
    unit = models.ForeignKey(Unit, models.CASCADE, null=True, blank=True, related_name="+",
                             verbose_name="单位")
    kind = models.CharField("类别", max_length=20)
    title = models.CharField("标题", max_length=200)
    text = models.TextField("内容")
    mobiles = models.JSONField(default=list, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices,
                              default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("发送次数", default=0)
    last_error = models.CharField("错误", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="notification_outbox")]

    def __str__(self):
        return self.title


class CitizenReport(models.Model):
    """随手拍: a problem reported by the public, triaged by the office."""

    class Status(models.TextChoices):
        RECEIVED = "received", "待处理"
        ACCEPTED = "accepted", "已受理"
        REJECTED = "rejected", "不予受理"

    class Via(models.TextChoices):
        WEB = "web", "网页"
        OPEN311 = "open311", "Open311"

    tracking_code = models.CharField("查询码", max_length=16, unique=True)
    # The signed form's nonce: a retried submit of the same form finds this
    # report instead of making another.
    client_key = models.CharField(max_length=64, unique=True, null=True, blank=True,
                                  editable=False)
    service_code = models.CharField("问题类型", max_length=20)
    description = models.TextField("问题描述")
    address = models.CharField("地址", max_length=200, blank=True)
    lat = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    photo = models.FileField("照片", upload_to="campaign/reports/%Y/%m/", blank=True)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    via = models.CharField("渠道", max_length=10, choices=Via.choices, default=Via.WEB)
    # The sender's address: the hourly limit per address counts these rows.
    submitter_ip = models.GenericIPAddressField(null=True, blank=True, editable=False)
    status = models.CharField("状态", max_length=10, choices=Status.choices,
                              default=Status.RECEIVED)
    reject_reason = models.TextField("不予受理理由", blank=True)
    problem = models.OneToOneField(Problem, models.SET_NULL, null=True, blank=True,
                                   related_name="citizen_report", verbose_name="转为问题")
    triaged_by = models.ForeignKey(USER, models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="处理人")
    triaged_at = models.DateTimeField("处理时间", null=True, blank=True)
    created_at = models.DateTimeField("上报时间", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "随手拍"
        verbose_name_plural = "随手拍"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"], name="report_triage"),
                   models.Index(fields=["submitter_ip", "created_at"], name="report_rate")]

    def __str__(self):
        return f"随手拍 {self.tracking_code}"
