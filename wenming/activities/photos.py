"""Uploaded photos, made safe to keep and to show.

Whatever a phone or a browser sends is decoded by Pillow and written out
again as a plain JPEG: the stored file carries no EXIF block (GPS position,
device, owner name), no embedded scripts or trailing payloads, and has a
bounded size. Files that do not decode as a raster image, and images whose
declared size would take too much memory to decode (image bombs), are
refused before any pixel is read.
"""

import io
import uuid
import warnings
from dataclasses import dataclass

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from wenming.core.errors import DomainError

MAX_UPLOAD_BYTES = 15 * 1024 * 1024
# 50 megapixels covers every phone camera; decoding one takes ~150 MB.
MAX_PIXELS = 50_000_000
# Long side of the stored photo: enough for a briefing page or a screen.
MAX_SIDE = 2048
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "GIF", "BMP", "TIFF"}


@dataclass
class CleanPhoto:
    content: ContentFile
    width: int
    height: int


def clean_photo(upload, label="照片"):
    """Decode `upload` (a Django UploadedFile or any file object with a
    name) and return it re-encoded as a JPEG without metadata."""
    name = getattr(upload, "name", "") or "照片"
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise DomainError(f"{label}“{name}”超过{MAX_UPLOAD_BYTES // 1048576}MB，请压缩后上传。",
                          field="photos")
    data = upload.read()
    if len(data) > MAX_UPLOAD_BYTES:
        raise DomainError(f"{label}“{name}”超过{MAX_UPLOAD_BYTES // 1048576}MB，请压缩后上传。",
                          field="photos")
    not_an_image = DomainError(f"{label}“{name}”不是可识别的图片文件（支持 JPG、PNG、WebP）。",
                               field="photos")
    with warnings.catch_warnings():
        # Pillow only warns below twice its own limit; every warning is a refusal here.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            # The header alone gives the size; refuse before decoding any pixel.
            width, height = image.size
            if width * height > MAX_PIXELS or width <= 0 or height <= 0:
                raise DomainError(f"{label}“{name}”的尺寸为{width}×{height}像素，超出上限，"
                                  "不予接收。", field="photos")
            if image.format not in ACCEPTED_FORMATS:
                raise not_an_image
            if image.format in ("JPEG", "MPO"):
                # Decode a large JPEG straight at a reduced scale: several times faster.
                image.draft("RGB", (MAX_SIDE, MAX_SIDE))
            image.load()
            image = ImageOps.exif_transpose(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise DomainError(f"{label}“{name}”的尺寸超出上限，不予接收。",
                              field="photos") from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise not_an_image from None
    image = _flatten(image)
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # No exif= argument: the new file has no metadata at all.
    image.save(out, "JPEG", quality=85, optimize=True)
    return CleanPhoto(ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg"),
                      image.width, image.height)


def _flatten(image):
    """RGB on white: transparency and palettes have no place in a JPEG."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")
