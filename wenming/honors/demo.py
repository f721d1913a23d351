"""Demo honor rolls: 2023年下半年“周口好人榜” published (three of its people
went on to the provincial roll, as the seed briefing reports), and the
current half-year's roll in progress with nominations at each step.

The counties' offices verify their own nominations, so the demo adds a
liaison account for 太康县, 扶沟县 and 项城市 (password as for every demo
account). Loading twice changes nothing."""

import io
import time
from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from wenming.accounts import roles
from wenming.accounts.demo import DEMO_PASSWORD
from wenming.accounts.models import Unit, User
from wenming.core.public_forms import form_token
from wenming.honors import services
from wenming.honors.models import HonorRoll

COUNTY_LIAISONS = [("taikang", "郑联络", "太康县"), ("fugou", "冯联络", "扶沟县"),
                   ("xiangcheng", "褚联络", "项城市")]
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)

ROLL = {"title": "周口好人榜", "issuer": "周口市文明办"}

# (liaison, name, gender, category, workplace, summary, deeds, provincial roll?)
PUBLISHED = [
    ("chuanhui", "王俊杰", "male", "bravery", "周口市游泳协会副会长",
     "寒冬时节两次跳入沙颍河，先后救起三名落水群众，被群众称为“河道守护人”。",
     "王俊杰是周口市游泳协会副会长，多年坚持在沙颍河边义务巡河。\n"
     "2023年11月的一个清晨，他发现有人落水，立即脱衣跳入冰冷的河水中，将落水者托上岸边。\n"
     "他还组织协会会员成立水上救援志愿队，开展防溺水宣传进校园活动四十余场。", True),
    ("taikang", "张学寨", "male", "dedication", "太康县城市管理局环卫队队长",
     "扎根环卫一线二十余年，带领环卫队员守护县城街巷整洁，节假日从未休息。",
     "张学寨从普通环卫工人干起，二十多年来每天凌晨四点上路清扫。\n"
     "他摸索出“分段包干、错峰作业”的方法，带领全队完成县城主次干道保洁任务。", True),
    ("fugou", "卢树苹", "female", "filial_love", "扶沟县江村镇卢白行政村村民",
     "悉心照料瘫痪在床的婆婆十八年，撑起一个温暖的家。",
     "卢树苹的婆婆患病瘫痪，十八年来她端水喂饭、擦洗翻身，老人从未生过褥疮。\n"
     "她的孝心感染了邻里，村里评她为“好媳妇”。", True),
    ("chuanhui", "陈秀兰", "female", "helping_others", "川汇区七一路社区退休教师",
     "退休后义务为社区留守儿童辅导功课八年，自费购买学习用品。",
     "陈秀兰退休后在社区开办“四点半课堂”，每天下午为放学的孩子们辅导作业。\n"
     "八年来受益儿童三百余人次。", False),
    ("xiangcheng", "刘志强", "male", "honesty", "项城市个体运输户",
     "拾到装有五万元现金的提包，连夜寻找失主如数归还。",
     "刘志强在送货途中捡到一个提包，内有现金五万元和多张银行卡。\n"
     "他在原地等候两个小时未果，又赶到派出所，协助民警找到失主。", False),
]

# The current roll: (liaison or None for the public, name, category, workplace, step)
IN_PROGRESS = [
    ("chuanhui", "赵明", "helping_others", "川汇区荷花路街道建设路社区居民", "reviewing"),
    ("huaiyang", "孙丽", "dedication", "淮阳区柳湖街道社区卫生服务中心护士", "reviewed"),
    ("huaiyang", "钱某", "honesty", "淮阳区白楼镇前集村村民", "rejected"),
    (None, "周大勇", "bravery", "川汇区陈州回族街道许寨社区居民", "submitted"),
]


def _id_number(seq, birth="19700101", region="411602"):
    first = f"{region}{birth}{seq:03d}"
    total = sum(int(d) * w for d, w in zip(first, _WEIGHTS, strict=True))
    return first + "10X98765432"[total % 11]


def _portrait(seed):
    image = Image.new("RGB", (360, 480), (236, 228, 220))
    draw = ImageDraw.Draw(image)
    tone = (150 + seed * 17 % 60, 110 + seed * 11 % 50, 90)
    draw.ellipse([110, 70, 250, 230], fill=tone)
    draw.rectangle([70, 260, 290, 480], fill=(180, 30 + seed * 20 % 80, 40))
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=85)
    return ContentFile(buf.getvalue(), name=f"portrait-{seed}.jpg")


def _county_liaisons():
    group = Group.objects.get(name=roles.LIAISON)
    for username, full_name, unit_name in COUNTY_LIAISONS:
        user, created = User.objects.get_or_create(
            username=username, defaults={
                "full_name": full_name,
                "unit": Unit.objects.get(name=unit_name, parent__parent__isnull=True)})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(group)


def _user(username):
    return User.objects.get(username=username)


def _panel():
    return [_user("approver"), _user("inspector"), _user("viewer")]


def _published_roll(stdout):
    if HonorRoll.objects.filter(title=ROLL["title"], year=2023, period="h2").exists():
        return
    editor, approver = _user("editor"), _user("approver")
    roll = services.create_roll(editor, year=2023, period="h2", panel=_panel(), **ROLL)
    nominations = []
    for i, (liaison, name, gender, category, workplace, summary, deeds, _) in enumerate(
            PUBLISHED, start=1):
        nominations.append(services.nominate(
            _user(liaison), roll, name=name, gender=gender, category=category,
            workplace=workplace, summary=summary, deeds=deeds, id_number=_id_number(i),
            phone=f"1390394{i:04d}", photos=[_portrait(i)]))
    for n in nominations:
        services.verify_nomination(_user(PUBLISHED[nominations.index(n)][0]), n,
                                   "经实地走访核实，事迹属实。")
        for member in _panel():
            services.record_review(member, n, vote="agree")
    # Entered after the fact: the closing date goes in once the nominations are in.
    services.update_roll(editor, roll, nominations_close_on=date(2023, 11, 30))
    services.conclude_review(editor, roll)
    services.start_notice(editor, roll, starts_on=date(2023, 12, 11), ends_on=date(2023, 12, 17))
    roll = services.publish_roll(approver, roll, today=date(2023, 12, 20))
    for entry in roll.entries.select_related("nomination"):
        spec = next(p for p in PUBLISHED if p[1] == entry.name)
        if spec[-1]:
            services.record_higher_honor(
                editor, entry.nomination, level="provincial", title="2023年下半年“河南好人榜”",
                category=entry.category, announced_on=date(2023, 12, 28))
    if stdout:
        stdout.write(f"  {roll}：{roll.entries.count()}人")


def _roll_in_progress(stdout):
    today = date.today()
    period = "h1" if today.month <= 6 else "h2"
    if HonorRoll.objects.filter(title=ROLL["title"], year=today.year, period=period).exists():
        return
    editor = _user("editor")
    roll = services.create_roll(editor, year=today.year, period=period,
                                nominations_close_on=today + timedelta(days=30), panel=_panel(),
                                **ROLL)
    chuanhui = Unit.objects.get(name="川汇区", parent__parent__isnull=True)
    for i, (liaison, name, category, workplace, step) in enumerate(IN_PROGRESS, start=11):
        common = {"name": name, "category": category, "workplace": workplace,
                  "summary": f"{name}的事迹（推荐材料摘要）。",
                  "deeds": f"{name}的详细事迹材料。\n（由推荐单位或群众提供）",
                  "phone": f"1370394{i:04d}"}
        if liaison is None:
            # As if the form had been filled in over a minute.
            token = form_token(f"nominate:{roll.pk}", issued_at=time.time() - 60)
            services.nominate_public(roll, area=chuanhui, nominator_name="热心市民",
                                     nominator_phone="13800000000", token=token, **common)
            continue
        n = services.nominate(_user(liaison), roll, id_number=_id_number(i), **common)
        if step == "rejected":
            services.reject_nomination(_user(liaison), n, "经核实，推荐事迹与实际情况不符。")
            continue
        services.verify_nomination(_user(liaison), n, "事迹属实。")
        members = _panel() if step == "reviewed" else _panel()[:2]
        for member in members:
            services.record_review(member, n, vote="agree")
    if stdout:
        stdout.write(f"  {roll}：推荐进行中")


def load(stdout=None):
    _county_liaisons()
    _published_roll(stdout)
    _roll_in_progress(stdout)
