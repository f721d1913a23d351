"""Photos from phones: checked, read for GPS, re-encoded without metadata.

Every stored copy is a fresh JPEG written by Pillow from the decoded pixels,
so no EXIF (GPS, device, owner) survives to anyone who sees it. Files that
are not images, or whose header claims a huge canvas (decompression bombs),
are refused before their pixels are decoded.
"""

import io
import warnings
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

from wenming.core.errors import DomainError

MAX_PIXELS = 60_000_000  # a 60-megapixel photo is already beyond phone cameras' usual output
MAX_SIDE = 1600  # enough to see a problem; small enough for a slow connection
QUALITY = 80
FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "GIF", "BMP"}
MAX_PHOTOS = 6

_GPS_IFD = 0x8825


@dataclass
class Photo:
    content: bytes
    width: int
    height: int
    gps: tuple[float, float] | None


def prepare(upload, label="照片"):
    """An uploaded file → a re-encoded Photo; DomainError naming `label` if it
    is not a usable image."""
    name = getattr(upload, "name", "") or label
    size = getattr(upload, "size", None)
    limit = getattr(settings, "WENMING_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
    if size is not None and size > limit:
        raise DomainError(f"{label}“{name}”超过{limit // (1024 * 1024)}MB，请压缩后再传。",
                          field=label)
    upload.seek(0)
    data = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS:
                raise DomainError(f"{label}“{name}”的格式（{image.format}）不支持，"
                                  "请上传 JPEG、PNG 或 WebP 图片。", field=label)
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise DomainError(f"{label}“{name}”尺寸过大（{width}×{height}像素），"
                                  "不予接收。", field=label)
            gps = _gps(image)
            image = ImageOps.exif_transpose(image)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise DomainError(f"{label}“{name}”尺寸过大，不予接收。", field=label) from None
    except UnidentifiedImageError:
        raise DomainError(f"{label}“{name}”不是可识别的图片文件。", field=label) from None
    except (OSError, SyntaxError, ValueError) as e:
        raise DomainError(f"{label}“{name}”已损坏或不完整，无法读取（{e}）。",
                          field=label) from None
    return _reencode(image, gps)


def prepare_all(uploads, label="照片"):
    uploads = [u for u in uploads or () if u]
    if len(uploads) > MAX_PHOTOS:
        raise DomainError(f"{label}最多{MAX_PHOTOS}张。", field=label)
    return [p if isinstance(p, Photo) else prepare(p, label) for p in uploads]


def _reencode(image, gps):
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        image = background
    elif image.mode != "RGB":
        image = image.convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # No exif=, no icc_profile=: the new file carries pixels only.
    image.save(out, "JPEG", quality=QUALITY, optimize=True, progressive=True)
    return Photo(out.getvalue(), image.width, image.height, gps)


def _rational(value):
    try:
        return float(value)
    except TypeError:
        num, den = value
        return num / den if den else 0.0


def _gps(image):
    """(lat, lng) in WGS-84 from EXIF, or None."""
    try:
        info = image.getexif().get_ifd(_GPS_IFD)
    except Exception:  # broken EXIF is common and never fatal
        return None
    try:
        lat_ref, lat, lng_ref, lng = info[1], info[2], info[3], info[4]
        lat = sum(_rational(v) / 60 ** i for i, v in enumerate(lat))
        lng = sum(_rational(v) / 60 ** i for i, v in enumerate(lng))
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    if str(lat_ref).upper().startswith("S"):
        lat = -lat
    if str(lng_ref).upper().startswith("W"):
        lng = -lng
    if not (-90 <= lat <= 90 and -180 <= lng <= 180) or (lat == 0 and lng == 0):
        return None
    return round(lat, 6), round(lng, 6)


# Files written during one service call; removed again if the call fails,
# so a failed upload leaves neither rows nor orphan files behind.
_written = ContextVar("campaign_written_files", default=None)


@contextmanager
def cleanup_on_error():
    if _written.get() is not None:  # an outer call owns the cleanup
        yield
        return
    token = _written.set([])
    try:
        yield
    except BaseException:
        for name in _written.get():
            try:
                default_storage.delete(name)
            except Exception:  # best effort: the error that matters is re-raised below
                pass
        raise
    finally:
        _written.reset(token)


def save_to(field_file, photo, stem):
    """Write a prepared photo into a FileField (without saving the row)."""
    try:
        field_file.save(f"{stem}.jpg", ContentFile(photo.content), save=False)
    except OSError as e:
        raise DomainError(f"照片保存失败（{e}），请稍后重试，已填写的内容不会重复提交。") from e
    written = _written.get()
    if written is not None:
        written.append(field_file.name)
