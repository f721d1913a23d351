from django.contrib import admin
from django.urls import include, path

from wenming.core import views as core_views
from wenming.front import audit_log, backups
from wenming.front import views as front_views

urlpatterns = [
    path("", front_views.home, name="home"),
    path("todos/badge/", front_views.todo_badge, name="todo_badge"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("wenming.accounts.urls")),
    path("audit/", include(([path("", audit_log.event_list, name="event_list")], "audit"))),
    path("system/", include(([path("backups/", backups.backup_list, name="backup_list")],
                             "system"))),
    path("briefings/", include("wenming.briefings.urls")),
    path("credit/", include("wenming.credit.urls")),
    path("surveys/", include("wenming.surveys.urls")),
    path("activities/", include("wenming.activities.urls")),
    path("honors/", include("wenming.honors.urls")),
    path("campaign/", include("wenming.campaign.urls")),
    path("scoring/", include("wenming.scoring.urls")),
    path("api/", include("wenming.api.urls")),
    path("tasks/", include("wenming.tasks.urls")),
    path("inbox/", include("wenming.inbox.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "wenming.core.views.bad_request"
handler403 = "wenming.core.views.permission_denied"
handler404 = "wenming.core.views.page_not_found"
handler500 = "wenming.core.views.server_error"

admin.site.site_header = "文明办工作平台 · 系统管理"
admin.site.site_title = "文明办工作平台"
admin.site.index_title = "数据管理"
