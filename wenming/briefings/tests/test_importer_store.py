"""Storing an imported issue: published with its files, in the right series,
all or nothing; and the `briefing import` command."""

import copy
import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse

from wenming.audit.models import AuditEvent
from wenming.briefings.importer import parse_file
from wenming.briefings.importer.store import import_issue
from wenming.briefings.models import Article, Issue, Series
from wenming.briefings.tests.factories import make_series
from wenming.briefings.tests.seed import SEED_NAME
from wenming.core.errors import DomainError
from wenming.core.testing import shared_file

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def seed():
    return parse_file(shared_file(*SEED_NAME)).structure


def test_import_stores_the_issue_as_published(people, seed):
    issue = import_issue(people["editor"], seed, source="000.txt")

    assert issue.status == Issue.Status.PUBLISHED and issue.published_at
    assert (issue.year, issue.number, issue.serial, issue.date.isoformat()) == \
        (2024, 1, None, "2024-01-10")
    assert issue.pdf.name.endswith(".pdf") and issue.docx.name.endswith(".docx")
    with issue.pdf.open("rb") as f:
        assert f.read(5) == b"%PDF-"
    series = issue.series
    assert (series.title, series.kind, series.issuer) == ("周口精神文明建设", "简报", "周口市文明办")
    columns = [(c.name, c.lead_in, c.articles.count()) for c in issue.columns.all()]
    assert columns == [("工作动态", False, 3), ("文明时讯", True, 3)]
    first = issue.articles.get(title="全市创文创卫工作推进会召开")
    assert first.paragraphs == seed["columns"][0]["articles"][0]["paragraphs"]
    assert "推动创建工作标准化" in issue.search_text
    event = AuditEvent.objects.get(verb="issue.import")
    assert event.object_id == str(issue.pk) and event.after["source"] == "000.txt"
    assert event.after["articles"] == 6


def test_import_goes_into_the_series_the_masthead_names(people):
    series = make_series(people["editor"])  # 周口精神文明建设 · 简报
    structure = parse_file(DATA / "supplement_single_article.txt").structure  # “…建设简报”
    issue = import_issue(people["editor"], structure)
    assert issue.series == series and Series.objects.count() == 1
    assert issue.is_supplement and issue.number == 2
    assert (issue.report_to, issue.copy_to, issue.print_run) == ("市委、市政府领导", "", None)


def test_import_into_a_chosen_series(people, seed):
    other = make_series(people["editor"], title="文明创建参考")
    issue = import_issue(people["editor"], seed, other)
    assert issue.series == other


def test_duplicate_import_is_refused(people, seed):
    import_issue(people["editor"], seed)
    with pytest.raises(DomainError, match="《周口精神文明建设》2024年第1期已存在，不能重复导入"):
        import_issue(people["editor"], seed)
    assert Issue.objects.count() == 1


def test_a_failing_import_leaves_nothing_behind(people, seed):
    broken = copy.deepcopy(seed)
    broken["columns"][1]["articles"][2]["title"] = "长" * 201  # the last article fails
    with pytest.raises(DomainError, match="标题"):
        import_issue(people["editor"], broken)
    assert not Series.objects.exists() and not Issue.objects.exists()
    assert not Article.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="issue.").exists()


def test_credit_links_a_known_unit_and_keeps_an_unknown_one(people):
    structure = parse_file(DATA / "gbk_flat_toc.txt").structure
    structure["columns"][0]["articles"][0]["source_unit"] = "川汇区"
    issue = import_issue(people["editor"], structure)
    known, unknown = issue.articles.order_by("order")
    assert known.source_unit.name == "川汇区"
    assert unknown.source_unit is None and unknown.author == "七一路街道办事处"


def test_liaison_cannot_import(people, seed):
    with pytest.raises(PermissionDenied):
        import_issue(people["liaison"], seed)
    assert not Issue.objects.exists()


def test_structure_from_outside_is_checked(people, seed):
    for change in ({"number": "1"}, {"date": "2024-13-40"}, {"columns": []}):
        with pytest.raises(DomainError, match="导入数据不完整或格式不对"):
            import_issue(people["editor"], {**seed, **change})


# The command ----------------------------------------------------------------------------


def _run(*args):
    out = io.StringIO()
    call_command("briefing", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip().splitlines()


def test_import_command_prints_the_new_id(people):
    lines = _run("import", str(shared_file(*SEED_NAME)), "--user", "emma")
    issue = Issue.objects.get()
    assert lines[-1] == str(issue.pk)
    assert any("2个栏目、6篇稿件" in line for line in lines)
    assert issue.status == Issue.Status.PUBLISHED


def test_import_command_dry_run_writes_nothing(people):
    lines = _run("import", str(DATA / "county_four_columns.txt"), "--user", "emma", "--dry-run")
    assert "试运行：将作为《淮阳文明创建》2023年第12期导入新建系列《淮阳文明创建》" in lines[-1]
    assert not Issue.objects.exists() and not Series.objects.exists()


def test_import_command_into_a_named_series(people):
    _run("import", str(DATA / "gbk_flat_toc.txt"), "--user", "emma", "--series", "川汇简报")
    assert Issue.objects.get().series.title == "川汇简报"


def test_import_command_refusal_is_a_command_error(people, tmp_path):
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4\nnot really")
    with pytest.raises(CommandError, match="PDF 文件已损坏"):
        _run("import", str(bad), "--user", "emma")
    _run("import", str(shared_file(*SEED_NAME)), "--user", "emma")
    with pytest.raises(CommandError, match="已存在"):
        _run("import", str(shared_file(*SEED_NAME)), "--user", "emma")
    assert Issue.objects.count() == 1


def test_photo_captions_are_stored_apart_and_shown_under_their_article(client, people):
    structure = parse_file(Path(__file__).resolve().parent / "corpus"
                           / "08_zhangzhou_2015.txt").structure
    issue = import_issue(people["editor"], structure)
    first = issue.articles.get(title="全省爱国卫生月宣传活动在漳启动")
    assert first.caption_list == ["图为启动仪式现场"] and "图为" not in first.body
    assert issue.articles.get(title="家园清洁行动同步展开").captions == "▲志愿者在社区开展清洁活动"
    public = client.get(reverse("briefings:web_edition", args=[issue.pk])).content.decode()
    assert '<p class="caption">图为启动仪式现场</p>' in public
    assert public.index("提供义诊和健康咨询") < public.index("图为启动仪式现场") \
        < public.index("家园清洁行动同步展开</h3>")
    client.force_login(people["editor"])
    preview = client.get(reverse("briefings:issue_render", args=[issue.pk, "html"]))
    assert '<p class="caption">▲志愿者在社区开展清洁活动</p>' in preview.content.decode()
    created = AuditEvent.objects.filter(verb="article.create", object_id=str(first.pk)).get()
    assert created.after["captions"] == "图为启动仪式现场"


def test_captions_in_an_edited_structure_must_be_text(people):
    structure = parse_file(Path(__file__).resolve().parent / "corpus"
                           / "08_zhangzhou_2015.txt").structure
    structure["columns"][0]["articles"][0]["captions"] = [{"a": 1}]
    with pytest.raises(DomainError, match="图片说明格式不对"):
        import_issue(people["editor"], structure)


def test_captions_printed_in_our_pdf_come_back_as_captions():
    from wenming.briefings.importer import parse_bytes
    from wenming.briefings.render.pdf import render_issue_pdf
    from wenming.briefings.tests.importing import COUNTY

    data = copy.deepcopy(COUNTY)
    article = data["columns"][0]["articles"][0]
    article["captions"] = ["图为区委常委会会议现场"]
    parsed = parse_bytes(render_issue_pdf(data)).structure["columns"][0]["articles"][0]
    assert parsed["captions"] == ["图为区委常委会会议现场"]
    assert parsed["paragraphs"] == article["paragraphs"]
