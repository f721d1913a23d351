"""The one django-tasks task: run a recorded Task by its id. Everything
else (what to run, progress, result) lives on the Task row."""

from django_tasks import task


@task()
def run(task_id):
    from wenming.tasks.services import run_task

    run_task(task_id)
