"""Scoring rules (versioned per campaign) and bulletins (通报)."""

from decimal import Decimal

from django.conf import settings
from django.db import models

from wenming.campaign.models import Campaign
from wenming.scoring import engine

USER = settings.AUTH_USER_MODEL


def _points(label, default):
    return models.DecimalField(label, max_digits=6, decimal_places=2, default=Decimal(default))


class ScoringRule(models.Model):
    """One version of a campaign's rule. Versions are never edited: a change
    is a new version, effective from a date, so past periods keep theirs."""

    class DistrictMode(models.TextChoices):
        UNITS = "units", "按辖区内各单位得分平均"
        SITES = "sites", "按本辖区点位问题直接计分"

    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="scoring_rules",
                                 verbose_name="创建活动")
    version = models.PositiveIntegerField("版本")
    effective_from = models.DateField("生效日期")
    base = _points("基础分", "100")
    immediate = _points("立行立改问题每个扣分", "1")
    normal = _points("一般问题每个扣分", "2")
    serious = _points("较重问题每个扣分", "5")
    per_overdue_day = _points("逾期每天扣分", "0.5")
    repeat_factor = _points("重复问题扣分倍数", "2")
    per_rejection = _points("复查未通过每次扣分", "1")
    restore_share = models.DecimalField("按期整改销号返还比例", max_digits=4, decimal_places=2,
                                        default=Decimal("0.5"),
                                        help_text="0至1之间，如0.5表示返还该问题扣分的一半")
    floor = _points("最低分", "0")
    ceiling = _points("最高分", "100")
    district_mode = models.CharField(
        "县区得分方式", max_length=10, choices=DistrictMode.choices, default=DistrictMode.UNITS,
        help_text="只计本期参评的单位或点位；本期未检查的单位、县区不评分、不排名，不列入红黑榜")
    list_size = models.PositiveSmallIntegerField("红黑榜各列几名", default=3)
    note = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(USER, models.PROTECT, related_name="+", verbose_name="制定人")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "考核规则"
        verbose_name_plural = "考核规则"
        ordering = ["campaign", "-version"]
        constraints = [models.UniqueConstraint(fields=["campaign", "version"],
                                               name="scoring_rule_unique_version")]

    def __str__(self):
        return f"{self.campaign}考核规则第{self.version}版"

    RULE_FIELDS = ("base", "immediate", "normal", "serious", "per_overdue_day", "repeat_factor",
                   "per_rejection", "restore_share", "floor", "ceiling", "district_mode",
                   "list_size")

    def as_rule(self):
        return engine.Rule(**{name: getattr(self, name) for name in self.RULE_FIELDS})


class Bulletin(models.Model):
    """A weekly or monthly 通报. Its content is fixed when it is generated,
    every figure taken at `as_of`; it goes through the approver like a
    briefing issue (services.TRANSITIONS), a published one is frozen and a
    correction is a new bulletin."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "待签发"
        SIGNED_OFF = "signed_off", "已签发"
        PUBLISHED = "published", "已发布"

    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="bulletins",
                                 verbose_name="创建活动")
    kind = models.CharField("周期", max_length=10,
                            choices=[("week", "周通报"), ("month", "月通报")])
    period_start = models.DateField("周期开始")
    year = models.PositiveSmallIntegerField("年度")
    number = models.PositiveIntegerField("期号")
    title = models.CharField("标题", max_length=200)
    content = models.JSONField("内容", default=dict)
    # The instant every figure is taken at: the period's end once it is
    # over, else the moment of generation.
    as_of = models.DateTimeField("数据截至")
    status = models.CharField("状态", max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    replaces = models.ForeignKey("self", models.PROTECT, null=True, blank=True,
                                 related_name="corrections", verbose_name="更正的通报")
    # A column, not a key in `content`: content is what the ledger said when
    # the bulletin was built, while the note is the editor's reason for the
    # correction; the name matches briefings' and honors' correction_note.
    correction_note = models.TextField("更正说明", blank=True)
    created_by = models.ForeignKey(USER, models.PROTECT, related_name="+", verbose_name="生成人")
    created_at = models.DateTimeField(auto_now_add=True)
    review_comment = models.TextField("退回意见", blank=True)
    sign_off_opinion = models.TextField("签发意见", blank=True)
    signed_off_by = models.ForeignKey(USER, models.PROTECT, null=True, blank=True,
                                      related_name="+", verbose_name="签发人")
    signed_off_at = models.DateTimeField("签发时间", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = "通报"
        verbose_name_plural = "通报"
        ordering = ["-year", "-number", "-id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "year", "number"],
                                               name="bulletin_unique_number")]

    def __str__(self):
        return f"{self.year}年第{self.number}期通报"


class Kiosk(models.Model):
    """A wall screen's address: the big screen opens at /scoring/kiosk/<token>/
    without a login, so it survives reboots unattended. Staff create and
    revoke them; the token is shown once and stored only as a digest."""

    name = models.CharField("名称", max_length=100, help_text="如：指挥部大厅大屏")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(USER, models.PROTECT, related_name="+", verbose_name="创建人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    revoked_at = models.DateTimeField("停用时间", null=True, blank=True)
    last_seen_at = models.DateTimeField("最近访问", null=True, blank=True)

    class Meta:
        verbose_name = "大屏链接"
        verbose_name_plural = "大屏链接"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name
