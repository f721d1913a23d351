"""系统备份: the system administrators start a backup and download it."""

from django.contrib import messages
from django.shortcuts import redirect, render

from wenming.accounts import roles
from wenming.accounts.decorators import role_required
from wenming.front import services


@role_required(roles.ADMIN)
def backup_list(request):
    if request.method == "POST":
        task = services.start_backup(request.user)
        messages.success(request, "已开始备份，可以离开本页，稍后在“我的任务”或本页下载。")
        return redirect("tasks:detail", task.pk)
    return render(request, "front/backup_list.html", {"backups": services.recent_backups()})
