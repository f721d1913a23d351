from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from wenming.audit.verbs import describe


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit event."""

    def __init__(self):
        super().__init__("审计日志只能追加，不能修改或删除。")


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError

    def delete(self):
        raise AppendOnlyError

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError

    def update_or_create(self, *args, **kwargs):
        raise AppendOnlyError


class AuditEvent(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.DO_NOTHING, null=True, blank=True,
        related_name="+", db_constraint=False, verbose_name="操作人",
    )
    # Kept as text too, so the trail reads the same after a user is renamed.
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    verb = models.CharField("操作", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=64, db_index=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True, db_index=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    before = models.JSONField("变更前", null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField("变更后", null=True, blank=True, encoder=DjangoJSONEncoder)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.actor_name or '系统'} {self.verb} {self.object_type}#{self.object_id}"

    @property
    def description(self):
        return describe(self.verb)

    def save(self, *args, **kwargs):
        if self.pk is not None or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise AppendOnlyError
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError
