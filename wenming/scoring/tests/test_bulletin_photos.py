"""Typical problems' photos in the bulletin's PDF and DOCX; a lost or broken
photo leaves a gap, not a failed download."""

import io
import subprocess

import pytest
from django.core.files.storage import default_storage
from docx import Document
from PIL import Image, ImageDraw

from wenming.core.testing import pdf_text, poppler_tool, squash
from wenming.core.typst import RenderError, render
from wenming.scoring.models import Bulletin
from wenming.scoring.render import TEMPLATE
from wenming.scoring.tests.factories import found_photo
from wenming.tasks.models import Task


def add_found_photo(problem):
    """A phone photo through the campaign's own path: checked, re-encoded, stored."""
    picture = Image.new("RGB", (640, 480), (200, 200, 200))
    ImageDraw.Draw(picture).rectangle([100, 100, 400, 300], fill=(180, 30, 30))
    return found_photo(problem, picture)


def made_in_background(client, bulletin, fmt):
    """A bulletin with photos: its button starts a task (run at once in
    tests), whose result is the file."""
    response = client.post(f"/scoring/bulletins/{bulletin.pk}/file.{fmt}")
    task = Task.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == f"/tasks/{task.pk}/"
    assert task.status == Task.Status.SUCCEEDED, task.error
    return client.get(f"/tasks/{task.pk}/result/")


def image_rows(pdf):
    listing = subprocess.run([poppler_tool("pdfimages"), "-list", "-"], input=pdf,
                             capture_output=True, check=True).stdout.decode()
    return [line for line in listing.splitlines()[2:] if line.strip()]


@pytest.fixture
def january(client, people, ledger):
    """The January bulletin, whose first typical problem (the repeat at
    五一路农贸市场) has a photo."""
    _, _, p = ledger
    p[2].description = "市场东门外流动摊贩占道经营"
    p[2].save()
    photo = add_found_photo(p[2])
    client.force_login(people["editor"])
    client.post("/scoring/bulletins/", {"kind": "month", "day": "2024-01-20"})
    bulletin = Bulletin.objects.get()
    assert bulletin.content["typical"][0]["photo"] == photo.image.name
    return bulletin


def test_bulletin_pdf_shows_the_typical_problems_photo(client, january):
    pdf = made_in_background(client, january, "pdf").content

    rows = image_rows(pdf)
    assert len(rows) == 1 and " jpeg " in rows[0]
    text = squash(pdf_text(pdf))
    assert "三、典型问题" in text and "五一路农贸市场" in text
    assert "市场东门外流动摊贩占道经营" in text


def test_docx_embeds_the_same_photo(client, january):
    docx = made_in_background(client, january, "docx").content
    assert len(Document(io.BytesIO(docx)).inline_shapes) == 1


def test_a_lost_or_broken_photo_leaves_the_bulletin_without_it(client, january):
    name = january.content["typical"][0]["photo"]
    default_storage.delete(name)

    pdf = made_in_background(client, january, "pdf")
    assert pdf.status_code == 200 and image_rows(pdf.content) == []
    assert "市场东门外流动摊贩占道经营" in squash(pdf_text(pdf.content))

    default_storage.save(name, io.BytesIO(b"\xff\xd8\xff not really a jpeg"))
    assert default_storage.exists(name)
    pdf = made_in_background(client, january, "pdf")
    assert pdf.status_code == 200 and image_rows(pdf.content) == []
    docx = made_in_background(client, january, "docx")
    assert len(Document(io.BytesIO(docx.content)).inline_shapes) == 0


def test_assets_are_plain_names_beside_the_template(tmp_path):
    for name in ["../secret.jpg", "/etc/passwd", ".hidden.png", "a/b.jpg", "bulletin.typ"]:
        with pytest.raises(RenderError, match="排版附件名称不合规"):
            render(str(TEMPLATE), {}, assets={name: b"x"})
