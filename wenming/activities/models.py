from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from wenming.accounts.models import Unit
from wenming.core.text import chinese_date, paragraphs


class CivilizedUnit(models.Model):
    """One civilization title (文明称号) held by a unit, a village or town, a
    campus or a family, with its validity period. A family's title belongs
    to the unit (community, village) it lives in, which keeps it in that
    unit's scope."""

    class Category(models.TextChoices):
        UNIT = "unit", "文明单位"
        VILLAGE_TOWN = "village_town", "文明村镇"
        CAMPUS = "campus", "文明校园"
        FAMILY = "family", "文明家庭"

    class Level(models.TextChoices):
        NATIONAL = "national", "全国"
        PROVINCIAL = "provincial", "省级"
        MUNICIPAL = "municipal", "市级"

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="civilized_titles",
                             verbose_name="所属单位")
    holder_name = models.CharField("称号获得者", max_length=100,
                                   help_text="命名文件上的名称；文明家庭填户主姓名加“家庭”")
    category = models.CharField("称号类别", max_length=16, choices=Category.choices)
    level = models.CharField("级别", max_length=16, choices=Level.choices)
    awarded_on = models.DateField("命名日期")
    valid_until = models.DateField("有效期至")
    batch = models.CharField("届次/批次", max_length=50, blank=True, help_text="如：第七届")
    document_no = models.CharField("命名文号", max_length=100, blank=True)
    revoked_on = models.DateField("撤销日期", null=True, blank=True)
    revoke_reason = models.CharField("撤销原因", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                   related_name="+", verbose_name="登记人")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "文明称号"
        verbose_name_plural = "文明称号"
        ordering = ["valid_until", "holder_name"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gt=F("awarded_on")),
                                   name="title_valid_after_award"),
            models.UniqueConstraint(fields=["holder_name", "category", "level", "awarded_on"],
                                    name="title_unique_award"),
        ]

    def __str__(self):
        return f"{self.holder_name}（{self.title_name}）"

    @property
    def title_name(self):
        return f"{self.get_level_display()}{self.get_category_display()}"

    def status(self, today=None):
        today = today or date.today()
        if self.revoked_on:
            return "revoked"
        return "expired" if self.valid_until < today else "active"

    def status_label(self, today=None):
        return {"revoked": "已撤销", "expired": "已到期", "active": "有效"}[self.status(today)]

    @property
    def awarded_text(self):
        return chinese_date(self.awarded_on)

    @property
    def valid_until_text(self):
        return chinese_date(self.valid_until)


class AnnualReview(models.Model):
    """The yearly check (年度复查) of a title."""

    class Result(models.TextChoices):
        PASSED = "passed", "合格"
        CONDITIONAL = "conditional", "限期整改"
        FAILED = "failed", "不合格"

    title = models.ForeignKey(CivilizedUnit, models.CASCADE, related_name="reviews",
                              verbose_name="称号")
    year = models.PositiveSmallIntegerField("复查年度")
    result = models.CharField("复查结果", max_length=16, choices=Result.choices)
    note = models.TextField("复查意见", blank=True)
    reviewed_on = models.DateField("复查日期")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT,
                                    related_name="+", verbose_name="登记人")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "年度复查"
        verbose_name_plural = "年度复查"
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["title", "year"],
                                               name="review_once_a_year")]

    def __str__(self):
        return f"{self.title.holder_name}{self.year}年度复查：{self.get_result_display()}"


class ThemedCampaign(models.Model):
    """A themed campaign (专项活动) such as the one over the two festivals;
    units report their activities into it while it is open."""

    class Status(models.TextChoices):
        OPEN = "open", "报送中"
        CLOSED = "closed", "已结束"

    title = models.CharField("活动名称", max_length=100,
                             help_text="如：双节期间精神文明建设专项活动")
    short_name = models.CharField("简称", max_length=20, blank=True, help_text="如：双节")
    participants_label = models.CharField(
        "参与范围", max_length=50, default="市直文明单位",
        help_text="生成综述稿时的主语，如：市直文明单位")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    purpose = models.CharField("活动目的", max_length=200, blank=True,
                               help_text="综述稿首段用语，如：进一步深化全市精神文明建设工作")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.OPEN)
    units = models.ManyToManyField(Unit, blank=True, related_name="+",
                                   verbose_name="应报送单位")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                   related_name="+", verbose_name="创建人")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "专项活动"
        verbose_name_plural = "专项活动"
        ordering = ["-starts_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")),
                                              name="themed_campaign_ends_after_start")]

    def __str__(self):
        return self.title

    @property
    def period_text(self):
        return f"{chinese_date(self.starts_on)}至{chinese_date(self.ends_on)}"


class ContentArea(models.Model):
    themed_campaign = models.ForeignKey(ThemedCampaign, models.CASCADE, related_name="areas",
                                 verbose_name="专项活动")
    name = models.CharField("内容方面", max_length=30)
    order = models.PositiveIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "活动内容方面"
        verbose_name_plural = "活动内容方面"
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["themed_campaign", "name"],
                                               name="area_unique_in_themed_campaign")]

    def __str__(self):
        return self.name


class Activity(models.Model):
    """One activity a unit reports into a themed campaign."""

    themed_campaign = models.ForeignKey(ThemedCampaign, models.PROTECT, related_name="activities",
                                 verbose_name="专项活动")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="activities",
                             verbose_name="报送单位")
    partners = models.ManyToManyField(Unit, blank=True, related_name="+",
                                      verbose_name="联合开展单位")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT,
                                    related_name="+", verbose_name="报送人")
    title = models.CharField("活动名称", max_length=100)
    date = models.DateField("活动日期")
    place = models.CharField("活动地点", max_length=100)
    content_area = models.ForeignKey(ContentArea, models.PROTECT, related_name="activities",
                                     verbose_name="内容方面")
    participants = models.PositiveIntegerField("参与人数")
    volunteers = models.PositiveIntegerField("志愿者人数", default=0)
    volunteer_hours = models.DecimalField("志愿服务时长（小时）", max_digits=9, decimal_places=1,
                                          default=0)
    beneficiaries = models.PositiveIntegerField("受益群众人数", default=0)
    summary = models.TextField("活动简介", help_text="每段一行，写做了什么、效果如何")
    created_at = models.DateTimeField("报送时间", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "活动"
        verbose_name_plural = "活动"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["themed_campaign", "unit"])]

    def __str__(self):
        return f"{self.unit.name}：{self.title}"

    @property
    def date_text(self):
        return chinese_date(self.date)

    @property
    def paragraphs(self):
        return paragraphs(self.summary)


class VolunteerRecord(models.Model):
    """Hours of one named volunteer in an activity, when the unit lists them."""

    activity = models.ForeignKey(Activity, models.CASCADE, related_name="volunteer_records",
                                 verbose_name="活动")
    name = models.CharField("志愿者", max_length=50)
    hours = models.DecimalField("服务时长（小时）", max_digits=5, decimal_places=1)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "志愿服务时长"
        verbose_name_plural = "志愿服务时长"
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.name} {self.hours}小时"


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(Activity, models.CASCADE, related_name="photos",
                                 verbose_name="活动")
    # Always a JPEG re-encoded by wenming.core.photos, never the upload itself.
    image = models.FileField("照片", upload_to="activities/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "活动照片"
        verbose_name_plural = "活动照片"
        ordering = ["order", "id"]

    def __str__(self):
        return self.image.name
