"""Demo surveys: the city's satisfaction questionnaire with four variants,
some five hundred door-to-door visits over the last five months across the
districts, public online responses, district populations, and a volunteer
with an assignment. Everything goes through the services with fixed ids,
so loading twice changes nothing."""

import random
import uuid
from datetime import timedelta

from django.utils import timezone

from wenming.accounts.demo import DEMO_PASSWORD
from wenming.accounts.models import Unit, User
from wenming.surveys import services
from wenming.surveys.models import (
    DISTRICT_KINDS,
    Assignment,
    DistrictPopulation,
    Questionnaire,
    Response,
)

TITLE = "周口市创建全国文明城市群众满意度测评问卷"
INTRO = ("您好！我们是周口市创建全国文明城市入户走访工作人员。为了解广大群众对创建工作的意见和建议，"
         "耽误您几分钟时间填写问卷。问卷不记名，感谢您的支持！")
# (kind, text, options, variants, rate, counting, extra)
QUESTIONS = [
    ("single", "您是否知道周口市正在创建全国文明城市？", ["知道", "听说过但不了解", "不知道"], "",
     "awareness", ["知道"], {}),
    ("single", "您是否支持周口市创建全国文明城市？", ["支持", "不支持", "无所谓"], "",
     "support", ["支持"], {}),
    ("multiple", "您参加过以下哪些创建活动？",
     ["志愿服务", "环境卫生整治", "文明交通劝导", "文明家庭等评选", "以上都没有"], "",
     "participation", ["志愿服务", "环境卫生整治", "文明交通劝导", "文明家庭等评选"], {}),
    ("scale", "您对本市创建全国文明城市工作成效的总体评价", [], "", "satisfaction", 4,
     {"hint": "1 表示很不满意，5 表示很满意"}),
    ("single", "您所在小区（村）的环境卫生状况如何？", ["好", "一般", "差"], "A", "", None, {}),
    ("single", "您的店铺是否落实“门前三包”责任？", ["已落实", "部分落实", "未落实"], "B", "", None,
     {}),
    ("single", "学校是否经常开展文明礼仪教育？", ["经常", "偶尔", "没有"], "C", "", None, {}),
    ("single", "您对本市公共交通和公共秩序的印象如何？", ["好", "一般", "差"], "D", "", None, {}),
    ("text", "您对创建工作还有哪些意见和建议？", [], "", "", None, {"required": False}),
]
VARIANTS = [("A", "resident"), ("B", "shopkeeper"), ("C", "student"), ("D", "visitor")]
# Resident population in the demo (not official figures).
POPULATIONS = {
    "川汇区": 723_000, "淮阳区": 1_086_000, "项城市": 1_002_000, "扶沟县": 570_000,
    "西华县": 672_000, "商水县": 914_000, "沈丘县": 902_000, "郸城县": 1_055_000,
    "太康县": 1_102_000, "鹿邑县": 884_000, "市城乡一体化示范区": 207_000,
    "经济开发区": 156_000, "港口物流产业集聚区": 61_000,
}
# Visits per district over five months; the smaller ones stay under 30 a
# quarter, so the page shows its small-sample flags.
VISITS = {"川汇区": 130, "淮阳区": 90, "项城市": 80, "商水县": 60, "太康县": 50, "郸城县": 30,
          "西华县": 24, "扶沟县": 20, "沈丘县": 18, "鹿邑县": 16, "市城乡一体化示范区": 10,
          "经济开发区": 8, "港口物流产业集聚区": 6}
ISSUES = ["小区楼道堆放杂物，存在消防隐患", "路口红绿灯时间太短，老人过马路困难",
          "菜市场周边占道经营，早高峰拥堵", "背街小巷路灯不亮", "垃圾清运不及时，夏天有异味",
          "公厕缺少洗手液，卫生有待改进", "小区内电动车乱停乱放"]
SUGGESTIONS = ["希望多组织志愿服务活动", "建议增加公共停车位", "希望加强背街小巷管理", ""]
_NAMESPACE = uuid.UUID("0b8e3b0c-5d1a-4c6e-8f55-5c2a9a31d7e4")


def _questionnaire(editor):
    q = Questionnaire.objects.filter(title=TITLE).order_by("-version").first()
    if q is not None:
        return q
    q = services.create_questionnaire(editor, title=TITLE, intro=INTRO, is_public=True)
    for letter, group in VARIANTS:
        services.set_variant(editor, q, letter, group)
    for kind, text, options, variants, rate, counting, extra in QUESTIONS:
        fields = {"kind": kind, "text": text, "options": options, "variants": variants,
                  "rate": rate, **extra}
        if rate and kind == "scale":
            fields["positive_from"] = counting
        elif rate:
            fields["positive_options"] = counting
        services.add_question(editor, q, **fields)
    return services.activate_questionnaire(editor, q)


def _answers(rnd, q, letter, level):
    """Answers leaning on the district's `level` (0–1)."""
    out = {}
    for question in q.questions_for(letter):
        name, opts = question.field_name, question.options
        if question.rate == "awareness":
            out[name] = opts[0] if rnd.random() < level + 0.08 else rnd.choice(opts[1:])
        elif question.rate == "support":
            out[name] = opts[0] if rnd.random() < level + 0.12 else rnd.choice(opts[1:])
        elif question.rate == "participation":
            joined = [o for o in opts[:-1] if rnd.random() < level * 0.45]
            out[name] = joined or [opts[-1]]
        elif question.kind == "scale":
            out[name] = str(5 if rnd.random() < level - 0.2 else
                            4 if rnd.random() < level else rnd.choice([1, 2, 3]))
        elif question.kind == "single":
            out[name] = opts[0] if rnd.random() < level else rnd.choice(opts[1:])
        else:
            out[name] = rnd.choice(SUGGESTIONS)
    return out


def _areas(district):
    return list(Unit.objects.filter(path__startswith=district.path,
                                    kind__in=[Unit.Kind.COMMUNITY, Unit.Kind.VILLAGE]))


def _visits(q, today, rnd, stdout):
    if q.visits.exists():
        return
    inspector = User.objects.get(username="inspector")
    liaisons = {"川汇区": User.objects.get(username="chuanhui"),
                "淮阳区": User.objects.get(username="huaiyang")}
    made = 0
    for name, count in VISITS.items():
        district = Unit.objects.get(name=name, kind__in=DISTRICT_KINDS)
        areas = _areas(district) or [district]
        level = 0.55 + 0.3 * rnd.random()
        for i in range(count):
            days_ago = rnd.randrange(150)
            # Satisfaction rose lately: older visits lean lower.
            lean = level - (0.12 if days_ago > 60 else 0)
            letter = rnd.choices("ABCD", weights=[6, 2, 1, 1])[0]
            issues = [rnd.choice(ISSUES)] if rnd.random() < 0.12 else []
            services.record_visit(
                liaisons.get(name, inspector), client_id=uuid.uuid5(_NAMESPACE, f"{name}-{i}"),
                questionnaire=q, variant=letter, area=rnd.choice(areas),
                address=f"{rnd.randint(1, 20)}号楼{rnd.randint(1, 6)}单元{rnd.randint(1, 6)}0{rnd.randint(1, 4)}",
                answers=_answers(rnd, q, letter, lean), issues=issues,
                visited_on=today - timedelta(days=days_ago))
            made += 1
    if stdout:
        stdout.write(f"  入户走访 {made} 户")


def _online(q, today, rnd, stdout):
    if Response.objects.filter(questionnaire=q, channel=Response.Channel.ONLINE).exists():
        return
    districts = list(Unit.objects.filter(kind__in=DISTRICT_KINDS, name__in=POPULATIONS))
    for i in range(80):
        district = rnd.choice(districts)
        letter = rnd.choices("ACD", weights=[7, 2, 1])[0]
        response = services.submit_online_response(
            questionnaire=q, device_token=f"demo-device-{i}", variant=letter, district=district,
            answers=_answers(rnd, q, letter, 0.7))
        # Demo history: spread the online answers over the same five months.
        Response.objects.filter(pk=response.pk).update(
            answered_on=today - timedelta(days=rnd.randrange(150)))
    if stdout:
        stdout.write("  网络问卷 80 份")


def _volunteer(q, liaison):
    street = Unit.objects.get(name="七一路街道")
    volunteer, created = User.objects.get_or_create(
        username="zhiyuan", defaults={"full_name": "刘志愿", "unit": street.children.first()})
    if created:
        volunteer.set_password(DEMO_PASSWORD)
        volunteer.save()
    if not Assignment.objects.filter(assignee=volunteer).exists():
        services.assign_visits(liaison, questionnaire=q, area=street, assignee=volunteer,
                               households="七一路社区1号楼1单元101\n七一路社区1号楼1单元102\n"
                                          "七一路社区2号楼2单元201\n交通路社区5号院",
                               due_date=timezone.localdate() + timedelta(days=14),
                               note="重点了解背街小巷整治情况")
    return volunteer


def load(stdout=None):
    editor = User.objects.get(username="editor")
    q = _questionnaire(editor)
    for name, population in POPULATIONS.items():
        district = Unit.objects.filter(name=name, kind__in=DISTRICT_KINDS).first()
        if district and not DistrictPopulation.objects.filter(district=district).exists():
            services.set_population(editor, district, population=population, year=2023,
                                    source="演示数据")
    rnd = random.Random(2024)
    today = timezone.localdate()
    _visits(q, today, rnd, stdout)
    _online(q, today, rnd, stdout)
    volunteer = _volunteer(q, User.objects.get(username="chuanhui"))
    if stdout:
        stdout.write(f"  志愿者账号 {volunteer.username}（{volunteer.full_name}），"
                     f"密码 {DEMO_PASSWORD}，有一项走访任务")
    return q
