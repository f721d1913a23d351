from django.conf import settings
from django.db import models
from django.db.models import Q

from wenming.accounts.models import Unit
from wenming.core.idcard import mask_id_number, mask_phone
from wenming.core.text import chinese_date, paragraphs


class Category(models.TextChoices):
    HELPING_OTHERS = "helping_others", "助人为乐"
    BRAVERY = "bravery", "见义勇为"
    HONESTY = "honesty", "诚实守信"
    DEDICATION = "dedication", "敬业奉献"
    FILIAL_LOVE = "filial_love", "孝老爱亲"


def default_roll_title():
    """好人榜 under the city's short name: ××好人榜 for WENMING_CITY_NAME ××市."""
    return f"{settings.WENMING_CITY_NAME.removesuffix('市')}好人榜"


def default_roll_issuer():
    return f"{settings.WENMING_CITY_NAME}文明办"


class HonorRoll(models.Model):
    """The honor roll (好人榜) of one period. Nominations for it go through
    verification, review and public notice; publication freezes it, and a
    correction is a new version pointing at the original."""

    class Period(models.TextChoices):
        H1 = "h1", "上半年"
        H2 = "h2", "下半年"
        Q1 = "q1", "第一季度"
        Q2 = "q2", "第二季度"
        Q3 = "q3", "第三季度"
        Q4 = "q4", "第四季度"
        YEAR = "year", "年度"

    class ReviewMethod(models.TextChoices):
        VOTE = "vote", "投票"
        SCORE = "score", "打分"

    title = models.CharField("榜单名称", max_length=50, default=default_roll_title)
    issuer = models.CharField("发布单位", max_length=50, default=default_roll_issuer)
    year = models.PositiveSmallIntegerField("年度")
    period = models.CharField("期间", max_length=8, choices=Period.choices)
    nominations_close_on = models.DateField("推荐截止日期", null=True, blank=True,
                                            help_text="此日期后不再接受群众推荐")
    review_method = models.CharField("评议方式", max_length=8, choices=ReviewMethod.choices,
                                     default=ReviewMethod.VOTE)
    pass_score = models.PositiveSmallIntegerField(
        "通过分数", default=80, help_text="打分评议时，平均分达到此分数为通过")
    panel = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                   verbose_name="评议组成员")
    notice_starts_on = models.DateField("公示开始", null=True, blank=True)
    notice_ends_on = models.DateField("公示截止", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                     blank=True, related_name="+", verbose_name="发布人")
    pdf = models.FileField("PDF", upload_to="honors/%Y/", blank=True)
    correction_of = models.ForeignKey("self", models.PROTECT, null=True, blank=True,
                                      related_name="corrections", verbose_name="更正自")
    correction_note = models.TextField("更正说明", blank=True)
    version = models.PositiveSmallIntegerField("版本", default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                   related_name="+", verbose_name="创建人")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "好人榜"
        verbose_name_plural = "好人榜"
        ordering = ["-year", "-period", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["title", "year", "period"],
                                    condition=Q(correction_of__isnull=True),
                                    name="roll_unique_period"),
            models.UniqueConstraint(fields=["correction_of", "version"],
                                    name="roll_unique_correction_version"),
        ]

    def __str__(self):
        return f"{self.period_text}“{self.title}”"

    @property
    def period_text(self):
        if self.period == self.Period.YEAR:
            return f"{self.year}年度"
        return f"{self.year}年{self.get_period_display()}"

    @property
    def is_published(self):
        return self.published_at is not None

    @property
    def original(self):
        return self.correction_of or self

    @property
    def notice_text(self):
        if not self.notice_starts_on:
            return ""
        return f"{chinese_date(self.notice_starts_on)}至{chinese_date(self.notice_ends_on)}"


class Nomination(models.Model):
    """One person nominated for a roll, by a unit or by the public, and the
    record of every step that person's nomination went through."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待核实"
        VERIFIED = "verified", "待评议"
        SHORTLISTED = "shortlisted", "评议通过"
        ON_NOTICE = "on_notice", "公示中"
        PUBLISHED = "published", "已入选"
        REJECTED = "rejected", "未入选"

    class Source(models.TextChoices):
        UNIT = "unit", "单位推荐"
        PUBLIC = "public", "群众推荐"

    class Gender(models.TextChoices):
        MALE = "male", "男"
        FEMALE = "female", "女"

    roll = models.ForeignKey(HonorRoll, models.PROTECT, related_name="nominations",
                             verbose_name="好人榜")
    status = models.CharField("状态", max_length=16, choices=Status.choices,
                              default=Status.SUBMITTED)
    category = models.CharField("类别", max_length=16, choices=Category.choices)
    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=8, choices=Gender.choices, blank=True)
    # Private: never shown on a public page, masked in every export.
    id_number = models.CharField("身份证号", max_length=18, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    workplace = models.CharField("工作单位及身份", max_length=100,
                                 help_text="如：××县××镇××村村民")
    # The county-level area (or the city, for city departments) whose office
    # verifies the nomination.
    area = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="所属地区")
    # The unit that nominated; for the public, the area itself. Scoping goes by it.
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="nominations",
                             verbose_name="推荐单位")
    source = models.CharField("推荐方式", max_length=8, choices=Source.choices)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                     blank=True, related_name="+", verbose_name="推荐人账号")
    nominator_name = models.CharField("推荐人", max_length=50, blank=True)
    nominator_phone = models.CharField("推荐人电话", max_length=20, blank=True)
    summary = models.CharField("简要事迹", max_length=300,
                               help_text="用于榜单，300字以内")
    deeds = models.TextField("事迹材料", help_text="每段一行")
    submitter_ip = models.GenericIPAddressField(null=True, blank=True, editable=False)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                    blank=True, related_name="+", verbose_name="核实人")
    verified_at = models.DateTimeField("核实时间", null=True, blank=True)
    verification_note = models.TextField("核实意见", blank=True)
    review_summary = models.CharField("评议结果", max_length=100, blank=True)
    rejected_step = models.CharField("未通过环节", max_length=16, blank=True)
    rejection_reason = models.TextField("未通过原因", blank=True)
    created_at = models.DateTimeField("推荐时间", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "推荐"
        verbose_name_plural = "推荐"
        ordering = ["category", "id"]
        indexes = [models.Index(fields=["roll", "status"]),
                   models.Index(fields=["submitter_ip", "created_at"])]

    def __str__(self):
        return f"{self.name}（{self.get_category_display()}）"

    @property
    def masked_id_number(self):
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self):
        return mask_phone(self.phone)

    @property
    def deed_paragraphs(self):
        return paragraphs(self.deeds)


class NominationPhoto(models.Model):
    nomination = models.ForeignKey(Nomination, models.CASCADE, related_name="photos",
                                   verbose_name="推荐")
    # Always a JPEG re-encoded by wenming.core.photos.
    image = models.FileField("照片", upload_to="honors/photos/%Y/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "推荐照片"
        verbose_name_plural = "推荐照片"
        ordering = ["order", "id"]

    def __str__(self):
        return self.image.name


class Review(models.Model):
    """One panel member's vote or score on one nomination."""

    class Vote(models.TextChoices):
        AGREE = "agree", "同意"
        DISAGREE = "disagree", "不同意"
        ABSTAIN = "abstain", "弃权"

    nomination = models.ForeignKey(Nomination, models.CASCADE, related_name="reviews",
                                   verbose_name="推荐")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                               verbose_name="评议组成员")
    vote = models.CharField("表决", max_length=8, choices=Vote.choices, blank=True)
    score = models.PositiveSmallIntegerField("评分", null=True, blank=True)
    comment = models.CharField("意见", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "评议"
        verbose_name_plural = "评议"
        ordering = ["nomination", "id"]
        constraints = [models.UniqueConstraint(fields=["nomination", "member"],
                                               name="review_once_per_member")]

    def __str__(self):
        return f"{self.member}对{self.nomination.name}的评议"


class Objection(models.Model):
    """An objection (异议) raised against a nominee during public notice."""

    class Status(models.TextChoices):
        PENDING = "pending", "待处理"
        DISMISSED = "dismissed", "不成立"
        UPHELD = "upheld", "成立"

    nomination = models.ForeignKey(Nomination, models.CASCADE, related_name="objections",
                                   verbose_name="被异议人")
    content = models.TextField("异议内容")
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices,
                              default=Status.PENDING)
    resolution = models.TextField("处理意见", blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                   blank=True, related_name="+", verbose_name="处理人")
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)
    submitter_ip = models.GenericIPAddressField(null=True, blank=True, editable=False)
    # Given to the objector, who looks up the outcome with it; objections
    # filed before codes existed have none.
    tracking_code = models.CharField("查询码", max_length=16, blank=True, editable=False)
    created_at = models.DateTimeField("提出时间", auto_now_add=True)

    class Meta:
        verbose_name = "异议"
        verbose_name_plural = "异议"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["submitter_ip", "created_at"])]
        constraints = [models.UniqueConstraint(fields=["tracking_code"],
                                               condition=~Q(tracking_code=""),
                                               name="honors_objection_unique_tracking_code")]

    def __str__(self):
        return f"对{self.nomination.name}的异议"


class HonorEntry(models.Model):
    """One line of a published roll: what the public reads. It copies only
    public facts of the nomination, so no private field can leak from it."""

    roll = models.ForeignKey(HonorRoll, models.CASCADE, related_name="entries",
                             verbose_name="好人榜")
    nomination = models.ForeignKey(Nomination, models.PROTECT, related_name="entries",
                                   verbose_name="推荐")
    order = models.PositiveIntegerField("顺序", default=0)
    category = models.CharField("类别", max_length=16, choices=Category.choices)
    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=8, choices=Nomination.Gender.choices,
                              blank=True)
    workplace = models.CharField("工作单位及身份", max_length=100)
    area = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="所属地区")
    summary = models.CharField("简要事迹", max_length=300)

    class Meta:
        verbose_name = "榜单人物"
        verbose_name_plural = "榜单人物"
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class HigherHonor(models.Model):
    """A person of a published roll who later entered a roll of a higher
    level, e.g. 2023年下半年“河南好人榜”."""

    class Level(models.TextChoices):
        PROVINCIAL = "provincial", "省级"
        NATIONAL = "national", "全国"

    nomination = models.ForeignKey(Nomination, models.PROTECT, related_name="higher_honors",
                                   verbose_name="人物")
    level = models.CharField("级别", max_length=16, choices=Level.choices)
    title = models.CharField("榜单", max_length=100, help_text="如：2023年下半年“河南好人榜”")
    category = models.CharField("入选类别", max_length=16, choices=Category.choices)
    announced_on = models.DateField("公布日期")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                    verbose_name="登记人")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "上级榜单入选"
        verbose_name_plural = "上级榜单入选"
        ordering = ["-announced_on", "id"]
        constraints = [models.UniqueConstraint(fields=["nomination", "title"],
                                               name="higher_honor_once")]

    def __str__(self):
        return f"{self.nomination.name}入选{self.title}"
