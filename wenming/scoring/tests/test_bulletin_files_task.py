"""A bulletin with photos of typical problems: its PDF and Word files are
made in the background, photos first scaled down for print, the figures
word for word those of the bulletin; one without photos downloads at once."""

import copy
import io
import subprocess

import pytest
from docx import Document
from PIL import Image, ImageDraw

from wenming.core.testing import pdf_text, poppler_tool, squash
from wenming.scoring import render
from wenming.scoring.models import Bulletin
from wenming.scoring.tests.factories import found_photo
from wenming.tasks.models import Task
from wenming.tasks.progress import Progress


def add_large_photo(problem):
    """A 1600×1200 photo, the largest the campaign stores."""
    picture = Image.new("RGB", (1600, 1200), (200, 200, 200))
    ImageDraw.Draw(picture).ellipse([300, 200, 1300, 1000], fill=(30, 120, 30))
    return found_photo(problem, picture, quality=95)


@pytest.fixture
def january(client, people, ledger):
    _, _, p = ledger
    add_large_photo(p[2])
    add_large_photo(p[3])
    client.force_login(people["editor"])
    client.post("/scoring/bulletins/", {"kind": "month", "day": "2024-01-20"})
    return Bulletin.objects.get()


def _start(client, bulletin, fmt):
    response = client.post(f"/scoring/bulletins/{bulletin.pk}/file.{fmt}")
    task = Task.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == f"/tasks/{task.pk}/"
    return task


def _image_sizes(pdf):
    listing = subprocess.run([poppler_tool("pdfimages"), "-list", "-"], input=pdf,
                             capture_output=True, check=True).stdout.decode()
    return [(int(r.split()[3]), int(r.split()[4])) for r in listing.splitlines()[2:] if r.strip()]


def test_pdf_with_photos_is_made_as_a_task_with_the_same_figures(client, people, january):
    page = client.get(f"/scoring/bulletins/{january.pk}/").content.decode()
    assert "生成 PDF" in page and "含现场照片2张" in page

    task = _start(client, january, "pdf")
    task.refresh_from_db()
    assert task.status == Task.Status.SUCCEEDED, task.error
    assert task.title == "通报文件：2024年第1期通报.pdf"
    assert task.summary == "2024年第1期通报.pdf已生成（含现场照片2张）。"
    response = client.get(f"/tasks/{task.pk}/result/")
    assert response["Content-Type"] == "application/pdf"
    assert "2024%E5%B9%B4%E7%AC%AC1%E6%9C%9F%E9%80%9A%E6%8A%A5.pdf" in \
        response["Content-Disposition"]

    # Scaled for print: 1600 px photos go on paper at 1200 px.
    assert _image_sizes(response.content) == [(1200, 900), (1200, 900)]
    # Word for word the text of the same bulletin without its photos.
    without = copy.deepcopy(january)
    for p in without.content["typical"]:
        p["photo"] = ""
    text = squash(pdf_text(response.content))
    assert text == squash(pdf_text(render.render_pdf(without)))
    assert squash(render.summary_text(render.document_content(january))) in text


def test_word_with_photos_is_made_as_a_task(client, january):
    task = _start(client, january, "docx")
    docx = Document(io.BytesIO(client.get(f"/tasks/{task.pk}/result/").content))
    assert len(docx.inline_shapes) == 2
    assert any("五一路农贸市场" in p.text for p in docx.paragraphs)


def test_progress_names_each_photo_then_the_typesetting(january):
    seen = []

    class Watch(Progress):
        def update(self, stage=None, done=None, total=None):
            seen.append((stage, done, total))

    render.render_pdf(january, Watch())
    assert seen == [("正在处理第1张现场照片（共2张），压缩为印刷尺寸", 0, 3),
                    ("正在处理第2张现场照片（共2张），压缩为印刷尺寸", 1, 3),
                    ("正在排版 PDF", 2, 3)]


def test_a_plain_link_to_a_bulletin_with_photos_leads_to_the_buttons(client, january):
    response = client.get(f"/scoring/bulletins/{january.pk}/file.pdf", follow=True)
    assert "文件在后台生成" in response.content.decode()
    assert not Task.objects.exists()


def test_bulletin_without_photos_still_downloads_at_once(client, people, ledger):
    client.force_login(people["editor"])
    client.post("/scoring/bulletins/", {"kind": "month", "day": "2024-01-20"})
    bulletin = Bulletin.objects.get()
    assert not render.photo_names(bulletin.content)
    page = client.get(f"/scoring/bulletins/{bulletin.pk}/").content.decode()
    assert "下载 PDF" in page and "生成 PDF" not in page
    response = client.get(f"/scoring/bulletins/{bulletin.pk}/file.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert not Task.objects.exists()


def test_only_office_readers_make_bulletin_files(client, people, january):
    client.force_login(people["liaison"])
    assert client.post(f"/scoring/bulletins/{january.pk}/file.pdf").status_code == 403
    assert not Task.objects.exists()
    client.force_login(people["editor"])
    task = _start(client, january, "pdf")
    for who in ("approver", "liaison"):
        client.force_login(people[who])
        assert client.get(f"/tasks/{task.pk}/result/").status_code == 404
