import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from wenming.accounts.tests.factories import make_user
from wenming.core.periods import Period
from wenming.surveys import services
from wenming.surveys.drafts import rates_article
from wenming.surveys.models import Response
from wenming.surveys.tests.factories import add_responses, make_questionnaire

Q1 = {"period": "2024Q1"}


@pytest.fixture
def data(people, world):
    q = make_questionnaire(people["editor"])
    add_responses(q, world["chuanhui"], date(2023, 11, 5), 100, satisfaction=60, awareness=80)
    add_responses(q, world["chuanhui"], date(2024, 2, 10), 100, satisfaction=90, awareness=95,
                  street=world["street"])
    add_responses(q, world["huaiyang"], date(2024, 2, 11), 20, satisfaction=12, awareness=15)
    add_responses(q, world["huaiyang"], date(2024, 2, 12), 10, satisfaction=8, channel="online")
    services.set_population(people["editor"], world["chuanhui"], population=700_000, year=2023)
    services.set_population(people["editor"], world["huaiyang"], population=1_100_000,
                            year=2023)
    return q


def test_office_sees_rates_intervals_flags_and_weighting(client, people, data):
    client.force_login(people["viewer"])
    page = client.get(reverse("surveys:stats"), {**Q1, "weighted": "on"}).content.decode()
    assert "2024年第一季度" in page and "与2023年第四季度比较" in page
    assert "90.0%" in page and "82.6%～94.5%" in page  # 川汇区 90/100 with its interval
    assert "样本不足30" in page  # 淮阳区 has 30 satisfaction answers but only 20 awareness
    assert "全部县区（加权）" in page and "权数" in page and "1,100,000" not in page
    assert "1100000" in page
    assert "↑ 上升" in page  # 川汇区 satisfaction 60% → 90%
    assert page.count("<svg") == 5


def test_liaison_sees_only_own_district(client, people, data, world):
    client.force_login(people["liaison"])
    page = client.get(reverse("surveys:stats"), Q1).content.decode()
    assert "川汇区" in page and "淮阳区" not in page
    response = client.get(reverse("surveys:stats"), {**Q1, "district": world["huaiyang"].pk})
    assert response.status_code == 404
    xlsx = client.get(reverse("surveys:stats_xlsx"), {**Q1, "by": "channel"})
    sheet = load_workbook(io.BytesIO(xlsx.content))["川汇区2024年第一季度测评结果"]
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == [100, 100]


def test_liaison_street_breakdown(client, people, data, world):
    client.force_login(people["liaison"])
    page = client.get(reverse("surveys:stats"), {**Q1, "by": "street",
                                                 "district": world["chuanhui"].pk})
    assert "陈州回族街道" in page.content.decode()


def test_volunteer_without_role_has_no_statistics(client, world):
    client.force_login(make_user("vera", unit=world["community"]))
    assert client.get(reverse("surveys:stats")).status_code == 403


def test_excel_export_has_rates_intervals_and_weights(client, people, data):
    client.force_login(people["editor"])
    response = client.get(reverse("surveys:stats_xlsx"), {**Q1, "weighted": "on"})
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["全市2024年第一季度测评结果"]
    header = [c.value for c in sheet[1]]
    assert header[:7] == ["县区", "答卷数", "知晓率（%）", "95%下限（%）", "95%上限（%）", "样本量",
                          "提示"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    satisfaction = header.index("满意率（%）")
    assert rows["川汇区"][satisfaction:satisfaction + 8] == (
        90.0, 82.6, 94.5, 100, None, 60.0, 30.0, "上升")
    assert rows["淮阳区"][header.index("提示")] == "样本不足"
    assert "全部县区（加权）" in rows and "全部县区（未加权）" in rows
    weights = {r[0]: r for r in book["加权说明"].iter_rows(min_row=2, values_only=True)}
    assert weights["淮阳区"][1] == 1_100_000


def test_article_for_the_briefing_reads_like_the_office_writes(data, world):
    article = rates_article(Response.objects.all(), Period.parse("2024Q1"))
    assert article["title"] == ("2024年第一季度全市群众对文明城市创建工作知晓率、支持率、参与率、"
                                "满意率测评情况")
    text = "\n".join(article["paragraphs"])
    assert "共收回有效问卷130份，其中入户走访120份、网络问卷10份" in text
    assert "按各县（市、区）常住人口加权" in text
    assert "满意率" in text and "与上一季度相比" in text
