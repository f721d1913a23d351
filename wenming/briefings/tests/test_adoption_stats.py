import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from wenming.briefings import services
from wenming.briefings.stats import adoption_table
from wenming.briefings.tests.factories import make_series, publish, small_issue


@pytest.fixture
def ledger(people, world):
    """川汇区 submits 3 (2 adopted into a published issue, 1 returned);
    淮阳区 submits 2 (1 adopted into a draft, which does not count yet)."""
    editor, approver = people["editor"], people["approver"]
    series = make_series(editor)
    published_issue = small_issue(editor, series, number=1, on=date.today())
    draft_issue = small_issue(editor, series, number=2)
    column = published_issue.columns.get(name="工作动态")
    subs = [services.submit_article(people["liaison"], series, title=f"川汇区稿件{i}", body="正文")
            for i in range(3)]
    services.adopt_submission(editor, subs[0], column)
    services.adopt_submission(editor, subs[1], column)
    services.return_submission(editor, subs[2], "重复报送")
    theirs = [services.submit_article(people["other_liaison"], series, title=f"淮阳区稿件{i}",
                                      body="正文") for i in range(2)]
    services.adopt_submission(editor, theirs[0], draft_issue.columns.first())
    publish(editor, approver, published_issue)
    return series


def test_adoption_counts_only_submissions_in_published_issues(ledger, world):
    today = date.today()
    rows = {r.unit.name: r for r in adoption_table(date(today.year, 1, 1), today)}
    chuanhui, huaiyang = rows["川汇区"], rows["淮阳区"]
    assert (chuanhui.submitted, chuanhui.adopted, chuanhui.published_articles) == (3, 2, 2)
    assert chuanhui.rate == pytest.approx(2 / 3) and chuanhui.rank == 1
    assert (huaiyang.submitted, huaiyang.adopted, huaiyang.rate) == (2, 0, 0) and huaiyang.rank == 2


def test_period_outside_submissions_is_empty(ledger):
    assert adoption_table(date(2001, 1, 1), date(2001, 12, 31)) == []


def test_units_with_equal_figures_share_a_rank(people, world):
    editor, approver = people["editor"], people["approver"]
    series = make_series(editor)
    issue = small_issue(editor, series)
    for liaison in (people["liaison"], people["other_liaison"]):
        sub = services.submit_article(liaison, series, title="稿件", body="正文")
        services.adopt_submission(editor, sub, issue.columns.first())
    publish(editor, approver, issue)
    today = date.today()
    assert [r.rank for r in adoption_table(date(today.year, 1, 1), today)] == [1, 1]


def test_stats_page_and_excel_export(client, people, ledger):
    client.force_login(people["editor"])
    today = date.today()
    query = {"start": f"{today.year}-01-01", "end": today.isoformat()}
    page = client.get(reverse("briefings:adoption_stats"), query).content.decode()
    assert "川汇区" in page and "67%" in page
    response = client.get(reverse("briefings:adoption_stats_xlsx"), query)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == ["排名", "单位", "报送稿件数", "采用数", "采用率",
                                           "刊发稿件数"]
    assert [c.value for c in sheet[2]][:4] == [1, "川汇区", 3, 2]
    assert sheet.freeze_panes == "A2" and sheet.column_dimensions["B"].width >= 20


def test_stats_refuse_an_inverted_period(client, people, ledger):
    client.force_login(people["editor"])
    page = client.get(reverse("briefings:adoption_stats"),
                      {"start": "2024-05-01", "end": "2024-01-01"}).content.decode()
    assert "截止日期不能早于起始日期" in page


def test_liaisons_cannot_see_the_scores(client, people):
    client.force_login(people["liaison"])
    assert client.get(reverse("briefings:adoption_stats")).status_code == 403
