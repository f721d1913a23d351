from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from wenming.tasks.models import Task


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "status", "stage", "created_at", "finished_at"]
    list_filter = ["status"]
    search_fields = ["title", "owner__username"]
    # A result is never linked as a file: a backup lives outside the media
    # store (its /media/ address leads nowhere) and every download must go
    # through the task page, which checks the owner and audits it.
    exclude = ["result_file"]
    readonly_fields = [f.name for f in Task._meta.fields if f.name != "result_file"] + ["result"]

    @admin.display(description="结果文件")
    def result(self, task):
        if not task.result_file:
            return "—"
        where = f"（存储：{task.result_storage}）" if task.result_storage else ""
        return format_html('{}{} · <a href="{}">任务页面</a>', task.result_file.name, where,
                           reverse("tasks:detail", args=[task.pk]))
