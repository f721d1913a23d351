"""A supplement keeps the serial number: 增刊第2期（总第30期） in every edition,
as on the issue itself."""

import io
from datetime import date

import pytest
from docx import Document

from wenming.briefings import services
from wenming.briefings.render import render_issue
from wenming.briefings.tests.factories import make_series
from wenming.core.testing import pdf_text, squash

LABEL = "增刊第2期（总第30期）"


@pytest.fixture
def supplement(people):
    editor = people["editor"]
    series = make_series(editor)
    issue = services.create_issue(editor, series, date=date(2024, 5, 4), number=2,
                                  is_supplement=True, columns=[("工作动态", False)])
    issue.serial = 30
    issue.save()
    services.add_article(editor, issue.columns.get(), title="五四青年节志愿服务活动",
                         body="5月4日，青年志愿者走进社区开展服务。")
    return issue


def test_supplement_label_names_the_serial(supplement):
    assert supplement.number_text == LABEL
    assert str(supplement) == f"《周口精神文明建设》2024年{LABEL}"


def test_txt_and_docx_editions_show_the_supplement_serial(supplement):
    assert f"\n{LABEL}\n" in render_issue(supplement, "txt").decode()
    document = Document(io.BytesIO(render_issue(supplement, "docx")))
    assert LABEL in [p.text for p in document.paragraphs]


def test_html_and_pdf_editions_show_the_supplement_serial(supplement):
    assert f'<p class="masthead-number">{LABEL}</p>' in render_issue(supplement, "html").decode()
    assert LABEL in squash(pdf_text(render_issue(supplement, "pdf"), 1, 1))
