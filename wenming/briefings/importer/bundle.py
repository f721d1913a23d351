"""Many legacy files at once: the files of one upload, a ZIP of them
expanded with limits. A ZIP is only ever read into memory, never written to
disk, but its member names are still checked: one that climbs out of its
folder or is absolute marks a crafted archive, and the whole archive is
refused. Sizes are checked from the archive's directory before a byte is
decompressed, and again while reading (zipfile never returns more than a
member announces; a lying header fails its CRC check)."""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass

from wenming.briefings.importer.extract import DOCX_MAX_RATIO, max_bytes
from wenming.briefings.importer.text import ImportRefused

MAX_FILES = 100
MAX_TOTAL = 200 * 1024 * 1024
_RATIO_FLOOR = 1024 * 1024  # tiny members may compress extremely well
_SKIPPED = ("__MACOSX/", ".DS_Store", "Thumbs.db", "desktop.ini")


@dataclass
class BundledFile:
    name: str
    data: bytes


def is_plain_zip(data: bytes) -> bool:
    """A ZIP of files, not a DOCX (which is a ZIP too)."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return True  # damaged: refused as a ZIP with a message below
    return "word/document.xml" not in names and "[Content_Types].xml" not in names


def expand(uploads: list[tuple[str, bytes]]) -> list[BundledFile]:
    """The files of an upload, with each plain ZIP among them replaced by its
    files. Refuses (ImportRefused, in Chinese) a crafted or oversized ZIP,
    and more than MAX_FILES files or MAX_TOTAL bytes in all."""
    files: list[BundledFile] = []
    for name, data in uploads:
        if is_plain_zip(data):
            files += _members(name, data, budget=MAX_TOTAL - sum(len(f.data) for f in files))
        else:
            files.append(BundledFile(_base(name), data))
        if len(files) > MAX_FILES:
            raise ImportRefused(f"一次最多导入{MAX_FILES}个文件，本次有{len(files)}个以上，"
                                "请分批上传。")
    if sum(len(f.data) for f in files) > MAX_TOTAL:
        raise ImportRefused(f"文件合计超过{MAX_TOTAL // 1024 // 1024} MB，请分批上传。")
    if not files:
        raise ImportRefused("没有可导入的文件。")
    return files


def _members(zip_name: str, data: bytes, budget: int) -> list[BundledFile]:
    label = f"压缩包“{_base(zip_name)}”"
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportRefused(f"{label}已损坏，无法打开。") from None
    infos = [i for i in infos if not i.is_dir() and not _skipped(i.filename)]
    if len(infos) > MAX_FILES:
        raise ImportRefused(f"{label}含有{len(infos)}个文件，超过一次{MAX_FILES}个的上限，"
                            "请分批上传。")
    limit = max_bytes()
    for info in infos:
        if not _safe(info.filename):
            raise ImportRefused(f"{label}中的“{info.filename}”路径不安全（指向压缩包以外），"
                                "已拒绝整个压缩包。")
        if info.flag_bits & 0x1:
            raise ImportRefused(f"{label}中的“{info.filename}”已加密，请解除密码后再上传。")
        if info.file_size > limit:
            raise ImportRefused(f"{label}中的“{info.filename}”解压后为"
                                f"{info.file_size / 1024 / 1024:.1f} MB，超过单个文件"
                                f"{limit // 1024 // 1024} MB的上限。")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_FLOOR and ratio > DOCX_MAX_RATIO:
            raise ImportRefused(f"{label}中的“{info.filename}”压缩比高达{ratio:.0f}倍，"
                                "疑似压缩炸弹，已拒绝。")
    total = sum(i.file_size for i in infos)
    if total > budget:
        raise ImportRefused(f"{label}解压后合计{total / 1024 / 1024:.1f} MB，超过"
                            f"{MAX_TOTAL // 1024 // 1024} MB的上限，请分批上传。")
    files = []
    for info in infos:
        try:
            with archive.open(info) as member:
                content = member.read(limit + 1)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
            raise ImportRefused(f"{label}中的“{info.filename}”已损坏，无法解压。") from None
        if is_plain_zip(content):
            raise ImportRefused(f"{label}中又含有压缩包“{info.filename}”，请解压后再上传。")
        files.append(BundledFile(_base(info.filename), content))
    return files


def _safe(name: str) -> bool:
    name = name.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return False
    return ".." not in posixpath.normpath(name).split("/")


def _skipped(name: str) -> bool:
    return any(part in name for part in _SKIPPED) or posixpath.basename(name).startswith("._")


def _base(name: str) -> str:
    return posixpath.basename(name.replace("\\", "/"))[:200] or "未命名文件"


def pack(uploads: list[tuple[str, bytes]]) -> bytes:
    """The uploaded files as one stored ZIP: what a background task reads."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for n, (name, data) in enumerate(uploads, start=1):
            # Numbered, so two uploads of the same name both arrive.
            archive.writestr(f"{n:04d}/{_base(name)}", data)
    return out.getvalue()


def unpack(data: bytes) -> list[tuple[str, bytes]]:
    """What `pack` packed, in order (our own archive: no limits needed
    beyond the request's, which it came through)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(_base(info.filename), archive.read(info)) for info in archive.infolist()]
