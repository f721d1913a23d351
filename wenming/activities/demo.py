"""Demo titles and the 双节 themed campaign: civilization titles for several city
departments and places (a few expiring within the coming weeks), and the
themed campaign over New Year's Day and the Spring Festival with activity
reports from six departments. Loading twice changes nothing."""

import io
from datetime import date, timedelta

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from wenming.accounts.models import Unit, User
from wenming.activities import services
from wenming.activities.models import Activity, CivilizedUnit, ThemedCampaign

Category, Level = CivilizedUnit.Category, CivilizedUnit.Level

# (unit, holder name or "", category, level, awarded_on, batch); awarded_on
# None means "about three years ago, expiring within the notice horizon".
TITLES = [
    ("周口职业技术学院", "", Category.UNIT, Level.PROVINCIAL, date(2024, 5, 20), "第十五届"),
    ("周口职业技术学院", "", Category.CAMPUS, Level.MUNICIPAL, date(2023, 9, 1), "第三届"),
    ("市委宣传部", "", Category.UNIT, Level.NATIONAL, date(2023, 12, 1), "第七届"),
    ("市纪委监委", "", Category.UNIT, Level.PROVINCIAL, None, "第十四届"),
    ("市法院", "", Category.UNIT, Level.PROVINCIAL, date(2024, 5, 20), "第十五届"),
    ("市残联", "", Category.UNIT, Level.MUNICIPAL, None, "第十二届"),
    ("周口监狱", "", Category.UNIT, Level.MUNICIPAL, date(2025, 3, 10), "第十三届"),
    ("市检察院", "", Category.UNIT, Level.MUNICIPAL, date(2025, 3, 10), "第十三届"),
    ("市城市管理局", "", Category.UNIT, Level.MUNICIPAL, date(2022, 3, 1), "第十一届"),
    ("白楼村", "", Category.VILLAGE_TOWN, Level.PROVINCIAL, date(2024, 5, 20), "第十五届"),
    ("德化社区", "李建华家庭", Category.FAMILY, Level.MUNICIPAL, None, "第五届"),
]

THEMED_CAMPAIGN = {
    "title": "双节期间精神文明建设专项活动",
    "short_name": "双节",
    "participants_label": "市直文明单位",
    "purpose": "营造欢乐祥和、文明有序的节日氛围",
    "starts_on": date(2023, 12, 20),
    "ends_on": date(2024, 1, 10),
}
AREAS = ["环境卫生清扫", "公共设施排查", "城市秩序维护", "群众文化艺术", "文明乡风培育",
         "志愿关爱帮扶", "文明交通劝导", "移风易俗宣传", "安全知识普及", "全民阅读推广"]
EXPECTED = ["市纪委监委", "市委宣传部", "市法院", "市残联", "周口监狱", "周口职业技术学院",
            "市检察院", "市城市管理局"]

# (unit, partners, title, date, place, area, participants, volunteers, hours,
#  beneficiaries, summary, photo colour)
ACTIVITIES = [
    ("市纪委监委", [], "走进德化社区 办好民生实事", date(2023, 12, 27), "德化社区", "志愿关爱帮扶",
     36, 30, 90, 220,
     "10个志愿服务小组分片入户，与困难群众面对面交流，逐户了解身体状况、生活需求和意见建议，"
     "现场宣讲文明创建、冬季取暖安全和防范电信诈骗等知识。", (196, 40, 40)),
    ("市委宣传部", ["市文广旅局"], "2024年新年音乐会", date(2023, 12, 31), "周口人民会堂",
     "群众文化艺术", 1200, 80, 320, 1100,
     "文艺志愿者登台献演歌曲、管弦乐、戏歌等节目，市民群众在家门口共享新年文化盛宴。",
     (210, 120, 30)),
    ("市法院", [], "结对帮扶暨“大清洁大扫除”志愿服务", date(2024, 1, 3), "大任庄村新时代文明实践所",
     "环境卫生清扫", 60, 45, 135, 300,
     "向结对村捐赠排污处理车一辆，干警志愿者清理村内街巷和沟渠垃圾，"
     "入户发放《周口市文明行为促进条例》宣传册，讲解文明行为规范。", (40, 120, 60)),
    ("市残联", [], "“童心筑梦，感恩成长”迎元旦文艺汇演", date(2023, 12, 29), "前集村文化广场",
     "群众文化艺术", 260, 25, 75, 240,
     "村里孩子们表演了舞蹈、歌曲等节目，市残联为前集小学学生送去书包、文具和新年礼包。",
     (60, 90, 180)),
    ("周口监狱", [], "“四送一助力”暨文明乡风培育结对帮创", date(2024, 1, 5), "半截楼村",
     "文明乡风培育", 90, 60, 240, 480,
     "民警志愿者帮助村民清扫街巷、开展健康义诊和政策宣讲，走访慰问困难家庭160户，"
     "送上慰问品和新春祝福。", (120, 60, 150)),
    ("周口职业技术学院", [], "冬季送关爱 走访暖人心", date(2024, 1, 8), "许寨社区", "安全知识普及",
     50, 40, 120, 180,
     "师生志愿者与社区群众围坐座谈，倾听意见建议，讲解冬季取暖、安全用电等常识。",
     (30, 140, 150)),
]


def _demo_photo(colour, label):
    image = Image.new("RGB", (800, 600), colour)
    draw = ImageDraw.Draw(image)
    for i in range(0, 800, 80):
        draw.rectangle([i, 420, i + 60, 600], fill=tuple(min(255, c + 50) for c in colour))
    draw.ellipse([560, 60, 700, 200], fill=(255, 236, 160))
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=80)
    return ContentFile(buf.getvalue(), name=f"{label}.jpg")


def _unit(name):
    return Unit.objects.filter(name=name).order_by("path").first()


def load(stdout=None):
    editor = User.objects.get(username="editor")
    today = date.today()
    for unit_name, holder, category, level, awarded_on, batch in TITLES:
        unit = _unit(unit_name)
        holder = holder or unit.name
        if CivilizedUnit.objects.filter(holder_name=holder, category=category,
                                        level=level).exists():
            continue
        if awarded_on is None:
            # Named three years ago, so the title runs out in a few weeks.
            awarded_on = services.add_years(today, -3) + timedelta(days=20 + len(holder))
        services.award_title(editor, unit=unit, holder_name=holder, category=category,
                             level=level, awarded_on=awarded_on, batch=batch,
                             document_no=f"周文明〔{awarded_on.year}〕{len(holder) + 3}号")
    title = CivilizedUnit.objects.filter(holder_name="市城市管理局").first()
    if title and not title.reviews.exists():
        services.record_annual_review(editor, title, year=2023, result="passed",
                                      reviewed_on=date(2024, 3, 1))
        services.record_annual_review(editor, title, year=2024, result="conditional",
                                      note="志愿服务台账不完整，限三个月内整改。",
                                      reviewed_on=date(2025, 3, 1))

    themed_campaign = ThemedCampaign.objects.filter(title=THEMED_CAMPAIGN["title"]).first()
    if themed_campaign is None:
        themed_campaign = services.create_themed_campaign(
            editor, areas=AREAS, units=[_unit(n) for n in EXPECTED], **THEMED_CAMPAIGN)
        if stdout:
            stdout.write(f"  专项活动 {themed_campaign.title}")
    for (unit_name, partners, title, on, place, area, participants, volunteers, hours,
         beneficiaries, summary, colour) in ACTIVITIES:
        unit = _unit(unit_name)
        if Activity.objects.filter(themed_campaign=themed_campaign, unit=unit, title=title).exists():
            continue
        services.report_activity(
            editor, themed_campaign, unit=unit, title=title, date=on, place=place,
            content_area=themed_campaign.areas.get(name=area), participants=participants,
            volunteers=volunteers, volunteer_hours=hours, beneficiaries=beneficiaries,
            summary=summary, partners=[_unit(p) for p in partners],
            photos=[_demo_photo(colour, f"{unit_name}-1")])
    return themed_campaign
