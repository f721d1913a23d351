"""The public archive, the web edition, downloads, CLI and yearly compilation."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document

from wenming.briefings.tests.factories import make_series, publish, small_issue
from wenming.core.testing import pdf_text, squash


@pytest.fixture
def series(people):
    return make_series(people["editor"])


@pytest.fixture
def published(people, series):
    return publish(people["editor"], people["approver"], small_issue(people["editor"], series))


def test_archive_lists_series_years_and_published_issues_only(client, people, series, published):
    draft = small_issue(people["editor"], series, title="尚未发布的草稿稿件",
                        on=date(2024, 4, 1))
    assert "周口精神文明建设" in client.get(reverse("briefings:archive")).content.decode()
    years = client.get(reverse("briefings:archive_series", args=[series.pk])).content.decode()
    assert "2024年" in years
    page = client.get(reverse("briefings:archive_year", args=[series.pk, 2024])).content.decode()
    assert "第1期" in page and "第2期" not in page
    assert client.get(reverse("briefings:web_edition", args=[draft.pk])).status_code == 404
    assert client.get(reverse("briefings:published_file", args=[draft.pk, "pdf"])).status_code \
        == 404


def test_web_edition_has_toc_anchors_and_a_print_stylesheet(client, published):
    page = client.get(reverse("briefings:web_edition", args=[published.pk])).content.decode()
    article = published.articles.get(column__name="工作动态")
    assert f'href="#a{article.pk}"' in page and f'id="a{article.pk}"' in page
    assert "briefings/edition.css" in page
    css = b"".join(client.get("/static/briefings/edition.css").streaming_content).decode()
    assert "@media print" in css


def test_published_files_download_and_stay_as_published(client, published):
    pdf = client.get(reverse("briefings:published_file", args=[published.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert "全市召开文明城市创建调度会" in squash(pdf_text(pdf.content))
    docx = client.get(reverse("briefings:published_file", args=[published.pk, "docx"]))
    text = "".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "川汇区开展志愿服务进社区活动" in text


def test_cli_renders_every_format(published, tmp_path):
    for fmt, marker in [("pdf", b"%PDF"), ("docx", b"PK"), ("html", b"<!DOCTYPE html>"),
                        ("txt", "周口精神文明建设".encode())]:
        out = tmp_path / f"issue.{fmt}"
        call_command("briefing", "render", str(published.pk), "--format", fmt, "-o", str(out))
        assert out.read_bytes().startswith(marker) or marker in out.read_bytes()[:200], fmt


def test_cli_render_of_unknown_issue_fails_in_chinese(db, tmp_path):
    with pytest.raises(CommandError, match="没有编号为 999 的简报"):
        call_command("briefing", "render", "999", "-o", str(tmp_path / "x.pdf"))


def test_yearly_compilation_has_every_issue_and_a_combined_contents(people, series, tmp_path):
    editor, approver = people["editor"], people["approver"]
    for n, title in [(1, "一月份创建工作综述"), (2, "二月份创建工作综述"), (3, "三月份创建工作综述")]:
        publish(editor, approver, small_issue(editor, series, number=n, title=title,
                                              on=date(2024, n, 10)))
    out = tmp_path / "2024.pdf"
    call_command("briefing", "compile", str(series.pk), "2024", "-o", str(out))
    text = squash(pdf_text(out.read_bytes()))
    for title in ["一月份创建工作综述", "二月份创建工作综述", "三月份创建工作综述"]:
        assert text.count(title) >= 2, title  # in the combined contents and in the issue
    assert "合订本" in text


def test_compilation_of_an_empty_year_fails_in_chinese(series, tmp_path):
    with pytest.raises(CommandError, match="没有已发布的简报"):
        call_command("briefing", "compile", str(series.pk), "2030", "-o", str(tmp_path / "x"))


def test_staff_download_compilation_from_the_archive(client, people, series, published):
    client.force_login(people["viewer"])
    url = reverse("briefings:compilation", args=[series.pk, 2024])
    assert f'action="{url}"' in client.get(
        reverse("briefings:archive_year", args=[series.pk, 2024])).content.decode()
    task_page = client.post(url, follow=True)  # typeset as a task (run at once in tests)
    assert "下载结果" in task_page.content.decode()
    response = client.get(url)  # from then on handed over as it is
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_publishing_puts_the_issue_in_the_archive_search(client, people, series):
    issue = small_issue(people["editor"], series, title="背街小巷环境整治回头看")
    assert "背街小巷环境整治回头看" not in client.get(
        reverse("briefings:search"), {"q": "背街小巷"}).content.decode()
    publish(people["editor"], people["approver"], issue)
    page = client.get(reverse("briefings:search"), {"q": "背街小巷"}).content.decode()
    assert "环境整治回头看" in page
