"""What the office gets from a themed campaign: coverage, totals and the summary
article for the briefing (placing it is tested in briefings)."""

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from wenming.accounts.models import Unit
from wenming.accounts.tests.factories import make_unit
from wenming.activities.drafts import summary_article
from wenming.activities.selectors import coverage
from wenming.activities.tests.factories import make_themed_campaign, report
from wenming.core.testing import shared_file


@pytest.fixture
def units(world):
    city = world["city"]
    return {name: make_unit(name, Unit.Kind.DEPARTMENT, city, sort_order=order) for order, name in enumerate(
        ["市纪委监委", "市委宣传部", "市文广旅局", "市法院", "市残联", "市检察院"], start=100)}


@pytest.fixture
def themed_campaign(people, units):
    editor = people["editor"]
    themed_campaign = make_themed_campaign(editor, units=[units[n] for n in
                                            ["市纪委监委", "市委宣传部", "市法院", "市残联", "市检察院"]],
                             purpose="营造欢乐祥和的节日氛围")
    area = {a.name: a for a in themed_campaign.areas.all()}
    report(editor, themed_campaign, units["市法院"], title="结对帮扶暨“大清洁大扫除”志愿服务",
           date=date(2024, 1, 3), place="大任庄村", content_area=area["环境卫生清扫"],
           participants=60, volunteers=45, volunteer_hours=135, beneficiaries=300,
           summary="向村里捐赠排污处理车，清理街巷垃圾\n发放文明行为宣传册")
    report(editor, themed_campaign, units["市委宣传部"], title="2024年新年音乐会",
           date=date(2023, 12, 31), place="周口人民会堂", content_area=area["群众文化艺术"],
           participants=1200, volunteers=80, volunteer_hours=320, beneficiaries=1100,
           summary="文艺志愿者演出歌曲、管弦乐和戏歌。", partners=[units["市文广旅局"]])
    report(editor, themed_campaign, units["市纪委监委"], title="走进德化社区 办好民生实事",
           date=date(2023, 12, 27), place="德化社区", content_area=area["志愿关爱帮扶"],
           participants=36, volunteers=30, volunteer_hours=90, beneficiaries=220,
           summary="志愿服务小组入户走访困难群众，了解生活需求。")
    report(editor, themed_campaign, units["市残联"], title="迎元旦文艺汇演",
           date=date(2023, 12, 29), place="前集村文化广场", content_area=area["群众文化艺术"],
           participants=260, volunteers=0, volunteer_hours=0, beneficiaries=0,
           summary="表演舞蹈和歌曲，为小学生送去新年礼物")
    return themed_campaign


def test_coverage_shows_who_reported_and_which_areas_are_covered(themed_campaign, units):
    cov = coverage(themed_campaign)
    assert [r.unit.name for r in cov.reported_units] == ["市纪委监委", "市委宣传部", "市法院", "市残联"]
    assert [r.unit.name for r in cov.missing_units] == ["市检察院"]
    assert [a.name for a in cov.uncovered_areas] == [
        "公共设施排查", "城市秩序维护", "文明乡风培育", "文明交通劝导", "移风易俗宣传", "安全知识普及",
        "全民阅读推广"]
    t = cov.totals
    assert (t["activities"], t["participants"], t["volunteers"], t["volunteer_hours"],
            t["beneficiaries"]) == (4, 1556, 155, 545, 1620)
    assert (t["units_reported"], t["units_expected"], t["areas_covered"]) == (4, 5, 3)
    culture = [a.name for a in cov.areas].index("群众文化艺术")
    assert cov.area_counts[culture] == 2


def test_office_page_shows_coverage_and_export(client, people, themed_campaign):
    client.force_login(people["viewer"])
    page = client.get(reverse("activities:themed_campaign_detail", args=[themed_campaign.pk]))
    text = page.content.decode()
    assert "尚未报送：市检察院" in text and "1556" in text
    response = client.get(reverse("activities:themed_campaign_xlsx", args=[themed_campaign.pk]))
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["报送覆盖"].values)
    assert rows[0][:3] == ("单位", "应报送", "活动场次")
    assert rows[-1][0] == "合计" and rows[-1][2] == 4
    assert len(list(book["活动明细"].values)) == 5


def test_summary_article_has_a_lead_and_one_paragraph_per_activity(themed_campaign):
    article = summary_article(themed_campaign)
    assert article.title == "市直文明单位积极开展双节期间精神文明建设专项活动"
    lead, *rest = article.paragraphs
    assert lead.startswith("为营造欢乐祥和的节日氛围，“双节”期间，市直文明单位聚焦")
    assert "环境卫生清扫、群众文化艺术、志愿关爱帮扶等十个方面" in lead
    assert "4家单位报送活动4场次，参与群众和干部职工1556人次，志愿者155人次、志愿服务时长545小时，" \
           "惠及群众1620人。" in lead
    # Units in the order of the organisation tree, one paragraph each.
    assert [p[:5] for p in rest] == ["市纪委监委", "市委宣传部", "市法院于1", "市残联于1"]
    assert rest[0] == ("市纪委监委于12月27日在德化社区开展“走进德化社区 办好民生实事”活动。"
                       "志愿服务小组入户走访困难群众，了解生活需求。"
                       "此次活动共有30名志愿者参与服务，累计服务90小时，惠及群众220人。")
    assert rest[1].startswith("市委宣传部、市文广旅局联合于12月31日在周口人民会堂开展“2024年新年音乐会”活动。")
    # A title that quotes its slogan is not quoted again; lines of the summary join up.
    assert rest[2].startswith("市法院于1月3日在大任庄村开展结对帮扶暨“大清洁大扫除”志愿服务活动。"
                              "向村里捐赠排污处理车，清理街巷垃圾，发放文明行为宣传册。")
    # No figures sentence when there is nothing to count; a missing full stop is added.
    assert rest[3].endswith("表演舞蹈和歌曲，为小学生送去新年礼物。")
    assert "志愿者" not in rest[3]


def test_summary_article_is_written_not_copied_from_the_seed(people, units):
    """The seed's own themed campaign article is the model; the generated one says
    the same kind of things in its own sentences."""
    seed = shared_file("seed", "000_33c4f364695746b8.txt").read_text(encoding="utf-8")
    start = seed.index("为进一步深化全市精神文明建设工作")
    end = seed.index("【文明时讯】", start)
    seed_sentences = [s for s in re.split(r"[。，]", "".join(seed[start:end].split()))
                      if len(s) >= 12]
    themed_campaign = make_themed_campaign(people["editor"])
    report(people["editor"], themed_campaign, units["市残联"], title="迎元旦文艺汇演",
           date=date(2023, 12, 29), place="前集村文化广场",
           content_area=themed_campaign.areas.get(name="群众文化艺术"), summary="表演节目。")
    text = "".join(summary_article(themed_campaign).paragraphs)
    copied = [s for s in seed_sentences if s in text]
    assert copied == []


def test_liaisons_do_not_get_the_office_views(client, people, themed_campaign):
    client.force_login(people["liaison"])
    assert client.get(reverse("activities:themed_campaign_article",
                              args=[themed_campaign.pk])).status_code == 403
    response = client.get(reverse("activities:themed_campaign_xlsx", args=[themed_campaign.pk]))
    rows = list(load_workbook(io.BytesIO(response.content))["活动明细"].values)
    assert len(rows) == 1  # only the header: none of these activities is theirs


@pytest.mark.parametrize("campaign_title,activity_title", [
    ("双节期间精神文明建设专项活动", "川汇区开展文明交通劝导"),
    ("开展“我们的节日·春节”主题活动", "川汇区开展“我们的节日”志愿服务活动"),
    ("川汇区开展背街小巷环境整治专项行动", "组织开展冬季送温暖"),
    ("学雷锋志愿服务月", "走进德化社区 办好民生实事"),
])
def test_summary_article_says_the_verb_once_per_clause(people, units, campaign_title,
                                                       activity_title):
    themed_campaign = make_themed_campaign(people["editor"], title=campaign_title)
    report(people["editor"], themed_campaign, units["市残联"], title=activity_title,
           content_area=themed_campaign.areas.get(name="志愿关爱帮扶"), summary="走访困难群众。")
    article = summary_article(themed_campaign)
    for text in [article.title, *article.paragraphs]:
        for clause in re.split(r"[，。；！？]", text):
            assert clause.count("开展") <= 1, text
    assert "开展“文明交通劝导”活动" in article.body or activity_title != "川汇区开展文明交通劝导"
