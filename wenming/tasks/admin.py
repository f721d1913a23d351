from django.contrib import admin

from wenming.tasks.models import Task


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "status", "stage", "created_at", "finished_at"]
    list_filter = ["status"]
    search_fields = ["title", "owner__username"]
    readonly_fields = [f.name for f in Task._meta.fields]
