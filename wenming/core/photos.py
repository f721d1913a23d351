"""Photos from phones and browsers: checked, re-encoded without metadata.

Every stored copy is a fresh JPEG written by Pillow from the decoded pixels,
so no EXIF block (GPS position, device, owner), embedded script or trailing
payload survives to anyone who sees it, and its size is bounded. Files that
do not decode as a raster image, and images whose header claims a canvas too
large to decode safely (decompression bombs), are refused before any pixel
is read. A campaign problem is placed on the map from its photo, so a caller
may ask for the EXIF GPS position to be read before the metadata is dropped.
"""

import io
import uuid
import warnings
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

from wenming.core.errors import DomainError

# A 50-megapixel phone photo is accepted; decoding 60 megapixels takes ~180 MB.
MAX_PIXELS = 60_000_000
# Long side of the stored photo: enough to see a problem and to print it in a
# bulletin, small enough for a liaison's slow connection.
MAX_SIDE = 1600
QUALITY = 80
# What the messages promise, JPG, PNG and WebP, and nothing else; MPO is the
# JPEG that phones write with a second (depth or preview) frame.
FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}

_GPS_IFD = 0x8825


@dataclass(frozen=True)
class Photo:
    content: bytes
    width: int
    height: int
    gps: tuple[float, float] | None = None


def prepare(upload, label="照片", *, keep_gps=False):
    """An uploaded file → a re-encoded Photo; DomainError naming `label` and
    the file if it is not a usable image. With `keep_gps` the EXIF GPS
    position is read into Photo.gps (the stored JPEG never carries it)."""
    name = getattr(upload, "name", "") or label
    limit = settings.WENMING_MAX_UPLOAD_BYTES
    too_big = DomainError(f"{label}“{name}”超过{limit // (1024 * 1024)}MB，请压缩后上传。",
                          field="photos")
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise too_big
    upload.seek(0)
    data = upload.read(limit + 1)  # a file object may not know (or may misstate) its size
    if len(data) > limit:
        raise too_big
    with warnings.catch_warnings():
        # Pillow only warns below twice its own limit; every warning is a refusal here.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS:
                raise DomainError(f"{label}“{name}”的格式（{image.format}）不支持，"
                                  "请上传 JPEG、PNG 或 WebP 图片。", field="photos")
            # The header alone gives the size; refuse before decoding any pixel.
            width, height = image.size
            if width * height > MAX_PIXELS or width <= 0 or height <= 0:
                raise DomainError(f"{label}“{name}”的尺寸为{width}×{height}像素，超出上限，"
                                  "不予接收。", field="photos")
            gps = _gps(image) if keep_gps else None
            if image.format in ("JPEG", "MPO"):
                # Decode a large JPEG straight at a reduced scale: several times faster.
                image.draft("RGB", (MAX_SIDE, MAX_SIDE))
            image.load()
            image = ImageOps.exif_transpose(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise DomainError(f"{label}“{name}”的尺寸超出上限，不予接收。",
                              field="photos") from None
        except UnidentifiedImageError:
            raise DomainError(f"{label}“{name}”不是可识别的图片文件（支持 JPG、PNG、WebP）。",
                              field="photos") from None
        except (OSError, SyntaxError, ValueError):
            raise DomainError(f"{label}“{name}”已损坏或不完整，无法读取，请重新上传。",
                              field="photos") from None
    return _reencode(image, gps)


def max_photos():
    return settings.WENMING_MAX_PHOTOS


def prepare_all(uploads, label="照片", *, keep_gps=False, have=0):
    """Several uploads (empty ones skipped) → Photos, all checked before any
    is written; photos already prepared pass through unchanged. `have`
    photos are already on the record and count against the limit."""
    uploads = [u for u in uploads or () if u]
    limit = max_photos()
    if have + len(uploads) > limit:
        already = f"（已有{have}张）" if have else ""
        raise DomainError(f"{label}最多{limit}张{already}。", field="photos")
    return [u if isinstance(u, Photo) else prepare(u, label, keep_gps=keep_gps)
            for u in uploads]


def _reencode(image, gps):
    image = _flatten(image)
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # No exif=, no icc_profile=: the new file carries pixels only.
    image.save(out, "JPEG", quality=QUALITY, optimize=True, progressive=True)
    return Photo(out.getvalue(), image.width, image.height, gps)


def _flatten(image):
    """RGB on white: transparency and palettes have no place in a JPEG."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


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
_written = ContextVar("photo_files_written", default=None)


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


def store_all(photos, new_row, first=1):
    """Write prepared photos, each into the `image` field of the unsaved row
    that new_row(photo, order) builds, and save the rows. A failure midway
    removes the files already written; the rows roll back with the caller's
    transaction."""
    rows = []
    with cleanup_on_error():
        for order, photo in enumerate(photos, start=first):
            row = new_row(photo, order)
            save_to(row.image, photo, uuid.uuid4().hex)
            row.save()
            rows.append(row)
    return rows


def save_to(field_file, photo, stem):
    """Write a prepared photo into a FileField (without saving the row)."""
    try:
        field_file.save(f"{stem}.jpg", ContentFile(photo.content), save=False)
    except OSError as e:
        raise DomainError(f"照片保存失败（{e}），请稍后重试，已填写的内容不会重复提交。") from e
    written = _written.get()
    if written is not None:
        written.append(field_file.name)
