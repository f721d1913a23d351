"""Importing in the browser: upload, preview beside the source text, confirm."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wenming.briefings.models import Issue, Series
from wenming.briefings.render.docx import render_issue_docx
from wenming.briefings.tests.importing import SUPPLEMENT
from wenming.briefings.tests.seed import SEED_NAME
from wenming.core.testing import shared_file

pytestmark = pytest.mark.urls("wenming.briefings.tests.import_urls")

DATA = Path(__file__).resolve().parent / "data"


def _upload(client, name, content):
    return client.post(reverse("briefings:import_upload"),
                       {"file": SimpleUploadedFile(name, content)})


def _form(page, **changes):
    """The preview's form as the browser would post it, with `changes`."""
    form = page.context["confirm"]
    source = form.data if form.is_bound else form.initial
    data = {name: source.get(name) for name in form.fields}
    data.update(changes)
    return {k: ("" if v is None else v.isoformat() if hasattr(v, "isoformat") else v)
            for k, v in data.items() if v is not False}


def _confirm(client, page, follow=False, **changes):
    return client.post(reverse("briefings:import_confirm"),
                       {"action": "import", **_form(page, **changes)}, follow=follow)


def test_editor_previews_then_imports(client, people):
    client.force_login(people["editor"])
    page = _upload(client, "第1期.txt", shared_file(*SEED_NAME).read_bytes())
    html = page.content.decode()
    assert page.status_code == 200
    assert "《周口精神文明建设》简报" in html and "2024年第1期" in html and "2024年1月10日" in html
    assert "【工作动态】" in html and "全市创文创卫工作推进会召开" in html
    assert 'id="L3"' in html and 'class="role-masthead"' in html  # the numbered source text
    assert "按报头确定（没有则新建系列）" in html
    assert not Issue.objects.exists()  # a preview stores nothing

    done = _confirm(client, page, series="")
    issue = Issue.objects.get()
    assert done.status_code == 302 and done.url == reverse("briefings:issue_detail",
                                                           args=[issue.pk])
    assert issue.status == Issue.Status.PUBLISHED and issue.articles.count() == 6


def test_preview_of_a_word_file_offers_the_matching_series(client, people):
    series = Series.objects.create(title="周口精神文明建设", kind="简报", issuer="周口市文明办")
    client.force_login(people["admin"])
    page = _upload(client, "增刊.docx", render_issue_docx(SUPPLEMENT))
    assert page.status_code == 200
    assert page.context["plan"]["series"] == series
    assert "Word（DOCX）" in page.content.decode()
    _confirm(client, page, series=series.pk)
    assert Issue.objects.get().series == series


def test_missing_issue_number_is_shown_beside_its_line_and_fixed_in_the_preview(client, people):
    client.force_login(people["editor"])
    text = shared_file(*SEED_NAME).read_text(encoding="utf-8").replace("第 1 期", "")
    page = _upload(client, "坏.txt", text.encode())
    html = page.content.decode()
    assert page.status_code == 200
    assert "报头（第3行至第11行）中没有期号" in html
    assert 'id="L3" value="3" class="role-masthead has-warning"' in html
    assert "确认导入并发布" not in html and "无法导入" in html
    assert "期号 0%" in html  # the doubtful field is named with its confidence
    # The editor types the number in, and renames a column on the way.
    body = page.context["confirm"].initial["body"].replace("【文明时讯】", "【文明快讯】")
    done = _confirm(client, page, number=1, body=body)
    issue = Issue.objects.get()
    assert done.status_code == 302 and issue.number == 1
    assert [c.name for c in issue.columns.order_by("order")] == ["工作动态", "文明快讯"]


def test_editor_splits_an_article_and_turns_a_paragraph_into_a_title(client, people):
    client.force_login(people["editor"])
    page = _upload(client, "a.txt", shared_file(*SEED_NAME).read_bytes())
    body = page.context["confirm"].initial["body"]
    paragraph = "会上，市委常委、宣传部长王少青通报近期创文工作进展情况"
    start = body.index(paragraph)
    body = body[:start] + "# 王少青通报创文工作进展\n" + body[start:]
    preview = client.post(reverse("briefings:import_confirm"),
                          {**_form(page, body=body), "action": "preview"})
    assert preview.status_code == 200 and preview.context["article_count"] == 7
    assert "王少青通报创文工作进展" in preview.content.decode() and not Issue.objects.exists()
    _confirm(client, preview, body=body)
    titles = list(Issue.objects.get().articles.values_list("title", flat=True))
    assert "王少青通报创文工作进展" in titles and len(titles) == 7


def test_text_outside_any_article_is_refused_with_the_line(client, people):
    client.force_login(people["editor"])
    page = _upload(client, "a.txt", shared_file(*SEED_NAME).read_bytes())
    page = _confirm(client, page, body="【工作动态】\n孤立的一段。\n# 标题\n正文。")
    assert page.status_code == 422
    assert "稿件编辑框第2行“孤立的一段。”不属于任何稿件" in page.content.decode()
    assert not Issue.objects.exists()


def test_duplicate_is_refused_in_the_preview(client, people):
    client.force_login(people["editor"])
    seed = shared_file(*SEED_NAME).read_bytes()
    first = _upload(client, "a.txt", seed)
    _confirm(client, first)
    page = _upload(client, "a.txt", seed)
    assert "已存在，不能重复导入" in page.content.decode()
    assert "确认导入并发布" not in page.content.decode()
    # Confirming the old preview again is refused too.
    again = _confirm(client, first)
    assert "已存在" in again.content.decode() and Issue.objects.count() == 1


def test_tampered_preview_is_refused(client, people):
    client.force_login(people["editor"])
    payload = _upload(client, "a.txt", shared_file(*SEED_NAME).read_bytes()).context[
        "confirm"].initial["payload"]
    page = client.post(reverse("briefings:import_confirm"),
                       {"payload": payload[:-2] + "xx", "action": "import"}, follow=True)
    assert "预览已过期或被改动" in page.content.decode()
    assert not Issue.objects.exists()


def test_unsupported_file_is_refused(client, people):
    client.force_login(people["editor"])
    page = _upload(client, "photo.txt", b"GIF89a" + b"\x00" * 100)
    assert page.status_code == 422
    assert "这是图片（GIF），请另存为 PNG 或 JPG 后再导入" in page.content.decode()


def test_huge_upload_is_refused_before_the_body_is_read(client, people):
    client.force_login(people["editor"])
    # The request announces 200 MB but carries almost nothing: reading the
    # body would fail ("Cannot read more than the available bytes").
    page = client.generic("POST", reverse("briefings:import_upload"), b"x" * 10,
                          content_type="multipart/form-data; boundary=xyz",
                          CONTENT_LENGTH=str(200 * 1024 * 1024))
    assert page.status_code == 413
    assert "上传内容共 200.0 MB，超过 20 MB 的上限" in page.content.decode()
    assert not Issue.objects.exists()


def test_only_editors_and_admins_may_import(client, people):
    for who in ("liaison", "approver", "viewer"):
        client.force_login(people[who])
        assert client.get(reverse("briefings:import_upload")).status_code == 403
        assert _upload(client, "a.txt", b"x").status_code == 403
    client.logout()
    assert client.get(reverse("briefings:import_upload")).status_code == 302


def test_upload_form_needs_the_csrf_token(people):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people["editor"])
    page = _upload(client, "a.txt", shared_file(*SEED_NAME).read_bytes())
    assert page.status_code == 403
