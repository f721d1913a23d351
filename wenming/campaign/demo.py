"""Demo campaign: the 2024 index (a few dozen criteria), about a hundred
sites across the districts, four weeks of inspections and problems in every
status, with overdue ones escalated by the tick. Loading twice changes nothing.

Everything is made through the services; afterwards the demo moves each
problem's timeline back to the day it was "found", so the ledger reads like
four weeks of work (the audit log keeps the real times)."""

import io
import random
import uuid
from datetime import timedelta

from django.utils import timezone
from PIL import Image, ImageDraw

from wenming.accounts.models import Unit, User
from wenming.campaign import catalog, citizen, services
from wenming.campaign.demo_content import CENTRES, DESCRIPTIONS, INDEX, SITES
from wenming.campaign.models import (
    Campaign,
    CitizenReport,
    Finding,
    Index,
    Inspection,
    Problem,
    Rectification,
    Site,
    SiteCategory,
)
from wenming.campaign.tick import run_tick

DAYS = 28


def load(stdout=None):
    admin, inspector = User.objects.get(username="admin"), User.objects.get(username="inspector")
    catalog.ensure_categories()
    campaign = Campaign.objects.filter(name="创建全国文明城市").first() or \
        catalog.create_campaign(admin, name="创建全国文明城市", year=2024,
                                issuer="周口市创建全国文明城市工作指挥部办公室",
                                notice_prefix="周创文督")
    if not Index.objects.filter(campaign=campaign, year=2024).exists():
        catalog.import_index(admin, campaign, 2024, _index_rows(), "2024年版测评体系")
    sites = _sites(admin)
    if not Problem.objects.exists():
        rng = random.Random(20240501)
        plans = _plans(admin, inspector, campaign, sites)
        _inspections(rng, inspector, sites, plans, stdout)
        for plan in plans[:2]:
            catalog.complete_plan(admin, plan)
        run_tick(deliver=False)
    if not CitizenReport.objects.exists():
        _citizen_reports(admin)
    if stdout:
        stdout.write(f"  点位 {Site.objects.count()} 个，问题 {Problem.objects.count()} 个")
    return campaign


def _index_rows():
    rows = []
    for area_code, area, items in INDEX:
        for item_code, item, criteria in items:
            for n, (text, method, weight, categories) in enumerate(criteria, start=1):
                rows.append({"area_code": area_code, "area_name": area, "item_code": item_code,
                             "item_name": item, "code": f"{item_code}.{n}", "text": text,
                             "method": method, "weight": weight, "categories": categories})
    return rows


def _short(name):
    for suffix in ("街道", "回族镇", "镇", "乡"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _sites(admin):
    categories = {c.name: c for c in SiteCategory.objects.all()}
    city = Unit.objects.get(parent=None, name="周口市")
    districts = list(Unit.objects.filter(parent=city, kind__in=catalog.DISTRICT_KINDS)
                     .order_by("sort_order"))
    rng = random.Random(7)
    for i, district in enumerate(districts):
        streets = list(district.children.order_by("sort_order")) or [district]
        lat0, lng0 = CENTRES.get(district.name, (33.62, 114.65))
        for j in range(8):
            category, responsible, patterns = SITES[(i * 3 + j) % len(SITES)]
            street = streets[j % len(streets)]
            name = rng.choice(patterns).format(s=_short(street.name), d=district.name)
            # Drawn before the existence check, so a second load draws the same sites.
            lat, lng = lat0 + rng.uniform(-0.02, 0.02), lng0 + rng.uniform(-0.02, 0.02)
            if Site.objects.filter(district=district, name=name).exists():
                continue
            unit = {"district": district, "street": street}.get(responsible) or \
                Unit.objects.get(parent=city, name=responsible)
            catalog.save_site(
                admin, name=name, category=categories[category], district=district,
                responsible_unit=unit, address=f"{district.name}{street.name}",
                lat=round(lat, 6), lng=round(lng, 6))
    return list(Site.objects.select_related("category", "district", "responsible_unit"))


def _plans(admin, inspector, campaign, sites):
    today = timezone.localdate()
    chuanhui = [s for s in sites if s.district.name == "川汇区"]
    huaiyang = [s for s in sites if s.district.name == "淮阳区"]
    return [
        catalog.create_plan(admin, campaign=campaign, title="城区农贸市场、背街小巷例行督查",
                            starts_on=today - timedelta(days=DAYS), ends_on=today - timedelta(days=15),
                            inspectors=[inspector], sites=chuanhui),
        catalog.create_plan(admin, campaign=campaign, title="节前窗口单位暗访", is_undercover=True,
                            starts_on=today - timedelta(days=14), ends_on=today - timedelta(days=8),
                            inspectors=[inspector], sites=huaiyang + chuanhui[:3]),
        catalog.create_plan(admin, campaign=campaign, title="测评前全域暗访（进行中）",
                            is_undercover=True, starts_on=today - timedelta(days=3),
                            ends_on=today + timedelta(days=4), inspectors=[inspector],
                            sites=sites[::4], note="测评前一周，覆盖各县区重点点位。"),
        catalog.create_plan(admin, campaign=campaign, title="本周例行督查",
                            starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=5),
                            inspectors=[inspector], sites=chuanhui[:6]),
    ]


def _photo(rng, label):
    image = Image.new("RGB", (480, 360), (rng.randint(120, 200),) * 3)
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randint(0, 400), rng.randint(0, 300)
        draw.rectangle([x, y, x + rng.randint(30, 120), y + rng.randint(20, 80)],
                       fill=(rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255)))
    draw.text((12, 12), label, fill="white")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return _Upload(out.getvalue(), f"{label}.jpg")


class _Upload(io.BytesIO):
    def __init__(self, data, name):
        super().__init__(data)
        self.name, self.size = name, len(data)


def _inspections(rng, inspector, sites, plans, stdout):
    index = Campaign.objects.get(name="创建全国文明城市").current_index()
    now = timezone.now()
    found_before = []
    home = [s for s in sites if s.district.name == "川汇区"]
    for day in range(DAYS, 0, -1):
        # The demo liaison of 川汇区 should have a full queue to look at.
        picks_today = rng.sample(home, 2) + rng.sample([s for s in sites if s not in home], 3)
        for site in picks_today:
            criteria = catalog.checklist(site, index)
            if not criteria:
                continue
            picks = rng.sample(criteria, min(len(criteria), rng.choice([0, 1, 1, 2])))
            # Now and then an old problem is found again at the same place: a repeat.
            old = [p for p in found_before if p.site_id == site.pk]
            if old and rng.random() < 0.1 and old[-1].criterion in criteria:
                picks = [old[-1].criterion]
            findings = [{"criterion": c, "result": "problem" if c in picks else "pass",
                        "description": rng.choice(DESCRIPTIONS),
                        "severity": rng.choice(["immediate", "normal", "normal", "serious"]),
                        "photos": [_photo(rng, f"site{site.pk}")]} for c in criteria]
            plan = next((p for p in plans if p.sites.filter(pk=site.pk).exists()
                         and p.starts_on <= (now - timedelta(days=day)).date() <= p.ends_on),
                        None)
            inspection = catalog.record_inspection(
                inspector, site, client_id=uuid.uuid4(), findings=findings, plan=plan,
                index=index)
            start = now - timedelta(days=day, hours=rng.randint(0, 8))
            Inspection.objects.filter(pk=inspection.pk).update(inspected_at=start)
            for finding in Finding.objects.filter(inspection=inspection, problem__isnull=False):
                problem = _progress(rng, finding.problem, day)
                _retime(rng, problem, start, now)
                found_before.append(problem)
        if stdout and day % 7 == 0:
            stdout.write(f"  督查：{DAYS - day + 1}/{DAYS} 天")


def _progress(rng, problem, age):
    """Take a problem as far round the loop as its age makes likely."""
    office = User.objects.get(username="inspector")
    roll = rng.random()
    if age <= 2 and roll < 0.4:
        return problem  # still 待交办
    if roll < 0.04:
        return services.cancel_problem(office, problem, reason="与已登记问题重复，撤销")
    problem = services.dispatch_problem(office, problem)
    liaison = _liaison_for(problem.responsible_unit)
    if liaison is None:
        return problem
    if roll < 0.12 and age > 3:
        return services.dispute_problem(liaison, problem, reason="该点位不属本单位管辖，请核实。")
    if age <= 3 and roll < 0.7:
        return problem
    if roll > 0.85 and age < 20:
        return problem  # left undone: the tick makes it overdue
    problem = services.submit_rectification(
        liaison, problem, text="已组织人员现场整改，问题已清理到位。",
        photos=[_photo(rng, f"after{problem.pk}")])
    if age <= 8 and roll < 0.6:
        return problem
    if roll < 0.35:
        problem = services.reject_rectification(office, problem,
                                                reason="复查发现仍有摊位外溢，请彻底整改。")
        if age > 12:
            problem = services.submit_rectification(
                liaison, problem, text="再次整改，已安排专人值守。",
                photos=[_photo(rng, f"again{problem.pk}")])
            problem = services.verify_problem(office, problem, note="复查已整改到位。")
        return problem
    return services.verify_problem(office, problem, note="现场复查，整改到位，予以销号。")


def _liaison_for(unit):
    """A demo liaison who may act for the unit; the office plays the others'
    liaison so that every status shows up across the districts."""
    for user in User.objects.filter(groups__name="单位联络员", is_active=True):
        if user.unit_id and unit.path.startswith(user.unit.path):
            return user
    return _stand_in(unit)


def _stand_in(unit):
    from django.contrib.auth.models import Group

    username = f"demo-liaison-{unit.pk}"
    user, created = User.objects.get_or_create(
        username=username, defaults={"full_name": f"演示联络员（{unit.display_name}）", "unit": unit,
                                     "is_active": True})
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get_or_create(name="单位联络员")[0])
    return user


def _retime(rng, problem, start, now):
    """Move the problem's timeline back so it starts at `start`."""
    events = list(problem.events.order_by("id"))
    t = start
    stamps = {}
    for e in events:
        if e.action != "create":
            t = min(t + timedelta(hours=rng.uniform(3, 40)), now - timedelta(minutes=5))
        e.at = t
        stamps.setdefault(e.action, []).append(t)
        if e.data.get("deadline"):
            # The deadline a dispatch set moves with it: scoring reads it from the event.
            e.data["deadline"] = (t + timedelta(
                hours=problem.campaign.deadline_hours(problem.severity))).isoformat()
    type(events[0]).objects.bulk_update(events, ["at", "data"])
    dispatched = (stamps.get("dispatch", []) + stamps.get("reassign", []))
    fields = {"found_at": start, "last_transition_at": max(
        e.at for e in events if services.TRANSITIONS[e.action].target is not None)}
    if dispatched:
        fields["dispatched_at"] = max(dispatched)
        fields["deadline"] = fields["dispatched_at"] + timedelta(
            hours=problem.campaign.deadline_hours(problem.severity))
    if "verify" in stamps:
        fields["closed_at"] = stamps["verify"][-1]
    Problem.objects.filter(pk=problem.pk).update(**fields)
    reviews = sorted(stamps.get("verify", []) + stamps.get("reject", []))
    for i, rect in enumerate(Rectification.objects.filter(problem=problem).order_by("id")):
        Rectification.objects.filter(pk=rect.pk).update(
            submitted_at=stamps["submit"][i],
            reviewed_at=reviews[i] if i < len(reviews) else None)
    problem.refresh_from_db()
    return problem



REPORTS = [
    ("stall", "七一路与八一路交叉口每天傍晚有流动摊贩占道，行人只能走机动车道。", "七一路与八一路交叉口",
     (33.6262, 114.6511)),
    ("env", "荷花路小区东门外垃圾桶满溢，两天没人清运。", "荷花路小区东门", (33.6190, 114.6420)),
    ("ads", "五一路公交站候车亭贴满小广告。", "五一路公交站", None),
    ("behavior", "人民公园湖边有人乱扔垃圾、在树上刻字。", "人民公园", (33.6301, 114.6580)),
    ("facility", "建设路中段两个井盖破损，夜里很危险。", "建设路中段", (33.6214, 114.6466)),
    ("other", "希望在文昌广场多设几个垃圾桶。", "文昌广场", None),
]


def _citizen_reports(admin):
    """Six reports from the public: two accepted into the ledger, one
    rejected, three waiting for triage."""
    chuanhui = Unit.objects.get(name="川汇区", parent__parent=None)
    for i, (code, text, address, point) in enumerate(REPORTS):
        lat, lng = point or (None, None)
        report = citizen.submit_report(service_code=code, description=text, address=address,
                                       lat=lat, lng=lng, client_key=f"demo-report-{i}")
        if i in (0, 4):
            citizen.accept_report(admin, report, responsible_unit=chuanhui)
        elif i == 5:
            citizen.reject_report(admin, report, reason="属于建议类，已转城市管理部门参考，不作为问题受理。")
