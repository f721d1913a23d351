"""The index in Excel: one row per criterion with hierarchical codes;
import is all or nothing and names the bad rows; versions per year keep old
problems on the criterion they were found under."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from wenming.campaign.excel import INDEX_HEADERS
from wenming.campaign.models import Criterion, Index
from wenming.campaign.tests.factories import make_campaign, make_problem, make_site, sheet, upload


def _xlsx(rows, headers=INDEX_HEADERS):
    return sheet(headers, rows, "index.xlsx")


GOOD = [
    ["1", "公共环境", "1.1", "农贸市场", "1.1.1", "市场整洁有序", "实地考察", 2, "农贸市场"],
    ["1", "公共环境", "1.1", "农贸市场", "1.1.2", "公益广告规范", "实地考察", 1.5, "农贸市场、背街小巷"],
    ["2", "公共秩序", "2.10", "交通秩序", "2.10.1", "车辆停放有序", "实地考察", 1, "全部"],
    ["2", "公共秩序", "2.11", "制度建设", "2.11.1", "有门前三包制度", "材料审核", "1", ""],
]


def _post(client, year, file):
    """The upload answers with the task page, where the background import
    (run by the test's immediate task backend) shows what came of it."""
    response = client.post(reverse("campaign:index_list"), {"year": year, "name": "",
                                                            "file": file})
    assert response.status_code == 302 and response.url.startswith("/tasks/")
    return client.get(response.url)


def _import(client, year, rows):
    return _post(client, year, _xlsx(rows))


def test_import_export_round_trip(client, people):
    make_campaign(people["admin"])
    client.force_login(people["inspector"])
    page = _import(client, 2025, GOOD).content.decode()
    index = Index.objects.get(year=2025)
    assert "已完成" in page and f"已导入{index}，共4条测评标准。" in page
    assert reverse("campaign:index_detail", args=[index.pk]) in page
    assert index.criteria.count() == 4 and index.areas.count() == 2
    c = index.criteria.get(code="1.1.2")
    assert c.item.code == "1.1" and c.area.code == "1" and float(c.weight) == 1.5
    assert {x.name for x in c.categories.all()} == {"农贸市场", "背街小巷"}
    assert index.criteria.get(code="2.10.1").categories.count() == 13
    assert index.criteria.get(code="2.11.1").method == Criterion.Method.DOCUMENT

    exported = client.get(reverse("campaign:index_export", args=[index.pk]))
    rows = list(load_workbook(io.BytesIO(exported.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == INDEX_HEADERS
    assert rows[3][:7] == ("2", "公共秩序", "2.10", "交通秩序", "2.10.1", "车辆停放有序", "实地考察")
    # What was exported imports again unchanged, as another year.
    _post(client, 2026, upload(exported.content, name="x.xlsx"))
    assert Index.objects.get(year=2026).criteria.count() == 4


def test_bad_rows_are_named_and_nothing_is_imported(client, people):
    make_campaign(people["admin"])
    client.force_login(people["inspector"])
    bad = GOOD + [
        ["1", "公共环境", "1.1", "农贸市场", "1.1.1", "重复编号", "实地考察", 1, "农贸市场"],
        ["1", "公共环境", "1.2", "背街", "1.3.1", "编号不一致", "实地考察", 1, "农贸市场"],
        ["3", "文明风尚", "3.1", "志愿服务", "3.1.1", "有志愿服务站", "现场看看", 1, "学校"],
        ["3", "文明风尚", "3.1", "志愿服务", "3.1.2", "有宣传栏", "实地考察", 1, "火星基地"],
        ["3", "文明风尚", "3.1", "志愿服务", "3.1.3", "", "实地考察", 1, "学校"],
    ]
    page = _import(client, 2025, bad).content.decode()
    assert "失败" in page
    assert "第6行：测评标准编号“1.1.1”与第2行重复" in page
    assert "第7行：测评标准编号“1.3.1”应以测评内容编号“1.2.”开头" in page
    assert "第8行：测评方法“现场看看”应为材料审核、实地考察、问卷调查" in page
    assert "第9行：未知的点位类别：火星基地" in page
    assert "第10行：“测评标准”不能为空" in page
    assert not Index.objects.filter(year=2025).exists()


def test_missing_headers_and_non_excel_are_refused(client, people):
    make_campaign(people["admin"])
    client.force_login(people["inspector"])
    page = _post(client, 2025, _xlsx([], headers=["编号", "内容"])).content.decode()
    assert "缺少表头：测评项目编号" in page
    page = _post(client, 2025, upload(b"hello", name="a.xlsx")).content.decode()
    assert "不是有效的 Excel" in page


def test_new_year_keeps_old_problems_on_their_criterion(client, people, world):
    make_campaign(people["admin"])
    site = make_site(people["admin"], world)
    old = make_problem(people["inspector"], site)
    client.force_login(people["inspector"])
    # 2024's version is in use: it cannot be replaced wholesale.
    page = _import(client, 2024, GOOD).content.decode()
    assert "已有问题引用，不能整体替换" in page
    _import(client, 2025, [["1", "公共环境", "1.1", "农贸市场管理", "1.1.1",
                            "市场整洁有序，新版表述", "实地考察", 3, "农贸市场"]])
    old.refresh_from_db()
    assert old.criterion.index.year == 2024
    assert old.criterion.text == "市场内外环境整洁，无乱搭乱建、占道经营"
    # The field form now uses the new version.
    page = client.get(reverse("campaign:field_form", args=[site.pk])).content.decode()
    assert "新版表述" in page and "无乱搭乱建" not in page


def test_liaison_cannot_import(client, people):
    make_campaign(people["admin"])
    client.force_login(people["liaison"])
    assert client.get(reverse("campaign:index_list")).status_code == 403


def test_the_command_imports_with_progress_and_a_summary(people, tmp_path, capsys):
    from django.core.management import call_command

    make_campaign(people["admin"])
    path = tmp_path / "index.xlsx"
    path.write_bytes(_xlsx(GOOD).read())
    call_command("campaign", "import-index", str(path), "--year", "2025", "--user", "ivan")
    out, err = capsys.readouterr()
    assert "已导入2025年版测评体系，共4条测评标准。" in out and "100%" in err
    assert Index.objects.get(year=2025).criteria.count() == 4
