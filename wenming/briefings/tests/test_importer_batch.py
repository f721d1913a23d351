"""Many legacy files at once: uploaded together (or as a ZIP), parsed in the
background, listed with their mastheads and doubts; the clean ones imported
in one click, the others checked in the ordinary preview. ZIPs are bounded."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wenming.audit.models import AuditEvent
from wenming.briefings.importer import bundle
from wenming.briefings.importer.text import ImportRefused
from wenming.briefings.models import ImportBatch, Issue
from wenming.briefings.tests.seed import SEED_NAME
from wenming.core.testing import shared_file
from wenming.tasks.models import Task

DATA = Path(__file__).resolve().parent / "data"


def _files():
    return [("第1期.txt", shared_file(*SEED_NAME).read_bytes()),
            ("川汇动态.txt", (DATA / "gbk_flat_toc.txt").read_bytes()),
            ("淮阳简报.txt", (DATA / "county_four_columns.txt").read_bytes())]


def _upload(client, files):
    response = client.post(reverse("briefings:import_upload"),
                           {"file": [SimpleUploadedFile(n, c) for n, c in files]})
    assert response.status_code == 302 and response.url.startswith("/tasks/")
    return client.get(response.url).content.decode()


def _zip(members, compression=zipfile.ZIP_DEFLATED):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return out.getvalue()


def test_many_files_are_parsed_and_the_clean_ones_imported_together(client, people):
    client.force_login(people["editor"])
    task_page = _upload(client, _files())
    assert "已识别3个文件：2个可直接导入，1个需要核对，0个无法识别。" in task_page
    batch = ImportBatch.objects.get()
    batch_url = reverse("briefings:import_batch", args=[batch.pk])
    # Parsing imported nothing yet: the link says what it opens.
    assert f'<a href="{batch_url}">查看识别结果</a>' in task_page
    assert "查看导入的记录" not in task_page
    assert not Issue.objects.exists()  # parsing stores no issue

    page = client.get(reverse("briefings:import_batch", args=[batch.pk])).content.decode()
    assert "《周口精神文明建设》2024年第1期 · 2024年1月10日" in page
    assert "《川汇文明创建动态》" in page and "第3期" in page
    assert "以下内容没有对应的字段，未导入：责任编辑：王芳" in page
    assert "导入识别无误的2个文件" in page

    response = client.post(reverse("briefings:import_batch_clean", args=[batch.pk]))
    done_page = client.get(response.url).content.decode()
    assert "已导入并发布2期简报。" in done_page
    assert f'<a href="{batch_url}">查看导入结果</a>' in done_page
    assert set(Issue.objects.values_list("series__title", "number")) == {
        ("川汇文明创建动态", 3), ("周口精神文明建设", 1)}
    assert Issue.objects.filter(status=Issue.Status.PUBLISHED).count() == 2
    assert AuditEvent.objects.filter(verb="issue_import_batch.import_clean").count() == 1
    assert AuditEvent.objects.filter(verb="issue.import").count() == 2

    # The one with a warning is checked in the ordinary preview, then imported.
    county = batch.files.get(name="淮阳简报.txt")
    preview = client.get(reverse("briefings:import_batch_file", args=[batch.pk, county.position]))
    assert "导入预览" in preview.content.decode() and "返回本批文件" in preview.content.decode()
    form = preview.context["confirm"]
    data = {k: ("" if v is None else v.isoformat() if hasattr(v, "isoformat") else v)
            for k, v in form.initial.items() if v is not False}
    done = client.post(reverse("briefings:import_confirm"), {"action": "import", **data})
    assert done.status_code == 302
    assert done.url == reverse("briefings:import_batch", args=[batch.pk])
    county.refresh_from_db()
    assert county.issue.series.title == "淮阳文明创建" and county.issue.number == 12
    page = client.get(done.url).content.decode()
    assert page.count("已导入") >= 3 and "导入识别无误的" not in page


def test_a_zip_of_files_and_an_unreadable_file(client, people):
    client.force_login(people["editor"])
    archive = _zip([("简报/第1期.txt", _files()[0][1]), ("简报/坏文件.txt", b"\x00\x01" * 10)])
    page = _upload(client, [("往期简报.zip", archive)])
    assert "已识别2个文件：1个可直接导入，0个需要核对，1个无法识别。" in page
    batch = ImportBatch.objects.get()
    assert list(batch.files.values_list("name", flat=True)) == ["第1期.txt", "坏文件.txt"]
    listing = client.get(reverse("briefings:import_batch", args=[batch.pk])).content.decode()
    assert "无法识别" in listing


def test_a_single_file_still_opens_its_preview(client, people):
    client.force_login(people["editor"])
    page = client.post(reverse("briefings:import_upload"), {
        "file": SimpleUploadedFile("第1期.txt", _files()[0][1])})
    assert page.status_code == 200 and "导入预览" in page.content.decode()
    assert not Task.objects.exists()


def test_another_editor_never_sees_the_batch(client, people):
    client.force_login(people["editor"])
    _upload(client, _files()[:2])
    batch = ImportBatch.objects.get()
    client.force_login(people["admin"])
    assert client.get(reverse("briefings:import_batch", args=[batch.pk])).status_code == 404
    assert client.get(reverse("briefings:import_batch_file", args=[batch.pk, 1])).status_code \
        == 404
    assert client.post(reverse("briefings:import_batch_clean", args=[batch.pk])).status_code \
        == 404
    client.force_login(people["liaison"])
    assert client.get(reverse("briefings:import_batch", args=[batch.pk])).status_code == 403


# ZIP limits


@pytest.mark.parametrize(("members", "message"), [
    ([("../../etc/passwd.txt", b"x")], "路径不安全"),
    ([("/abs/1.txt", b"x")], "路径不安全"),
    ([("a/../../1.txt", b"x")], "路径不安全"),
    ([(f"{n}.txt", b"x") for n in range(bundle.MAX_FILES + 1)], "超过一次100个的上限"),
    ([("bomb.txt", b"\x00" * (30 * 1024 * 1024))], "超过单个文件20 MB的上限"),
    ([("bomb.txt", b"\x00" * (5 * 1024 * 1024))], "疑似压缩炸弹"),
    ([("inner.zip", _zip([("1.txt", b"x")]))], "又含有压缩包"),
])
def test_zip_limits(members, message):
    with pytest.raises(ImportRefused, match=message):
        bundle.expand([("上传.zip", _zip(members))])


def test_zip_limits_on_the_total_and_damaged_archives(monkeypatch):
    many = [(f"{n}.zip", _zip([(f"{n}-{i}.txt", b"x") for i in range(60)], zipfile.ZIP_STORED))
            for n in range(2)]
    with pytest.raises(ImportRefused, match="一次最多导入100个文件"):
        bundle.expand(many)
    with pytest.raises(ImportRefused, match="已损坏"):
        bundle.expand([("坏.zip", b"PK\x03\x04" + b"\x00" * 100)])
    monkeypatch.setattr(bundle, "MAX_TOTAL", 1024 * 1024)
    big = [(f"{n}.txt", b"y" * (400 * 1024)) for n in range(3)]
    with pytest.raises(ImportRefused, match="解压后合计1.2 MB，超过1 MB的上限"):
        bundle.expand([("大.zip", _zip(big, zipfile.ZIP_STORED))])


def test_a_refused_zip_fails_the_task_with_its_reason(client, people):
    client.force_login(people["editor"])
    page = _upload(client, [("往期.zip", _zip([("../x.txt", b"x")]))])
    assert "失败" in page and "路径不安全" in page
    assert not ImportBatch.objects.exists()


def test_the_command_imports_many_files_with_progress_and_a_summary(people, tmp_path, capsys):
    from django.core.management import call_command

    paths = []
    for name, content in _files():
        (tmp_path / name).write_bytes(content)
        paths.append(str(tmp_path / name))
    (tmp_path / "坏文件.txt").write_bytes(b"\x00\x01" * 10)
    archive = tmp_path / "更多.zip"
    archive.write_bytes(_zip([("坏文件.txt", b"\x00\x01" * 10)]))
    call_command("briefing", "import", *paths, str(archive), "--user", "emma")
    out, err = capsys.readouterr()
    assert "共4个文件：已导入并发布3期，未导入1个。" in out
    assert "未导入：坏文件.txt：" in out and "100%" in err
    assert Issue.objects.count() == 3
