from django.urls import path

from wenming.tasks import views

app_name = "tasks"

urlpatterns = [
    path("", views.task_list, name="list"),
    path("<int:pk>/", views.task_detail, name="detail"),
    path("<int:pk>/progress/", views.task_progress, name="progress"),
    path("<int:pk>/cancel/", views.task_cancel, name="cancel"),
    path("<int:pk>/result/", views.task_result, name="result"),
]
