import shutil
import subprocess
import time

import pytest

from wenming.core import fonts
from wenming.core import typst as typst_renderer
from wenming.core.fonts import FONT_DIRS_ENV, FontsMissing, cjk_fonts, find_cjk_fonts
from wenming.core.typst import RenderError, render

ECHO_TEMPLATE = """
#let data = json(bytes(sys.inputs.data))
#let fonts = json(bytes(sys.inputs.fonts))
#set page(width: 12cm, height: auto, margin: 1cm)
#set text(font: fonts.body)
#for line in data.lines [#par(line)]
"""


def pdf_text(pdf: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext 未安装：apt-get install poppler-utils")
    return subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def squash(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def echo_template(tmp_path):
    path = tmp_path / "echo.typ"
    path.write_text(ECHO_TEMPLATE, encoding="utf-8")
    return path


def test_it_renders_data_into_a_pdf(echo_template):
    pdf = render(str(echo_template), {"lines": ["全市创文创卫工作推进会召开", "2024年1月10日"]})

    assert pdf.startswith(b"%PDF-")
    text = squash(pdf_text(pdf))
    assert "全市创文创卫工作推进会召开" in text
    assert "2024年1月10日" in text


def test_text_with_typst_syntax_prints_literally(echo_template, tmp_path):
    (tmp_path / "secret.txt").write_text("root:x:0:0", encoding="utf-8")
    lines = [
        '#read("secret.txt")',
        '#read("/etc/passwd")',
        "$x$ #set page(width: 1cm) <label> @ref *bold* _x_ // ] \\ \\\\",
        "<script>alert(1)</script>",
    ]

    text = squash(pdf_text(render(str(echo_template), {"lines": lines})))

    for line in lines:
        assert squash(line) in text
    assert "root:x:0:0" not in text


def test_a_template_in_error_raises_render_error(tmp_path):
    broken = tmp_path / "broken.typ"
    broken.write_text("#let x = (\n", encoding="utf-8")

    with pytest.raises(RenderError) as caught:
        render(str(broken), {})

    assert "broken.typ" in str(caught.value)


def test_a_missing_template_raises_render_error():
    with pytest.raises(RenderError, match="找不到排版模板"):
        render("no_such_template.typ", {})


def test_fonts_are_scanned_once_per_process(echo_template):
    data = {"lines": ["文明实践"]}
    render(str(echo_template), data)
    scans = fonts.scan_count
    compiler = typst_renderer._compiler

    started = time.perf_counter()
    for _ in range(5):
        render(str(echo_template), data)
    per_render = (time.perf_counter() - started) / 5

    assert fonts.scan_count == scans
    assert typst_renderer._compiler is compiler
    # A rescan of the CJK fonts alone takes longer than this.
    assert per_render < 0.5


def test_every_role_falls_back_to_noto_cjk():
    found = cjk_fonts()

    assert set(found.roles) == {"title", "body", "kai", "hei", "song"}
    for families in found.roles.values():
        assert families
        assert set(families) <= set(found.families)
    if "Noto Serif CJK SC" in found.families:
        assert found.roles["body"][-2:] == ["Noto Serif CJK SC", "Noto Sans CJK SC"]
        assert found.roles["hei"][-1] == "Noto Serif CJK SC"


def test_no_cjk_font_raises_fonts_missing(tmp_path):
    with pytest.raises(FontsMissing) as caught:
        find_cjk_fonts([tmp_path], include_system=False)

    assert "fonts-noto-cjk" in str(caught.value)


def test_font_dirs_from_environment_are_scanned(tmp_path, monkeypatch):
    monkeypatch.setenv(FONT_DIRS_ENV, str(tmp_path))
    with pytest.raises(FontsMissing, match="fonts-noto-cjk"):
        find_cjk_fonts(include_system=False)

    monkeypatch.setenv(FONT_DIRS_ENV, cjk_fonts().dirs[0])
    found = find_cjk_fonts(include_system=False)

    assert found.families
    assert set(found.families) <= set(cjk_fonts().families)
