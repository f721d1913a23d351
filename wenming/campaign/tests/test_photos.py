"""A problem's photos reach the liaison without EXIF; a refused or failed
upload leaves no half-made problem and no stray file. The checks and the
re-encoding themselves: wenming/core/tests/test_photos.py."""

import pytest
from django.core.files.storage import FileSystemStorage, default_storage
from django.urls import reverse

from wenming.campaign.models import Problem, ProblemEvent, ProblemPhoto
from wenming.campaign.tests.factories import (
    dispatched,
    jpeg,
    make_campaign,
    make_problem,
    make_site,
    upload,
)
from wenming.core.errors import DomainError


@pytest.fixture
def site(people, world):
    make_campaign(people["admin"])
    return make_site(people["admin"], world)


def test_liaison_gets_the_photo_without_exif(client, people, site):
    problem = dispatched(people, site, photos=[upload(jpeg(gps=(33.6, 114.6)))])
    photo = problem.photos.get()
    client.force_login(people["liaison"])
    response = client.get(reverse("campaign:photo", args=[photo.pk]))
    body = b"".join(response.streaming_content)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"Exif" not in body and b"TestPhone" not in body


def test_other_unit_cannot_fetch_the_photo(client, people, site):
    photo = dispatched(people, site).photos.get()
    client.force_login(people["other_liaison"])
    assert client.get(reverse("campaign:photo", args=[photo.pk])).status_code == 404


def test_non_image_is_refused_in_chinese(people, site):
    fake = upload(b"%PDF-1.4 not a photo", name="report.pdf", content_type="image/jpeg")
    with pytest.raises(DomainError, match="“report.pdf”不是可识别的图片文件"):
        make_problem(people["inspector"], site, photos=[fake])
    assert not Problem.objects.exists()


def test_truncated_image_is_refused(people, site):
    broken = upload(jpeg(size=(800, 600))[:400], name="broken.jpg")
    with pytest.raises(DomainError, match="broken.jpg"):
        make_problem(people["inspector"], site, photos=[upload(), broken])
    assert not Problem.objects.exists() and not ProblemPhoto.objects.exists()


class FailingStorage(FileSystemStorage):
    """Object storage that drops the connection on the second file."""

    saves = 0

    def _save(self, name, content):
        FailingStorage.saves += 1
        if FailingStorage.saves == 2:
            raise OSError("connection reset while uploading")
        return super()._save(name, content)


def test_upload_failing_midway_leaves_no_problem_and_no_file(people, site, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "wenming.campaign.tests.test_photos.FailingStorage",
        "OPTIONS": {"location": str(tmp_path / "store")}}}
    FailingStorage.saves = 0
    with pytest.raises(DomainError, match="照片保存失败"):
        make_problem(people["inspector"], site, photos=[upload(), upload(jpeg("blue"))])
    assert FailingStorage.saves == 2
    assert not Problem.objects.exists() and not ProblemEvent.objects.exists()
    assert not ProblemPhoto.objects.exists()
    leftovers = [p for p in (tmp_path / "store").rglob("*") if p.is_file()]
    assert leftovers == []
    assert default_storage.__class__ is FailingStorage


def test_field_form_failing_midway_leaves_nothing(client, people, site, settings, tmp_path):
    from wenming.campaign.models import Inspection
    from wenming.campaign.tests.factories import criterion

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "wenming.campaign.tests.test_photos.FailingStorage",
        "OPTIONS": {"location": str(tmp_path / "store")}}}
    FailingStorage.saves = 0
    c1, c2 = criterion("1.1.1"), criterion("1.1.2")
    client.force_login(people["inspector"])
    response = client.post(reverse("campaign:field_form", args=[site.pk]), {
            "client_id": "0b7c0a57-4d8f-4a43-9d43-5f8f6c1ad003",
            f"r{c1.pk}": "problem", f"d{c1.pk}": "占道", f"p{c1.pk}": [upload()],
            f"r{c2.pk}": "problem", f"d{c2.pk}": "无公平秤", f"p{c2.pk}": [upload()]})
    assert response.status_code == 400 and "照片保存失败" in response.content.decode()
    assert not Inspection.objects.exists() and not Problem.objects.exists()
    assert [p for p in (tmp_path / "store").rglob("*") if p.is_file()] == []
