"""Uploaded photos are re-encoded: no metadata, no payloads, no bombs; the
GPS position is read only when asked; a failed call leaves no stray file."""

import io
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from wenming.core import photos
from wenming.core.errors import DomainError


def _jpeg(size=(320, 240), exif=None):
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, "JPEG", exif=exif.tobytes() if exif else b"")
    return buf.getvalue()


def _upload(content=None, name="现场.jpg"):
    return SimpleUploadedFile(name, _jpeg() if content is None else content, "image/jpeg")


def _phone_exif(orientation=1):
    """EXIF as a phone writes it: device, serial, orientation and position."""
    exif = Image.Exif()
    exif[0x010F] = "SecretPhoneMaker"  # Make
    exif[0x0131] = "secret-device-serial"  # Software
    exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (33.0, 37.0, 31.44)  # 33.6254
    gps[3], gps[4] = "E", (114.0, 38.0, 58.56)  # 114.6496
    return exif


def _png_claiming(width, height):
    """A tiny PNG whose header claims a huge canvas: the classic image bomb."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def test_exif_is_stripped_and_orientation_applied():
    original = _jpeg((400, 200), exif=_phone_exif(orientation=6))  # rotate 90° to display
    assert b"SecretPhoneMaker" in original and b"secret-device-serial" in original
    photo = photos.prepare(_upload(original))
    assert b"SecretPhoneMaker" not in photo.content and b"secret-device-serial" not in photo.content
    assert b"Exif" not in photo.content and photo.gps is None
    image = Image.open(io.BytesIO(photo.content))
    assert image.format == "JPEG" and not image.getexif()
    # The photo stands upright as the phone showed it.
    assert (photo.width, photo.height) == image.size == (200, 400)


def test_gps_is_read_before_the_metadata_is_dropped_when_asked():
    photo = photos.prepare(_upload(_jpeg(exif=_phone_exif())), keep_gps=True)
    assert photo.gps == pytest.approx((33.6254, 114.6496), abs=1e-4)
    assert b"Exif" not in photo.content and b"secret-device-serial" not in photo.content
    assert photos.prepare_all([_upload(_jpeg(exif=_phone_exif()))])[0].gps is None


def test_large_photo_is_scaled_down():
    photo = photos.prepare(_upload(_jpeg((4000, 3000))))
    assert max(photo.width, photo.height) == photos.MAX_SIDE
    assert Image.open(io.BytesIO(photo.content)).size == (photo.width, photo.height)


def test_trailing_payload_does_not_survive():
    payload = b"<script>alert(1)</script>"
    assert payload not in photos.prepare(_upload(_jpeg() + payload)).content


def test_png_with_transparency_becomes_a_jpeg_on_white():
    buf = io.BytesIO()
    Image.new("RGBA", (50, 40), (0, 0, 0, 0)).save(buf, "PNG")
    photo = photos.prepare(_upload(buf.getvalue(), name="透明.png"))
    out = Image.open(io.BytesIO(photo.content))
    assert out.format == "JPEG" and out.getpixel((10, 10)) == (255, 255, 255)


@pytest.mark.parametrize("content,name", [
    (b"%PDF-1.4 not an image", "通知.jpg"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "图.svg"),
    (b"", "空.jpg"),
])
def test_non_images_are_refused_in_chinese(content, name):
    with pytest.raises(DomainError, match=f"照片“{name}”不是可识别的图片文件") as refused:
        photos.prepare(_upload(content, name=name))
    assert refused.value.field == "photos"


def test_truncated_photo_is_refused_naming_the_file():
    with pytest.raises(DomainError, match="整改照片“截断.jpg”已损坏或不完整"):
        photos.prepare(_upload(_jpeg((800, 600))[:400], name="截断.jpg"), "整改照片")


@pytest.mark.parametrize("kind", ["ICO", "TIFF", "BMP", "GIF"])
def test_formats_other_than_jpeg_png_webp_are_refused_naming_them(kind):
    buf = io.BytesIO()
    Image.new("RGB", (32, 32)).save(buf, kind)
    name = f"图片.{kind.lower()}"
    with pytest.raises(DomainError, match=rf"“{name}”的格式（{kind}）不支持，请上传 JPEG、PNG 或 WebP"):
        photos.prepare(_upload(buf.getvalue(), name=name))


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "WEBP"])
def test_jpeg_png_and_webp_are_accepted(kind):
    buf = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 120, 10)).save(buf, kind)
    photo = photos.prepare(_upload(buf.getvalue(), name=f"图片.{kind.lower()}"))
    assert Image.open(io.BytesIO(photo.content)).format == "JPEG"


@pytest.mark.parametrize("width,height", [(100_000, 100_000), (9_000, 9_000)])
def test_image_bombs_are_refused_before_decoding(width, height):
    with pytest.raises(DomainError, match="“炸弹.png”的尺寸.*超出上限"):
        photos.prepare(_upload(_png_claiming(width, height), name="炸弹.png"))


def test_oversized_file_is_refused(settings):
    settings.WENMING_MAX_UPLOAD_BYTES = 1024 * 1024
    big = _jpeg() + b"\x00" * (1024 * 1024)
    with pytest.raises(DomainError, match="照片“大.jpg”超过1MB，请压缩后上传"):
        photos.prepare(_upload(big, name="大.jpg"))


def test_too_many_photos_are_refused_and_prepared_ones_pass_through():
    prepared = photos.prepare(_upload())
    assert photos.prepare_all([prepared, None, _upload()])[0] is prepared
    with pytest.raises(DomainError, match=f"问题照片最多{photos.max_photos()}张"):
        photos.prepare_all([_upload()] * (photos.max_photos() + 1), "问题照片")


class _Slot:
    """What save_to needs of a model's FileField: save() into storage, then a name."""

    name = None

    def save(self, name, content, save):
        self.name = default_storage.save(name, content)


def test_files_written_in_a_failed_call_are_removed():
    photo = photos.prepare(_upload())
    kept, removed = _Slot(), [_Slot(), _Slot()]
    photos.save_to(kept, photo, "kept")
    with pytest.raises(RuntimeError), photos.cleanup_on_error():
        photos.save_to(removed[0], photo, "first")
        with photos.cleanup_on_error():  # an inner call leaves the cleanup to the outer one
            photos.save_to(removed[1], photo, "second")
        assert all(default_storage.exists(s.name) for s in removed)
        raise RuntimeError("the database refused the row")
    assert not any(default_storage.exists(s.name) for s in removed)
    assert default_storage.exists(kept.name)
