"""Uploaded photos are re-encoded: no metadata, no payloads, no bombs."""

import io
import struct
import zlib

import pytest
from PIL import Image

from wenming.activities.photos import clean_photo
from wenming.activities.tests.factories import jpeg_bytes, upload
from wenming.core.errors import DomainError


def _exif_with_gps():
    exif = Image.Exif()
    exif[0x010F] = "SecretPhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (33.0, 37.0, 12.0)
    return exif


def test_exif_is_stripped_and_orientation_applied():
    original = jpeg_bytes((400, 200), exif=_exif_with_gps())
    assert b"SecretPhoneMaker" in original
    photo = clean_photo(upload(original))
    data = photo.content.read()
    assert b"SecretPhoneMaker" not in data and b"Exif" not in data
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and not image.getexif()
    # The photo stands upright as the phone showed it.
    assert (photo.width, photo.height) == image.size == (200, 400)


def test_trailing_payload_does_not_survive():
    payload = b"<script>alert(1)</script>"
    photo = clean_photo(upload(jpeg_bytes() + payload))
    assert payload not in photo.content.read()


def test_png_with_transparency_becomes_a_jpeg():
    image = Image.new("RGBA", (50, 40), (0, 0, 0, 0))
    buf = io.BytesIO()
    image.save(buf, "PNG")
    photo = clean_photo(upload(buf.getvalue(), name="透明.png", content_type="image/png"))
    out = Image.open(photo.content)
    assert out.format == "JPEG" and out.getpixel((10, 10)) == (255, 255, 255)


def test_large_photo_is_scaled_down():
    photo = clean_photo(upload(jpeg_bytes((4000, 3000))))
    assert max(photo.width, photo.height) == 2048


@pytest.mark.parametrize("content,name", [
    (b"%PDF-1.4 not an image", "通知.jpg"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "图.svg"),
    (jpeg_bytes()[:200], "截断.jpg"),
    (b"", "空.jpg"),
])
def test_non_images_are_refused(content, name):
    with pytest.raises(DomainError, match=f"照片“{name}”不是可识别的图片文件"):
        clean_photo(upload(content, name=name))


def _png_header(width, height):
    """A tiny PNG that declares a huge canvas: the classic image bomb."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + \
        chunk(b"IEND", b"")


@pytest.mark.parametrize("width,height", [(100_000, 100_000), (9_000, 9_000)])
def test_image_bombs_are_refused_before_decoding(width, height):
    with pytest.raises(DomainError, match="超出上限"):
        clean_photo(upload(_png_header(width, height), name="炸弹.png"))
