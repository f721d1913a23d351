"""Messages that put work on someone's desk, the channels each user chose,
and the log of text messages (短信) handed to the SMS gateway.

The app knows no other app: the apps say who gets what through
`services.deliver`, naming each fact with a key so it lands once."""

from django.conf import settings
from django.db import models
from django.utils import timezone

USER = settings.AUTH_USER_MODEL


class Message(models.Model):
    """One message in one user's inbox (站内消息)."""

    recipient = models.ForeignKey(USER, models.CASCADE, related_name="+", verbose_name="收件人")
    # What the message is about ("problem:12:dispatch:40"): the same fact
    # never reaches the same person twice, however often it is told.
    key = models.CharField(max_length=200)
    title = models.CharField("标题", max_length=200)
    text = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=500, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内消息"
        verbose_name_plural = "站内消息"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"],
                                               name="inbox_message_once")]
        indexes = [models.Index(fields=["recipient", "-created_at"], name="inbox_newest"),
                   models.Index(fields=["recipient", "read_at"], name="inbox_unread")]

    def __str__(self):
        return self.title


class Preference(models.Model):
    """The channels a user chose besides the inbox, which is always on."""

    user = models.OneToOneField(USER, models.CASCADE, primary_key=True, related_name="+")
    sms = models.BooleanField("短信", default=False)
    robot = models.BooleanField("群机器人提醒我", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "消息设置"
        verbose_name_plural = "消息设置"

    def __str__(self):
        return f"消息设置#{self.user_id}"


class TextMessage(models.Model):
    """A 短信 to one mobile, queued here and sent by the tick. `recipient`
    names who it is for ("user:5", "report:12"), so each fact goes to each
    person at most once; the rows are the delivery log."""

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"
        SKIPPED = "skipped", "未发送（未配置短信网关）"

    recipient = models.CharField("收信人", max_length=40)
    key = models.CharField(max_length=200)
    mobile = models.CharField("手机号", max_length=20)
    text = models.CharField("内容", max_length=500)
    status = models.CharField("状态", max_length=10, choices=Status.choices,
                              default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("发送次数", default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField("错误", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "短信"
        verbose_name_plural = "短信发送记录"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"],
                                               name="inbox_text_once")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="inbox_text_due")]

    def __str__(self):
        return f"短信#{self.pk}"

    @property
    def masked_mobile(self):
        m = self.mobile
        return m[:3] + "****" + m[-4:] if len(m) >= 11 else "****"
