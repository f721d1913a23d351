import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from wenming.accounts.models import Unit

DISTRICT_KINDS = {Unit.Kind.DISTRICT, Unit.Kind.COUNTY, Unit.Kind.ZONE}
STREET_KINDS = {Unit.Kind.STREET, Unit.Kind.TOWNSHIP}
VARIANT_LETTERS = ["A", "B", "C", "D"]
# The per-response columns of the four rates, named as the glossary names the rates.
RATES = ["awareness", "support", "participation", "satisfaction"]
SMALL_SAMPLE = 30


class Rate(models.TextChoices):
    AWARENESS = "awareness", "知晓率"
    SUPPORT = "support", "支持率"
    PARTICIPATION = "participation", "参与率"
    SATISFACTION = "satisfaction", "满意率"


class RespondentGroup(models.TextChoices):
    RESIDENT = "resident", "居民"
    SHOPKEEPER = "shopkeeper", "商户"
    STUDENT = "student", "学生"
    WORKER = "worker", "机关企事业单位职工"
    VISITOR = "visitor", "外来务工及游客"
    OTHER = "other", "其他"


def _public_token():
    return secrets.token_urlsafe(12)


class Questionnaire(models.Model):
    """One version of a questionnaire. A version is edited while it is a
    draft and frozen once in use, so every response can be read against the
    exact questions it answered; a change is a new version."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        ACTIVE = "active", "使用中"
        CLOSED = "closed", "已停用"

    title = models.CharField("问卷名称", max_length=100)
    version = models.PositiveSmallIntegerField("版本", default=1)
    previous = models.ForeignKey("self", models.PROTECT, null=True, blank=True,
                                 related_name="next_versions", verbose_name="上一版本")
    intro = models.TextField("开头语", blank=True, help_text="向受访者说明调查目的，每段一行")
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.DRAFT)
    is_public = models.BooleanField("开放网络填报", default=False)
    public_token = models.CharField(max_length=32, unique=True, default=_public_token,
                                    editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                   related_name="+", verbose_name="创建人")
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField("启用时间", null=True, blank=True)

    class Meta:
        verbose_name = "问卷"
        verbose_name_plural = "问卷"
        ordering = ["title", "-version"]
        constraints = [models.UniqueConstraint(fields=["title", "version"],
                                               name="questionnaire_unique_version")]

    def __str__(self):
        return f"《{self.title}》第{self.version}版"

    @property
    def is_frozen(self):
        return self.status != self.Status.DRAFT

    def questions_for(self, letter):
        return [q for q in self.questions.all() if q.applies_to(letter)]


class Variant(models.Model):
    """A/B/C/D: the form of the questionnaire put to one respondent group."""

    questionnaire = models.ForeignKey(Questionnaire, models.CASCADE, related_name="variants",
                                      verbose_name="问卷")
    letter = models.CharField("卷别", max_length=1, choices=[(x, f"{x}卷") for x in VARIANT_LETTERS])
    group = models.CharField("受访群体", max_length=16, choices=RespondentGroup.choices)

    class Meta:
        verbose_name = "问卷卷别"
        verbose_name_plural = "问卷卷别"
        ordering = ["questionnaire", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "letter"], name="variant_unique_letter"),
            models.UniqueConstraint(fields=["questionnaire", "group"], name="variant_unique_group"),
        ]

    def __str__(self):
        return f"{self.letter}卷（{self.get_group_display()}）"


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "单选"
        MULTIPLE = "multiple", "多选"
        SCALE = "scale", "量表"
        TEXT = "text", "填空"

    questionnaire = models.ForeignKey(Questionnaire, models.CASCADE, related_name="questions",
                                      verbose_name="问卷")
    order = models.PositiveSmallIntegerField("序号", default=0)
    kind = models.CharField("题型", max_length=8, choices=Kind.choices)
    text = models.CharField("题目", max_length=300)
    options = models.JSONField("选项", default=list, blank=True)
    scale_min = models.SmallIntegerField("量表最小值", default=1)
    scale_max = models.SmallIntegerField("量表最大值", default=5)
    hint = models.CharField("说明", max_length=200, blank=True, help_text="如：1 表示很不满意，5 表示很满意")
    variants = models.CharField("适用卷别", max_length=4, blank=True, help_text="留空表示各卷通用")
    required = models.BooleanField("必答", default=True)
    rate = models.CharField("计入比率", max_length=16, choices=Rate.choices, blank=True)
    # Which answers count towards the rate: chosen options for single and
    # multiple choice (any one of them counts), a lowest value for a scale.
    positive_options = models.JSONField("计入的选项", default=list, blank=True)
    positive_from = models.SmallIntegerField("计入的最低分值", null=True, blank=True)

    class Meta:
        verbose_name = "题目"
        verbose_name_plural = "题目"
        ordering = ["questionnaire", "order", "id"]

    def __str__(self):
        return f"{self.order}. {self.text}"

    def applies_to(self, letter):
        return not self.variants or letter in self.variants

    @property
    def field_name(self):
        return f"q{self.pk}"

    @property
    def scale_values(self):
        return list(range(self.scale_min, self.scale_max + 1))

    @property
    def counting_text(self):
        if not self.rate:
            return ""
        if self.kind == self.Kind.SCALE:
            return f"{self.positive_from}分及以上"
        return "、".join(self.positive_options)


class Assignment(models.Model):
    """An area (street or community) or a list of households given to a
    volunteer or staff member to visit."""

    class Status(models.TextChoices):
        OPEN = "open", "进行中"
        DONE = "done", "已完成"

    questionnaire = models.ForeignKey(Questionnaire, models.PROTECT, related_name="assignments",
                                      verbose_name="问卷")
    area = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="走访区域")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT,
                                 related_name="visit_assignments", verbose_name="走访人员")
    households = models.TextField("走访户", blank=True, help_text="每行一户，如：七一路社区3号楼2单元101")
    target = models.PositiveIntegerField("计划走访户数", default=0)
    due_date = models.DateField("完成期限", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                   related_name="+", verbose_name="派发人")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "走访任务"
        verbose_name_plural = "走访任务"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.area.name}走访任务（{self.assignee}）"

    @property
    def household_list(self):
        return [h.strip() for h in self.households.splitlines() if h.strip()]


class Visit(models.Model):
    """A door-to-door visit as recorded on a phone. `client_id` is made by
    the form before it is sent, so a resent form finds the visit it already
    made instead of making a second one."""

    client_id = models.UUIDField("提交编号", unique=True, default=uuid.uuid4)
    assignment = models.ForeignKey(Assignment, models.PROTECT, null=True, blank=True,
                                   related_name="visits", verbose_name="走访任务")
    questionnaire = models.ForeignKey(Questionnaire, models.PROTECT, related_name="visits",
                                      verbose_name="问卷")
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="visits",
                                verbose_name="走访人")
    area = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="所在区域")
    address = models.CharField("门牌地址", max_length=200, blank=True)
    visited_on = models.DateField("走访日期")
    note = models.TextField("走访记录", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "入户走访"
        verbose_name_plural = "入户走访"
        ordering = ["-visited_on", "-id"]

    def __str__(self):
        return f"{self.area.name}{self.address}走访"


class IssueRaised(models.Model):
    """Something a respondent asked to be fixed. It may be passed to the
    problem ledger; the ledger's id is kept without a foreign key so that
    surveys work where the campaign module is not installed."""

    visit = models.ForeignKey(Visit, models.CASCADE, related_name="issues", verbose_name="走访")
    text = models.CharField("反映的问题", max_length=500)
    ledger_problem_id = models.PositiveBigIntegerField("台账问题编号", null=True, blank=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                  blank=True, related_name="+", verbose_name="转台账人")
    raised_at = models.DateTimeField("转台账时间", null=True, blank=True)

    class Meta:
        verbose_name = "群众反映问题"
        verbose_name_plural = "群众反映问题"
        ordering = ["visit", "id"]

    def __str__(self):
        return self.text[:40]


class Response(models.Model):
    """One completed questionnaire from either channel. The rate columns
    are worked out when the response is saved (True counts, False does not,
    NULL means the rate was not asked or not answered), and the district,
    street and date are kept on the row, so the four rates of any cut are
    one GROUP BY without joins."""

    class Channel(models.TextChoices):
        VISIT = "visit", "入户走访"
        ONLINE = "online", "网络问卷"

    questionnaire = models.ForeignKey(Questionnaire, models.PROTECT, related_name="responses",
                                      verbose_name="问卷")
    variant = models.CharField("卷别", max_length=1)
    group = models.CharField("受访群体", max_length=16, choices=RespondentGroup.choices)
    channel = models.CharField("渠道", max_length=8, choices=Channel.choices)
    visit = models.OneToOneField(Visit, models.CASCADE, null=True, blank=True,
                                 related_name="response", verbose_name="走访")
    device_token = models.CharField("设备标识", max_length=64, blank=True)
    # The sender's address of an online response: the hourly limit per
    # address counts these rows (the audit event of the submit holds it too).
    submitter_ip = models.GenericIPAddressField(null=True, blank=True, editable=False)
    district = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="县区")
    street = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="街道（乡镇）")
    area = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="所在区域")
    answered_on = models.DateField("填答日期")
    awareness = models.BooleanField("知晓", null=True)
    support = models.BooleanField("支持", null=True)
    participation = models.BooleanField("参与", null=True)
    satisfaction = models.BooleanField("满意", null=True)
    answers = models.JSONField("答案", default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "问卷答卷"
        verbose_name_plural = "问卷答卷"
        ordering = ["-answered_on", "-id"]
        indexes = [
            # Covering: a period's rates by district, group or channel are
            # read from the index alone, on SQLite as on PostgreSQL.
            models.Index(fields=["answered_on", "district", "group", "channel", *RATES],
                         name="response_rates_idx"),
            models.Index(fields=["street", "answered_on"], name="response_street_idx"),
            models.Index(fields=["submitter_ip", "created_at"], name="response_rate_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "device_token"],
                                    condition=Q(channel="online"),
                                    name="response_one_per_device"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()}答卷 {self.pk}"


class DistrictPopulation(models.Model):
    """Resident population the office enters, the weights of post-stratification."""

    district = models.OneToOneField(Unit, models.PROTECT, related_name="+", verbose_name="县区")
    population = models.PositiveIntegerField("常住人口")
    year = models.PositiveSmallIntegerField("统计年度")
    source = models.CharField("数据来源", max_length=100, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                   related_name="+", verbose_name="录入人")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "县区人口"
        verbose_name_plural = "县区人口"
        ordering = ["district__path"]

    def __str__(self):
        return f"{self.district.name}{self.year}年常住人口"
