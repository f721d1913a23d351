"""API keys of integrators (a 12345 hotline, a provincial system), what
each key did, the reports they sent in, and the webhooks that tell them
about their reports."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from wenming.accounts.models import Unit


class ApiKey(models.Model):
    class Scope(models.TextChoices):
        OPEN311_WRITE = "open311:write", "Open311 提交诉求"
        LEDGER_READ = "ledger:read", "读取问题台账"
        LEDGER_WRITE = "ledger:write", "推送工单、登记问题"
        CREDIT_SCREEN = "credit:screen", "红黑榜筛查"

    name = models.CharField("名称", max_length=100, help_text="如：市12345热线平台")
    owner_unit = models.ForeignKey(Unit, models.PROTECT, related_name="api_keys",
                                   verbose_name="所属单位")
    scopes = models.JSONField("权限范围", default=list)
    # The first characters of the token, shown in lists and used to find the
    # row; the rest is only ever stored as a digest.
    prefix = models.CharField("前缀", max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64, editable=False)
    webhook_url = models.URLField("回调地址", blank=True, max_length=500)
    webhook_secret = models.CharField(max_length=64, blank=True, editable=False)
    hourly_limit = models.PositiveIntegerField("每小时调用上限", default=1000)
    expires_at = models.DateTimeField("有效期至", null=True, blank=True)
    revoked_at = models.DateTimeField("停用时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name="创建人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "接口密钥"
        verbose_name_plural = "接口密钥"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name}（{self.prefix}…）"

    @property
    def is_active(self):
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > timezone.now())

    def scope_labels(self):
        labels = dict(self.Scope.choices)
        return [labels.get(s, s) for s in self.scopes]


class ApiKeyUse(models.Model):
    """One request made with a key: the key's own trail, and what the
    hourly limit counts (one indexed query, the same in every process)."""

    key = models.ForeignKey(ApiKey, models.CASCADE, related_name="uses")
    at = models.DateTimeField(default=timezone.now)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=300)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["key", "at"], name="api_key_use_window")]

    def __str__(self):
        return f"{self.method} {self.path}"


class ExternalReport(models.Model):
    """A citizen report an integrator sent in, under the integrator's own id:
    sending the same id again finds this row instead of filing twice, and
    status changes of the problem it became are posted back to the key's
    webhook."""

    key = models.ForeignKey(ApiKey, models.PROTECT, related_name="reports")
    external_id = models.CharField("外部编号", max_length=64, blank=True)
    report = models.OneToOneField("campaign.CitizenReport", models.CASCADE,
                                  related_name="external")
    media_url = models.URLField(blank=True, max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["key", "external_id"], condition=~models.Q(external_id=""),
            name="external_report_once")]

    def __str__(self):
        return self.external_id or str(self.report_id)


class ExternalProblem(models.Model):
    """A problem an integrator filed straight into the ledger under its own
    id. The integrator is the key's name within its owner unit, so a key
    issued anew for the same hotline finds what the old key filed; filing
    the same id again finds this row instead of a second problem."""

    key = models.ForeignKey(ApiKey, models.PROTECT, related_name="problems")
    owner_unit = models.ForeignKey(Unit, models.PROTECT, related_name="+")
    integrator = models.CharField("对接方", max_length=100)
    external_id = models.CharField("外部编号", max_length=64)
    problem = models.OneToOneField("campaign.Problem", models.CASCADE, related_name="external")
    media_url = models.URLField(blank=True, max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["owner_unit", "integrator", "external_id"], name="external_problem_once")]

    def __str__(self):
        return f"{self.integrator} {self.external_id}"


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        DELIVERED = "delivered", "已送达"
        FAILED = "failed", "已放弃"

    key = models.ForeignKey(ApiKey, models.CASCADE, related_name="deliveries")
    # What caused it ("problem-event:<id>", "report-rejected:<id>"): one
    # delivery per cause and key, however often the cause is looked at.
    event_key = models.CharField(max_length=40)
    url = models.URLField(max_length=500)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["key", "event_key"],
                                               name="webhook_once_per_event")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_due")]

    def __str__(self):
        return f"回调#{self.pk}"
