"""The yearly 合订本 from the archive page: typeset as a background task
with a stage per issue, downloaded from the task, and handed over again
without typesetting while the year stays as it is."""

from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse

from wenming.briefings.compilation import CACHE_DIR
from wenming.briefings.tests.factories import make_series, publish, small_issue
from wenming.core.testing import pdf_text, squash
from wenming.tasks.models import Task

TITLES = ["一月份创建工作综述", "二月份创建工作综述", "三月份创建工作综述"]


@pytest.fixture
def series(people):
    series = make_series(people["editor"])
    for n, title in enumerate(TITLES[:2], start=1):
        publish(people["editor"], people["approver"],
                small_issue(people["editor"], series, number=n, title=title,
                            on=date(2024, n, 10)))
    return series


def _url(series):
    return reverse("briefings:compilation", args=[series.pk, 2024])


def _files(series):
    return default_storage.listdir(f"{CACHE_DIR}/{series.pk}")[1]


def test_editor_typesets_the_year_and_downloads_it(client, people, series):
    client.force_login(people["editor"])
    response = client.post(_url(series))
    task = Task.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tasks/{task.pk}/"
    assert task.status == Task.Status.SUCCEEDED, task.error
    assert task.title == "合订本：《周口精神文明建设》2024年"
    assert task.summary == "《周口精神文明建设》2024年合订本已生成：共2期。"

    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "下载结果（周口精神文明建设2024年合订本.pdf）" in page
    pdf = client.get(reverse("tasks:result", args=[task.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = squash(pdf_text(pdf.content))
    assert "2024年合订本" in text and "目录" in squash(text)
    for title in TITLES[:2]:
        assert text.count(title) >= 2, title  # in the combined contents and in the issue


def test_unchanged_year_is_not_typeset_twice(client, people, series):
    client.force_login(people["editor"])
    client.post(_url(series))
    assert len(_files(series)) == 1

    # Asked again, by anyone on the staff: the same file, at once, no task.
    client.force_login(people["viewer"])
    again = client.post(_url(series))
    assert again.status_code == 200 and again["Content-Type"] == "application/pdf"
    assert Task.objects.count() == 1 and len(_files(series)) == 1
    assert client.get(_url(series)).content == again.content

    # A new issue changes the year: typeset anew, as a task.
    publish(people["editor"], people["approver"],
            small_issue(people["editor"], series, number=3, title=TITLES[2],
                        on=date(2024, 3, 10)))
    response = client.post(_url(series))
    task = Task.objects.latest("pk")
    assert response["Location"] == f"/tasks/{task.pk}/" and task.summary.endswith("共3期。")
    assert len(_files(series)) == 2
    assert TITLES[2] in squash(pdf_text(client.get(_url(series)).content))


def test_task_reports_each_issue_then_the_typesetting(people, series):
    from wenming.briefings.compilation import build
    from wenming.tasks.progress import Progress

    seen = []

    class Watch(Progress):
        def update(self, stage=None, done=None, total=None):
            seen.append((stage, done, total))

    build(series, 2024, Watch())
    assert seen == [("正在整理第1期（共2期）", 0, 3), ("正在整理第2期（共2期）", 1, 3),
                    ("正在排版合订本（共2期，含总目录和页码）", 2, 3)]
    seen.clear()
    assert build(series, 2024, Watch())[2] is False
    assert seen[-1][0] == "合订本内容未变，直接使用已排好的文件"


def test_before_it_is_typeset_a_plain_link_leads_back_to_the_button(client, people, series):
    client.force_login(people["viewer"])
    response = client.get(_url(series), follow=True)
    assert "合订本需要先生成" in response.content.decode()
    assert not Task.objects.exists()


def test_empty_year_is_refused_before_anything_is_queued(client, people, series):
    client.force_login(people["editor"])
    url = reverse("briefings:compilation", args=[series.pk, 2030])
    response = client.post(url, follow=True)
    assert "2030年没有已发布的简报" in response.content.decode()
    assert not Task.objects.exists()


def test_only_office_staff_have_the_compilation(client, people, series):
    for who in ("liaison", "inspector"):
        client.force_login(people[who])
        assert client.post(_url(series)).status_code == 403
        assert client.get(_url(series)).status_code == 403
        page = client.get(reverse("briefings:archive_year", args=[series.pk, 2024]))
        assert "生成2024年合订本" not in page.content.decode()
    assert not Task.objects.exists()
    client.logout()
    assert "生成2024年合订本" not in client.get(
        reverse("briefings:archive_year", args=[series.pk, 2024])).content.decode()


def test_someone_elses_compilation_task_is_not_found(client, people, series):
    client.force_login(people["editor"])
    client.post(_url(series))
    task = Task.objects.get()
    client.force_login(people["approver"])
    assert client.get(reverse("tasks:result", args=[task.pk])).status_code == 404
    assert client.get(reverse("tasks:detail", args=[task.pk])).status_code == 404


def test_cli_shows_progress_and_a_summary(series, tmp_path, capsys):
    out = tmp_path / "2024.pdf"
    call_command("briefing", "compile", str(series.pk), "2024", "-o", str(out))
    captured = capsys.readouterr()
    assert "正在整理第2期（共2期）" in captured.err and "█" in captured.err
    assert "合订本《周口精神文明建设》2024年：2 期" in captured.out and "用时" in captured.out
    assert TITLES[0] in squash(pdf_text(out.read_bytes()))
