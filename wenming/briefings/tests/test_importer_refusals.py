"""Bad input: every refusal is a clear Chinese message, naming the line
where there is one."""

import io
import zipfile

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from wenming.briefings.importer import ImportRefused, extract_upload, parse_bytes, parse_file
from wenming.briefings.render.docx import render_issue_docx
from wenming.briefings.render.pdf import render_issue_pdf
from wenming.briefings.tests.importing import SUPPLEMENT
from wenming.briefings.tests.seed import SEED_NAME
from wenming.core.testing import shared_file


@pytest.fixture(scope="module")
def seed_text():
    return shared_file(*SEED_NAME).read_text(encoding="utf-8")


def _refusal(data: bytes) -> ImportRefused:
    with pytest.raises(ImportRefused) as info:
        parse_bytes(data)
    return info.value


@pytest.fixture(scope="module")
def small_pdf():
    return render_issue_pdf(SUPPLEMENT)


def test_corrupt_pdf(small_pdf):
    assert _refusal(small_pdf[:2000]).message == "PDF 文件已损坏，无法读取。"
    assert _refusal(b"%PDF-1.7\n" + b"\x00garbage" * 100).message == "PDF 文件已损坏，无法读取。"


def test_pdf_with_an_open_password(small_pdf):
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(small_pdf))
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert "密码" in _refusal(buffer.getvalue()).message


def test_docx_zip_bomb_is_refused_before_extraction():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(20):  # 20 MB of zeros shrink to ~20 KB
                member.write(chunk)
    message = _refusal(buffer.getvalue()).message
    assert "压缩比" in message and "压缩炸弹" in message


def test_zip_that_is_not_a_word_document():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert "不是 Word 文档" in _refusal(buffer.getvalue()).message


def test_damaged_docx():
    data = render_issue_docx(SUPPLEMENT)
    assert "DOCX 文件已损坏" in _refusal(data[: len(data) // 2]).message


@pytest.mark.parametrize("data, words", [
    (b"GIF89a" + b"\x00" * 64, "图片（GIF）"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "旧版 Word（.doc）"),
    (bytes(range(256)) * 8, "不是文本文件"),
], ids=["gif", "doc", "binary"])
def test_files_of_other_formats(data, words):
    message = _refusal(data).message
    assert words in message and "只支持 TXT" in message


def test_text_in_an_undetectable_encoding():
    big5 = "周口精神文明建設簡報\n第1期\n這是繁體中文的內容，使用大五碼。".encode("big5")
    message = _refusal(big5).message
    assert "无法识别文本文件的编码" in message and "UTF-8" in message


def test_file_over_the_size_limit_is_not_read(settings, tmp_path):
    settings.WENMING_MAX_UPLOAD_BYTES = 1000
    path = tmp_path / "big.txt"
    with path.open("wb") as f:
        f.truncate(5000)  # sparse: nothing to read, only a size
    with pytest.raises(ImportRefused, match="超过.*上限，未读取"):
        parse_file(path)


def test_uploaded_file_over_the_size_limit_is_not_read(settings):
    class Unreadable(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("the file was read")

    settings.WENMING_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
    upload = Unreadable("big.pdf", b"")
    upload.size = 200 * 1024 * 1024
    with pytest.raises(ImportRefused, match="文件大小为200 MB，超过20 MB的上限，未读取"):
        extract_upload(upload)


def _warning(result, words):
    """The warning containing `words`; it names its line."""
    found = [w for w in result.warnings if words in w]
    assert found, result.warnings
    return found[0]


def test_no_masthead_is_a_warning_not_a_refusal(seed_text):
    body = seed_text[seed_text.index("【工作动态】"):]
    result = parse_bytes(body.encode())
    warning = _warning(result, "没有找到报头：第1行")
    assert warning.line == 1
    assert result.structure["series"] == "" and result.confidence["series"] == 0
    assert result.article_count == 6


def test_no_issue_number_names_the_masthead_lines(seed_text):
    result = parse_bytes(seed_text.replace("第 1 期", "").encode())
    warning = _warning(result, "没有期号")
    assert "第3行" in warning and warning.line == 3
    assert result.structure["number"] is None and result.confidence["number"] == 0
    assert result.confidence["date"] == 1


def test_toc_entry_missing_from_the_body_falls_back_to_the_layout(seed_text):
    text = seed_text.replace("我市举行书香周口第二届全民阅读大会开幕式\n", "我市举行全民健身运动会\n", 1)
    result = parse_bytes(text.encode())
    warning = _warning(result, "目录与正文不一致：目录第25行的标题“我市举行全民健身运动会”")
    assert warning.line == 25 and "已改为按版式识别稿件" in warning
    assert result.confidence["columns"] < 1
    assert result.article_count == 6


def test_body_column_not_in_toc_names_its_line(seed_text):
    second = seed_text.index("【文明时讯】", seed_text.index("【文明时讯】") + 1)
    text = seed_text[:second] + "【文明实践】" + seed_text[second + len("【文明时讯】"):]
    result = parse_bytes(text.encode())
    warning = _warning(result, "正文第71行是栏目“文明实践”")
    assert warning.line == 71
    assert [c["name"] for c in result.structure["columns"]] == ["工作动态", "文明实践"]


def test_toc_title_with_a_small_difference_is_matched_with_a_warning(seed_text):
    text = seed_text.replace("市直文明单位广泛开展双节期间精神文明建设专项活动\n",
                             "市直单位广泛开展双节期间精神文明建设专项活动\n", 1)
    result = parse_bytes(text.encode())
    titles = [a["title"] for a in result.structure["columns"][0]["articles"]]
    assert titles[2].replace(" ", "") == "市直文明单位广泛开展双节期间精神文明建设专项活动"
    assert any("不完全一致" in w for w in result.warnings)


def test_missing_date_names_the_masthead(seed_text):
    result = parse_bytes(seed_text.replace("2024 年 1 月 10 日", "").encode())
    warning = _warning(result, "没有印发日期")
    assert warning.line == 3
    assert result.structure["date"] == "" and result.confidence["date"] == 0


def test_text_with_nothing_to_read_is_refused():
    assert _refusal("  \n\u3000\n".encode()).message == "文件中没有文字。"
