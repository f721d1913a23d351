"""Discovery of the CJK fonts used to typeset documents.

Chinese official documents name their typefaces by role: the masthead and
headings use 方正小标宋, the body 仿宋_GB2312, notes 楷体_GB2312, column heads
黑体. Those commercial fonts are often missing on a server, so every role
resolves to the families actually installed, in order of preference, and
always ends with the free Noto CJK fonts so a missing glyph never shows as a
box.

The scan runs once per process (`cjk_fonts()`); `find_cjk_fonts()` does an
uncached scan, e.g. of an explicit directory in tests.
"""

import os
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path

FONT_DIRS_ENV = "WENMING_FONT_DIRS"

STANDARD_FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.fonts",
    "~/.local/share/fonts",
)

SERIF_FALLBACK = "Noto Serif CJK SC"
SANS_FALLBACK = "Noto Sans CJK SC"

# Preferred family names per role, best first. Both the Chinese and the
# English names are listed because fonts register either.
ROLE_PREFERENCES = {
    "title": (
        "方正小标宋简体",
        "FZXiaoBiaoSong-B05S",
        "方正小标宋_GBK",
        "FZXiaoBiaoSong-B05",
        "黑体",
        "SimHei",
    ),
    "body": (
        "仿宋_GB2312",
        "FangSong_GB2312",
        "仿宋",
        "FangSong",
        "STFangsong",
        "FandolFang",
    ),
    "kai": (
        "楷体_GB2312",
        "KaiTi_GB2312",
        "楷体",
        "KaiTi",
        "STKaiti",
        "LXGW WenKai",
        "FandolKai",
    ),
    "hei": ("黑体", "SimHei", "STHeiti", "FandolHei", SANS_FALLBACK),
    "song": ("宋体", "SimSun", "STSong", "FandolSong", SERIF_FALLBACK),
}

# Last resorts, in order, appended to every role.
ROLE_FALLBACKS = {
    "title": (SERIF_FALLBACK, SANS_FALLBACK),
    "body": (SERIF_FALLBACK, SANS_FALLBACK),
    "kai": (SERIF_FALLBACK, SANS_FALLBACK),
    "hei": (SANS_FALLBACK, SERIF_FALLBACK),
    "song": (SERIF_FALLBACK, SANS_FALLBACK),
}

_FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")

# Family names that are CJK fonts even when fontconfig is not there to say so.
_CJK_NAME = re.compile(
    r"CJK|Source Han|WenQuanYi|Fandol|LXGW|GB2312|GBK|Sim(Sun|Hei)|KaiTi|FangSong|"
    r"XiaoBiaoSong|^ST(Song|Kaiti|Fangsong|Heiti)|[\u4e00-\u9fff]",
    re.IGNORECASE,
)

MISSING_MESSAGE = (
    "未找到中文字体，无法排版 PDF。请安装 Debian 软件包 fonts-noto-cjk"
    "（可选：fonts-lxgw-wenkai 提供楷体，texlive-lang-chinese 提供 FandolFang 仿宋），"
    "或将方正小标宋、仿宋_GB2312、楷体_GB2312、黑体等字体文件放入环境变量 "
    f"{FONT_DIRS_ENV} 指定的目录。"
)


class FontsMissing(Exception):
    """No CJK font is installed; the message says which packages to install."""

    def __init__(self, message=MISSING_MESSAGE):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class FontSet:
    """The CJK fonts found on this machine.

    `dirs` are the directories to hand to Typst, `roles` maps each role
    (title, body, kai, hei, song) to the family names to use, best first, and
    `typst_fonts` is the `typst.Fonts` object built from `dirs` (reused by the
    compiler so the fonts are scanned once).
    """

    dirs: tuple[str, ...]
    roles: dict[str, list[str]]
    families: tuple[str, ...]
    typst_fonts: object = field(default=None, compare=False, repr=False)


_lock = threading.Lock()
_cached: FontSet | None = None

# Number of real scans in this process; lets tests and benchmarks check that
# rendering does not rescan fonts.
scan_count = 0


def cjk_fonts() -> FontSet:
    """The process-wide font set, scanned on first use."""
    global _cached
    if _cached is None:
        with _lock:
            if _cached is None:
                _cached = find_cjk_fonts()
    return _cached


def find_cjk_fonts(dirs=None, *, include_system: bool = True) -> FontSet:
    """Scan for CJK fonts and resolve the roles; raise FontsMissing if none.

    `dirs` adds font directories to scan (as does the WENMING_FONT_DIRS
    environment variable, ``os.pathsep``-separated). With
    ``include_system=False`` only those directories are scanned.
    """
    import typst

    global scan_count
    scan_count += 1

    extra = [Path(d).expanduser() for d in (dirs or ())]
    extra += [Path(d).expanduser() for d in _env_dirs()]
    aliases_by_face: dict[tuple[str, int], set[str]] = {}
    search = [d for d in extra if d.is_dir()]
    if include_system:
        aliases_by_face = _fontconfig_cjk_faces()
        if aliases_by_face:
            search += sorted({Path(f).parent for f, _ in aliases_by_face})
        else:
            search += [d for d in map(Path, STANDARD_FONT_DIRS) if d.expanduser().is_dir()]
    search_dirs = tuple(dict.fromkeys(str(d.expanduser().resolve()) for d in search))
    if not search_dirs:
        raise FontsMissing()

    fonts = typst.Fonts(
        include_system_fonts=False, include_embedded_fonts=True, font_paths=list(search_dirs)
    )
    # Typst's family name for each font, with every alias fontconfig knows.
    names: dict[str, set[str]] = {}
    for info in fonts.fonts():
        if not info.path:
            continue  # Typst's embedded Latin fonts
        aliases = aliases_by_face.get((str(Path(info.path).resolve()), info.index), set())
        if aliases or _CJK_NAME.search(info.family):
            names.setdefault(info.family, set()).update(aliases | {info.family})
    if not names:
        raise FontsMissing()

    roles = {role: _resolve(role, names) for role in ROLE_PREFERENCES}
    return FontSet(dirs=search_dirs, roles=roles, families=tuple(sorted(names)), typst_fonts=fonts)


def _resolve(role: str, names: dict[str, set[str]]) -> list[str]:
    """Family names for a role: preferred ones present, then the fallbacks,
    then any other CJK family so there is always something to fall back to."""

    def key(name):
        return re.sub(r"[\s_-]", "", name).casefold()

    lookup = {}
    for family, aliases in sorted(names.items()):
        for alias in aliases:
            lookup.setdefault(key(alias), family)
    chosen = [lookup[key(n)] for n in ROLE_PREFERENCES[role] if key(n) in lookup]
    fallbacks = [lookup[key(n)] for n in ROLE_FALLBACKS[role] if key(n) in lookup]
    if not fallbacks:
        # No Noto CJK: any CJK family present, Simplified Chinese ones first.
        fallbacks = sorted(names, key=lambda name: (not re.search(r"\bSC\b|GB|简", name), name))
    return list(dict.fromkeys(chosen + fallbacks))


def _env_dirs() -> list[str]:
    value = os.environ.get(FONT_DIRS_ENV, "")
    return [d for d in value.split(os.pathsep) if d.strip()]


def _fontconfig_cjk_faces() -> dict[tuple[str, int], set[str]]:
    """Font faces (file, index) fontconfig says cover Chinese, with their
    family aliases."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return {}
    try:
        out = subprocess.run(
            [fc_list, ":lang=zh", "--format", "%{file}\t%{index}\t%{family}\n"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    faces: dict[tuple[str, int], set[str]] = {}
    for line in out.splitlines():
        path, _, rest = line.partition("\t")
        index, _, families = rest.partition("\t")
        if not path.lower().endswith(_FONT_SUFFIXES) or not index.isdigit():
            continue
        aliases = {f.strip().replace("\\-", "-") for f in families.split(",") if f.strip()}
        faces.setdefault((str(Path(path).resolve()), int(index)), set()).update(aliases)
    return faces
