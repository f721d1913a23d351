"""Typst renderer: compile a .typ template with data passed as JSON.

User text reaches Typst only as data: `render()` hands the template two
inputs, ``sys.inputs.data`` (the JSON of `data`) and ``sys.inputs.fonts``
(the JSON of the resolved font roles, see `wenming.core.fonts`); a template
reads them with ``json(bytes(sys.inputs.data))``. Nothing is ever pasted into
markup, so text such as ``#read("/etc/passwd")`` prints literally.

Images (a bulletin's photos) come as ``assets={name: bytes}``: Typst reads
files only under its root, so such a render compiles a copy of the template
in a fresh temporary directory that holds nothing but the template's sibling
``.typ`` files and the assets. The template is given the asset names as data
and reads nothing else from disk.

One compiler (holding the scanned fonts) is kept per process; it holds no
data between renders.
"""

import json
import logging
import re
import shutil
import tempfile
import threading
from pathlib import Path

from wenming.core.fonts import cjk_fonts

logger = logging.getLogger(__name__)

TEMPLATE_DIR = Path(__file__).resolve().parent / "typst_templates"
PACKAGE_DIR = Path(__file__).resolve().parent.parent

_lock = threading.Lock()
_compiler = None


class RenderError(Exception):
    """Typst could not typeset a document."""

    def __init__(self, message, diagnostic="", hints=()):
        super().__init__(message)
        self.message = message
        self.diagnostic = diagnostic
        self.hints = list(hints)

    def __str__(self):
        parts = [self.message]
        if self.diagnostic and self.diagnostic not in self.message:
            parts.append(self.diagnostic)
        parts += [f"提示：{hint}" for hint in self.hints]
        return "\n".join(parts)


# An asset is a plain file name: no directories, no hidden files.
_ASSET_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")


def render(template_name: str, data: dict, assets: dict[str, bytes] | None = None) -> bytes:
    """Compile a Typst template to PDF bytes, with `data` as its only input.

    `template_name` is an absolute path, a name under
    ``wenming/core/typst_templates/``, or a path relative to the ``wenming``
    package (e.g. ``briefings/render/briefing.typ``).

    `assets` maps plain file names to their bytes (e.g. ``{"p1.jpg": ...}``);
    the template reads them by those names, next to itself, with
    ``image(name)``. Names only, never paths: the template sees nothing else.
    """
    path = resolve_template(template_name)
    if not assets:
        return _compile(path, data)
    with tempfile.TemporaryDirectory(prefix="wenming-typst-") as tmp:
        root = Path(tmp)
        siblings = {p.name for p in path.parent.glob("*.typ")}
        for name, content in assets.items():
            if not _ASSET_NAME.fullmatch(name) or name in siblings:
                raise RenderError(f"排版附件名称不合规：{name!r}")
            (root / name).write_bytes(content)
        # The template may import its sibling .typ files; nothing else is copied.
        for name in siblings:
            shutil.copyfile(path.parent / name, root / name)
        return _compile(root / path.name, data, label=path.name)


def _compile(path: Path, data: dict, label: str = "") -> bytes:
    import typst

    label = label or path.name
    fonts = cjk_fonts()
    inputs = {
        "data": json.dumps(data, ensure_ascii=False, default=str),
        "fonts": json.dumps(fonts.roles, ensure_ascii=False),
    }
    # A Typst compiler is not re-entrant; renders in one process take turns.
    with _lock:
        compiler = _get_compiler(fonts)
        try:
            pdf, warnings = compiler.compile_with_warnings(
                input=str(path), root=str(path.parent), format="pdf", sys_inputs=inputs
            )
        except typst.TypstError as exc:
            raise RenderError(
                f"排版失败（{label}）：{exc.message}", exc.diagnostic, exc.hints or ()
            ) from exc
        except RuntimeError as exc:
            raise RenderError(f"排版失败（{label}）：{exc}") from exc
    for warning in warnings:
        logger.warning("Typst warning in %s: %s", label, getattr(warning, "message", warning))
    return pdf


def resolve_template(template_name: str) -> Path:
    """The template file for `template_name`; RenderError if there is none."""
    name = Path(template_name)
    candidates = [name] if name.is_absolute() else [TEMPLATE_DIR / name, PACKAGE_DIR / name]
    for candidate in candidates:
        if candidate.is_file():
            return candidate.resolve()
    raise RenderError(f"找不到排版模板：{template_name}")


def _get_compiler(fonts):
    global _compiler
    if _compiler is None:
        import typst

        _compiler = typst.Compiler(font_paths=fonts.typst_fonts, ignore_system_fonts=True)
    return _compiler
