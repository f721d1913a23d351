from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from wenming.accounts.models import Unit
from wenming.core.idcard import mask_id_number, mask_phone
from wenming.core.text import chinese_date
from wenming.credit import bases


class Entity(models.Model):
    """A market entity or a natural person that can be listed. Legal persons
    are known by their credit code; persons by their ID number, which like
    their phone is kept for matching and never shown in full."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", "企业"
        INDIVIDUAL_BUSINESS = "individual_business", "个体工商户"
        MARKET = "market", "市场"
        SOCIAL_ORGANISATION = "social_organisation", "社会组织"
        PERSON = "person", "自然人"

    name = models.CharField("名称", max_length=200)
    # Normalised name (see credit.names) for matching names across sources.
    name_key = models.CharField(max_length=200, db_index=True, editable=False)
    code = models.CharField("统一社会信用代码", max_length=18, blank=True,
                            help_text="18位统一社会信用代码，或旧的15位工商注册号")
    kind = models.CharField("主体类型", max_length=24, choices=Kind.choices,
                            default=Kind.ENTERPRISE)
    legal_representative = models.CharField("法定代表人（负责人）", max_length=50, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    district = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name="所在县（市、区）")
    id_number = models.CharField("身份证号码", max_length=18, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "主体"
        verbose_name_plural = "主体"
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""),
                                    name="credit_entity_unique_code"),
            models.UniqueConstraint(fields=["id_number"], condition=~Q(id_number=""),
                                    name="credit_entity_unique_id_number"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        from wenming.credit.names import name_key

        self.name_key = name_key(self.name)
        super().save(*args, **kwargs)

    @property
    def is_person(self):
        return self.kind == self.Kind.PERSON

    @property
    def masked_id_number(self):
        return mask_id_number(self.id_number) if self.id_number else ""

    @property
    def masked_phone(self):
        return mask_phone(self.phone) if self.phone else ""

    @property
    def public_identifier(self):
        """What a public page may print to identify the entity."""
        return self.masked_id_number if self.is_person else self.code


class CreditList(models.Model):
    """One year's red or black list of legal or natural persons. Departments
    upload listings while it is collecting; the office reviews it, puts it on
    public notice and publishes it, after which it is frozen."""

    class Color(models.TextChoices):
        RED = bases.RED, "红名单"
        BLACK = bases.BLACK, "黑名单"

    class Subject(models.TextChoices):
        LEGAL = "legal", "法人"
        NATURAL = "natural", "自然人"

    class Status(models.TextChoices):
        COLLECTING = "collecting", "报送中"
        IN_REVIEW = "in_review", "审核中"
        NOTICE = "notice", "公示中"
        PUBLISHED = "published", "已发布"
        # A published list whose correction has been published since: still
        # readable as it was, no longer in force.
        SUPERSEDED = "superseded", "已被更正"

    year = models.PositiveSmallIntegerField("年度")
    color = models.CharField("类别", max_length=8, choices=Color.choices)
    subject = models.CharField("对象", max_length=8, choices=Subject.choices,
                               default=Subject.LEGAL)
    title = models.CharField("名称", max_length=100)
    status = models.CharField("状态", max_length=16, choices=Status.choices,
                              default=Status.COLLECTING)
    review_comment = models.TextField("审核意见", blank=True)
    notice_days = models.PositiveSmallIntegerField("公示期（天）", null=True, blank=True)
    notice_start = models.DateField("公示开始", null=True, blank=True)
    notice_end = models.DateField("公示截止", null=True, blank=True)
    number = models.CharField("发布文号", max_length=40, blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                     blank=True, related_name="+", verbose_name="发布人")
    # The rows as published: the public page prints these, never the live rows.
    snapshot = models.JSONField("发布内容", null=True, blank=True, editable=False)
    pdf = models.FileField("PDF", upload_to="credit/lists/%Y/", blank=True)
    xlsx = models.FileField("Excel", upload_to="credit/lists/%Y/", blank=True)
    # A correction of a published list is a new version pointing at the old.
    supersedes = models.OneToOneField("self", models.PROTECT, null=True, blank=True,
                                      related_name="superseded_by", verbose_name="更正自")
    version = models.PositiveSmallIntegerField("版本", default=1)
    correction_reason = models.TextField("更正原因", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                   related_name="+", verbose_name="创建人")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "名单"
        verbose_name_plural = "名单"
        ordering = ["-year", "subject", "color", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "color", "subject"],
                                    condition=Q(supersedes__isnull=True),
                                    name="credit_list_unique_kind_in_year"),
        ]

    def __str__(self):
        return self.title

    @property
    def kind_label(self):
        """法人红名单"""
        return f"{self.get_subject_display()}{self.get_color_display()}"

    @property
    def is_frozen(self):
        return self.status in (self.Status.PUBLISHED, self.Status.SUPERSEDED)

    @property
    def correction(self):
        """The version that corrects this one, or None."""
        try:
            return self.superseded_by
        except CreditList.DoesNotExist:
            return None

    @property
    def current_version(self):
        """The published version in force that replaced this one, following
        the chain of corrections; None while this one is in force."""
        if self.status != self.Status.SUPERSEDED:
            return None
        newer = self.correction
        while newer.status == self.Status.SUPERSEDED:
            newer = newer.correction
        return newer

    @property
    def notice_text(self):
        if not self.notice_start:
            return ""
        return f"{chinese_date(self.notice_start)}至{chinese_date(self.notice_end)}"

    @property
    def is_natural(self):
        return self.subject == self.Subject.NATURAL

    @property
    def published_text(self):
        return chinese_date(self.published_on)


class Upload(models.Model):
    """One department's accepted sheet of listings."""

    credit_list = models.ForeignKey(CreditList, models.PROTECT, related_name="uploads",
                                    verbose_name="名单")
    department = models.ForeignKey(Unit, models.PROTECT, related_name="+",
                                   verbose_name="报送部门")
    file = models.FileField("文件", upload_to="credit/uploads/%Y/")
    filename = models.CharField("文件名", max_length=200)
    rows = models.PositiveIntegerField("条数", default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                    verbose_name="报送人")
    created_at = models.DateTimeField("报送时间", auto_now_add=True)

    class Meta:
        verbose_name = "报送批次"
        verbose_name_plural = "报送批次"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.department}：{self.filename}"


class Listing(models.Model):
    """An entity's entry on a list: why, on whose finding, with what evidence."""

    class Status(models.TextChoices):
        ACTIVE = "active", "列入"
        WITHDRAWN = "withdrawn", "不予列入"
        REMOVED = "removed", "已移出"

    credit_list = models.ForeignKey(CreditList, models.PROTECT, related_name="listings",
                                    verbose_name="名单")
    entity = models.ForeignKey(Entity, models.PROTECT, related_name="listings",
                               verbose_name="主体")
    basis = models.CharField("列入事由类别", max_length=24, choices=bases.CHOICES)
    basis_detail = models.TextField("具体事由", blank=True)
    department = models.ForeignKey(Unit, models.PROTECT, related_name="+",
                                   verbose_name="认定部门")
    document_number = models.CharField("认定文书号", max_length=100)
    attachment = models.FileField("证明材料", upload_to="credit/evidence/%Y/", blank=True)
    decided_on = models.DateField("认定日期")
    valid_until = models.DateField("有效期至", null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices,
                              default=Status.ACTIVE)
    seq = models.PositiveIntegerField("序号", null=True, blank=True)
    withdrawn_reason = models.TextField("不予列入理由", blank=True)
    removed_on = models.DateField("移出日期", null=True, blank=True)
    removal_reason = models.CharField("移出原因", max_length=200, blank=True)
    upload = models.ForeignKey(Upload, models.PROTECT, null=True, blank=True,
                               related_name="listings", verbose_name="报送批次")
    row_number = models.PositiveIntegerField("表格行号", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "列入记录"
        verbose_name_plural = "列入记录"
        ordering = ["credit_list", "seq", "id"]
        indexes = [models.Index(fields=["entity", "status"])]

    def __str__(self):
        return f"{self.entity}（{self.credit_list.kind_label}）"

    @property
    def basis_label(self):
        return self.get_basis_display()

    @property
    def is_published(self):
        return self.credit_list.status == CreditList.Status.PUBLISHED

    def is_current(self, today=None):
        """On a published list, not removed, not past its validity."""
        today = today or timezone.localdate()
        return (self.is_published and self.status == self.Status.ACTIVE
                and (self.valid_until is None or self.valid_until >= today))

    def state_label(self, today=None):
        if self.status == self.Status.REMOVED:
            return f"已移出（{chinese_date(self.removed_on)}）"
        if self.status == self.Status.WITHDRAWN:
            return "不予列入"
        if not self.is_published:
            return self.credit_list.get_status_display()
        if not self.is_current(today):
            return f"已期满（{chinese_date(self.valid_until)}）"
        return "有效"


class Objection(models.Model):
    """An objection (异议) raised against a listing during review or notice."""

    class Status(models.TextChoices):
        OPEN = "open", "待处理"
        UPHELD = "upheld", "异议成立"
        REJECTED = "rejected", "异议不成立"

    listing = models.ForeignKey(Listing, models.PROTECT, related_name="objections",
                                verbose_name="列入记录")
    objector = models.CharField("异议人", max_length=100)
    contact = models.CharField("联系电话", max_length=20, blank=True)
    content = models.TextField("异议内容")
    received_on = models.DateField("收到日期")
    status = models.CharField("状态", max_length=12, choices=Status.choices,
                              default=Status.OPEN)
    resolution = models.TextField("处理意见", blank=True)
    # Empty for an objection filed online by the public (see tracking_code).
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                    blank=True, related_name="+", verbose_name="登记人")
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                    blank=True, related_name="+", verbose_name="处理人")
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)
    tracking_code = models.CharField("查询码", max_length=16, blank=True, editable=False)
    submitter_ip = models.GenericIPAddressField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "异议"
        verbose_name_plural = "异议"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["submitter_ip", "created_at"])]
        constraints = [models.UniqueConstraint(fields=["tracking_code"],
                                               condition=~Q(tracking_code=""),
                                               name="credit_objection_unique_tracking_code")]

    def __str__(self):
        return f"{self.objector}对{self.listing.entity}的异议"


class Restoration(models.Model):
    """An entity's application for credit restoration (信用修复) of one
    black-list listing; the listing department decides."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待审核"
        APPROVED = "approved", "准予修复"
        REJECTED = "rejected", "不予修复"

    listing = models.ForeignKey(Listing, models.PROTECT, related_name="restorations",
                                verbose_name="列入记录")
    number = models.CharField("申请编号", max_length=30, unique=True)
    applicant = models.CharField("申请人", max_length=100)
    contact = models.CharField("联系电话", max_length=20, blank=True)
    reason = models.TextField("申请理由及信用承诺")
    commitment = models.TextField("信用承诺", blank=True)
    evidence_note = models.TextField("证明材料说明", blank=True)
    evidence = models.FileField("证明材料", upload_to="credit/restorations/%Y/", blank=True)
    applied_on = models.DateField("申请日期")
    status = models.CharField("状态", max_length=12, choices=Status.choices,
                              default=Status.SUBMITTED)
    decision_note = models.TextField("审核意见", blank=True)
    # Empty for an application the entity submitted online.
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                    blank=True, related_name="+", verbose_name="登记人")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                   blank=True, related_name="+", verbose_name="审核人")
    decided_on = models.DateField("审核日期", null=True, blank=True)
    tracking_code = models.CharField("查询码", max_length=16, blank=True, editable=False)
    submitter_ip = models.GenericIPAddressField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "信用修复申请"
        verbose_name_plural = "信用修复申请"
        ordering = ["-applied_on", "-id"]
        indexes = [models.Index(fields=["submitter_ip", "created_at"])]
        constraints = [
            models.UniqueConstraint(fields=["listing"], condition=Q(status="submitted"),
                                    name="credit_one_pending_restoration"),
            models.UniqueConstraint(fields=["tracking_code"], condition=~Q(tracking_code=""),
                                    name="credit_restoration_unique_tracking_code"),
        ]

    def __str__(self):
        return f"{self.number}（{self.listing.entity}）"


class Report(models.Model):
    """A numbered credit report (信用报告) for one entity, as issued; the
    verification code lets anyone check it on the public page."""

    entity = models.ForeignKey(Entity, models.PROTECT, related_name="reports",
                               verbose_name="主体")
    number = models.CharField("报告编号", max_length=30, unique=True)
    verification_code = models.CharField("验证码", max_length=20)
    purpose = models.CharField("用途", max_length=100, blank=True)
    content = models.JSONField("报告内容", editable=False)
    pdf = models.FileField("PDF", upload_to="credit/reports/%Y/", blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                  verbose_name="出具人")
    issued_at = models.DateTimeField("出具时间", default=timezone.now)

    class Meta:
        verbose_name = "信用报告"
        verbose_name_plural = "信用报告"
        ordering = ["-issued_at", "-id"]

    def __str__(self):
        return self.number
