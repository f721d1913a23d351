"""A unit nobody inspected in a period has no score: it is 未检查, neither
ranked nor on the red list (where an untouched 100 used to put it), and
an arrow against such a period is "—" 上期未参评."""

import io
from datetime import date

import pytest
from docx import Document

from wenming.campaign.models import Inspection, InspectionPlan
from wenming.core.periods import Period
from wenming.core.testing import pdf_text, squash
from wenming.scoring import selectors, services
from wenming.scoring.tests.factories import at, ledger_problem, make_campaign, make_site

JAN = Period.containing("month", date(2024, 1, 15))
FEB = JAN.next()


def visit(site, when, inspector, plan=None):
    return Inspection.objects.create(site=site, inspector=inspector, inspected_at=at(when),
                                     plan=plan)


@pytest.fixture
def january(world, people):
    """Four units with sites. 陈州回族街道 has a problem; 柳湖街道 had an undercover
    visit that found nothing; 市市场监督管理局 a visit outside any plan; 德化社区
    nothing at all, and an inspection of another campaign's plan does not
    count for it."""
    campaign = make_campaign()
    other = type(campaign).objects.create(name="创建国家卫生城市", year=2024)
    street = make_site("五一路农贸市场", world["chuanhui"], world["street"])
    community = make_site("德化小区", world["chuanhui"], world["community"], "居民小区")
    liuhu = make_site("柳湖市场", world["huaiyang"], world["hy_street"])
    road = make_site("人民路", world["chuanhui"], world["dept"], "主次干道")
    ledger_problem(campaign, street, events=[("create", "2024-01-10 09:00", "found", None)])
    undercover = InspectionPlan.objects.create(
        campaign=campaign, title="一月暗访", is_undercover=True, starts_on=date(2024, 1, 1),
        ends_on=date(2024, 1, 31), created_by=people["admin"])
    visit(liuhu, "2024-01-12 10:00", people["inspector"], undercover)
    visit(road, "2024-01-13 10:00", people["inspector"])
    elsewhere = InspectionPlan.objects.create(
        campaign=other, title="卫生城市检查", starts_on=date(2024, 1, 1),
        ends_on=date(2024, 1, 31), created_by=people["admin"])
    visit(community, "2024-01-14 10:00", people["inspector"], elsewhere)
    return campaign, {"street": street, "community": community, "liuhu": liuhu, "road": road}


def test_a_site_handed_to_another_unit_keeps_its_past_visits_with_the_old_one(
        people, world, january):
    from wenming.campaign import catalog

    campaign, sites = january
    before = [(r.unit.name, r.place.rank) for r in selectors.ranking(campaign, JAN).units]
    # In February 人民路 passes from 市市场监督管理局 to 德化社区.
    catalog.save_site(people["admin"], sites["road"], name="人民路",
                      category=sites["road"].category, district=world["chuanhui"],
                      responsible_unit=world["community"], address="")
    after = selectors.ranking(campaign, JAN)
    assert [(r.unit.name, r.place.rank) for r in after.units] == before
    assert [u.name for u in after.unranked_units] == ["德化社区"]


def test_units_not_inspected_are_neither_ranked_nor_on_the_red_list(client, people, january):
    campaign, _ = january
    ranking = selectors.ranking(campaign, JAN)
    assert [(r.unit.name, r.place.score, r.place.rank) for r in ranking.units] == [
        ("柳湖街道", 100, 1), ("市市场监督管理局", 100, 1), ("陈州回族街道", 98, 3)]
    assert [u.name for u in ranking.unranked_units] == ["德化社区"]
    assert "德化社区" not in [r.unit.name for r in ranking.unit_red + ranking.unit_black]
    # 川汇区 averages only its inspected unit; 淮阳区 has 柳湖街道.
    assert {r.unit.name: r.place.score for r in ranking.districts} == {"川汇区": 98,
                                                                        "淮阳区": 100}

    bulletin = services.generate_bulletin(people["editor"], campaign, JAN)
    c = bulletin.content
    assert "德化社区" not in c["red"] + c["black"]
    assert c["summary"]["units"] == 3 and c["summary"]["not_inspected"] == 1
    community = next(r for r in c["units"] if r["name"] == "德化社区")
    assert (community["rank"], community["score"]) == ("", "未检查")

    client.force_login(people["editor"])
    text = squash(pdf_text(client.get(f"/scoring/bulletins/{bulletin.pk}/file.pdf").content))
    assert "德化社区未检查" in text and "另有1个单位本期未检查，不评分、不排名" in text
    html = client.get("/scoring/?kind=month&day=2024-01-15").content.decode()
    assert "<td>德化社区</td><td colspan=\"8\">未检查</td>" in html
    red = html.split("<h2>红榜</h2>")[1].split("</section>")[0]
    assert "德化社区" not in red and "柳湖街道" in red


def test_a_district_with_no_inspected_unit_is_not_scored(people, january):
    campaign, sites = january
    # February: only 陈州回族街道's problem runs on; nothing in 淮阳区.
    ranking = selectors.ranking(campaign, FEB)
    assert [r.unit.name for r in ranking.districts] == []  # its problem is undispatched
    assert {d.name for d in ranking.unranked_districts} == {"川汇区", "淮阳区"}
    visit(sites["liuhu"], "2024-02-05 10:00", people["inspector"])
    ranking = selectors.ranking(campaign, FEB)
    assert [(r.unit.name, r.place.score) for r in ranking.districts] == [("淮阳区", 100)]


def test_the_rules_page_says_who_is_scored(client, people, january):
    client.force_login(people["liaison"])
    html = client.get("/scoring/rules/").content.decode()
    assert "至少被督查（含暗访）一次" in html and "列为“未检查”，不评分、不排名，不列入红榜、黑榜" in html


def test_movement_only_against_a_scored_period(client, people, january):
    campaign, sites = january
    # December: only 陈州回族街道's site was inspected, so only it has a place to move from.
    visit(sites["street"], "2023-12-20 10:00", people["inspector"])
    ranking = selectors.ranking(campaign, JAN)
    arrows = {r.unit.name: (r.arrow, r.arrow_note) for r in ranking.units}
    assert arrows == {"陈州回族街道": ("↓2", ""), "柳湖街道": ("—", "上期未参评"),
                      "市市场监督管理局": ("—", "上期未参评")}

    client.force_login(people["editor"])
    html = client.get("/scoring/?kind=month&day=2024-01-15").content.decode()
    assert '<td class="move" title="上期未参评">—</td>' in html
    assert '<td class="move">↓2</td>' in html

    bulletin = services.generate_bulletin(people["editor"], campaign, JAN)
    row = next(r for r in bulletin.content["units"] if r["name"] == "柳湖街道")
    assert (row["arrow"], row["arrow_note"]) == ("—", "上期未参评")
    page = client.get(f"/scoring/bulletins/{bulletin.pk}/").content.decode()
    assert 'title="上期未参评">—</td>' in page
    note = "注：“较上期”栏“—”表示该单位上期未参评"
    pdf = squash(pdf_text(client.get(f"/scoring/bulletins/{bulletin.pk}/file.pdf").content))
    assert note in pdf
    docx = client.get(f"/scoring/bulletins/{bulletin.pk}/file.docx").content
    assert any(p.text.startswith(note) for p in Document(io.BytesIO(docx)).paragraphs)
