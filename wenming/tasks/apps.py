from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "wenming.tasks"
    label = "tasks"
    verbose_name = "我的任务"
