from django.conf import settings
from django.db import models


class Task(models.Model):
    """One piece of background work a user started, as the user sees it:
    what it is, how far it got, and what came of it. The queue entry itself
    belongs to django-tasks (`backend_id`)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        SUCCEEDED = "succeeded", "已完成"
        FAILED = "failed", "失败"
        CANCELLED = "cancelled", "已取消"

    FINISHED = (Status.SUCCEEDED, Status.FAILED, Status.CANCELLED)

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="tasks",
                              verbose_name="发起人")
    kind = models.CharField("处理函数", max_length=200)
    title = models.CharField("任务", max_length=200)
    params = models.JSONField("参数", default=dict, blank=True)
    source = models.FileField("上传文件", upload_to="tasks/source/%Y/%m/", blank=True)
    source_name = models.CharField("上传文件名", max_length=200, blank=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices,
                              default=Status.QUEUED)
    stage = models.CharField("进度说明", max_length=200, blank=True)
    done = models.PositiveIntegerField("已完成", default=0)
    total = models.PositiveIntegerField("总量", default=0)
    cancel_requested = models.BooleanField("已请求取消", default=False)
    summary = models.CharField("结果", max_length=500, blank=True)
    notes = models.JSONField("提示与错误", default=list, blank=True)
    error = models.TextField("错误信息", blank=True)
    result_file = models.FileField("结果文件", upload_to="tasks/result/%Y/%m/", blank=True)
    result_name = models.CharField("结果文件名", max_length=200, blank=True)
    # Which of settings.STORAGES holds result_file; empty is the media store.
    # A backup archive holds the whole database and must never sit among the
    # files the next backup copies, nor where a web server serves media.
    result_storage = models.CharField("结果存储", max_length=30, blank=True)
    result_url = models.CharField("结果链接", max_length=300, blank=True)
    result_label = models.CharField("结果链接文字", max_length=60, blank=True)
    backend_id = models.CharField("队列编号", max_length=64, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = "任务"
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self):
        return self.title

    @property
    def finished(self):
        return self.status in self.FINISHED

    def result_store(self):
        from django.core.files.storage import storages

        return storages[self.result_storage or "default"]

    @property
    def percent(self):
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.done * 100 / self.total))
