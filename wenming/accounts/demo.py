"""The demo city: 周口市 with its districts, counties, functional zones, a
few streets and communities under each, the city departments and one user
per role. Loading twice changes nothing."""

from django.contrib.auth.models import Group

from wenming.accounts import roles
from wenming.accounts.models import Unit, User

# (name, kind, area code, [(street, kind, [communities])])
AREAS = [
    ("川汇区", Unit.Kind.DISTRICT, "411602", [
        ("七一路街道", Unit.Kind.STREET, ["七一路社区", "交通路社区"]),
        ("陈州回族街道", Unit.Kind.STREET, ["德化社区", "许寨社区"]),
        ("荷花路街道", Unit.Kind.STREET, ["荷花社区", "建设路社区"]),
    ]),
    ("淮阳区", Unit.Kind.DISTRICT, "411603", [
        ("柳湖街道", Unit.Kind.STREET, ["柳湖社区", "羲皇社区"]),
        ("白楼镇", Unit.Kind.TOWNSHIP, ["白楼村", "前集村"]),
    ]),
    ("项城市", Unit.Kind.COUNTY, "411681", [
        ("花园街道", Unit.Kind.STREET, ["花园社区", "莲花社区"]),
        ("水寨街道", Unit.Kind.STREET, ["水寨社区"]),
    ]),
    ("扶沟县", Unit.Kind.COUNTY, "411621", [
        ("城关镇", Unit.Kind.TOWNSHIP, ["桐丘社区"]),
        ("江村镇", Unit.Kind.TOWNSHIP, ["卢白村", "江村"]),
    ]),
    ("西华县", Unit.Kind.COUNTY, "411622", [
        ("娲城街道", Unit.Kind.STREET, ["娲城社区", "昆山社区"]),
    ]),
    ("商水县", Unit.Kind.COUNTY, "411623", [
        ("东城街道", Unit.Kind.STREET, ["东城社区"]),
        ("汤庄乡", Unit.Kind.TOWNSHIP, ["西赵桥村", "汤庄村"]),
    ]),
    ("沈丘县", Unit.Kind.COUNTY, "411624", [
        ("槐店回族镇", Unit.Kind.TOWNSHIP, ["槐店社区"]),
    ]),
    ("郸城县", Unit.Kind.COUNTY, "411625", [
        ("洺南街道", Unit.Kind.STREET, ["洺南社区"]),
    ]),
    ("太康县", Unit.Kind.COUNTY, "411627", [
        ("长营街道", Unit.Kind.STREET, ["长营社区"]),
        ("城关回族镇", Unit.Kind.TOWNSHIP, ["城关社区"]),
    ]),
    ("鹿邑县", Unit.Kind.COUNTY, "411628", [
        ("真源街道", Unit.Kind.STREET, ["真源社区"]),
    ]),
    ("市城乡一体化示范区", Unit.Kind.ZONE, "", [
        ("文昌街道", Unit.Kind.STREET, ["文昌社区", "大任庄村"]),
    ]),
    ("经济开发区", Unit.Kind.ZONE, "", [
        ("太昊路街道", Unit.Kind.STREET, ["太昊社区", "半截楼村"]),
    ]),
    ("港口物流产业集聚区", Unit.Kind.ZONE, "", [
        ("李埠口乡", Unit.Kind.TOWNSHIP, ["李埠口村"]),
    ]),
]

DEPARTMENTS = [
    "市委办公室", "市政府办公室", "市委组织部", "市委宣传部", "市纪委监委", "市委政法委",
    "市法院", "市检察院", "市公安局", "市教育局", "市民政局", "市财政局",
    "市人力资源和社会保障局", "市自然资源和规划局", "市生态环境局", "市住房和城乡建设局",
    "市城市管理局", "市交通运输局", "市水利局", "市农业农村局", "市商务局", "市文广旅局",
    "市卫生健康委", "市应急管理局", "市市场监督管理局", "市税务局", "市发展和改革委员会",
    "市残联", "市总工会", "团市委", "市妇联", "周口监狱", "周口职业技术学院", "市中心医院",
]

DEMO_PASSWORD = "wenming2024"

# (username, full name, role, unit name or None)
USERS = [
    ("admin", "王文明", roles.ADMIN, None),
    ("editor", "李编辑", roles.EDITOR, None),
    ("approver", "赵签发", roles.APPROVER, None),
    ("inspector", "孙督查", roles.INSPECTOR, None),
    ("chuanhui", "陈联络", roles.LIAISON, "川汇区"),
    ("huaiyang", "周联络", roles.LIAISON, "淮阳区"),
    ("shijianju", "刘联络", roles.LIAISON, "市市场监督管理局"),
    ("viewer", "吴领导", roles.VIEWER, None),
]


def _unit(parent, name, kind, area_code="", order=0):
    unit, created = Unit.objects.get_or_create(
        parent=parent, name=name,
        defaults={"kind": kind, "area_code": area_code, "sort_order": order},
    )
    return unit


def load(stdout=None):
    city = _unit(None, "周口市", Unit.Kind.CITY, "411600")
    office = _unit(city, "周口市文明办", Unit.Kind.DEPARTMENT, order=0)
    for i, (name, kind, code, streets) in enumerate(AREAS, start=1):
        area = _unit(city, name, kind, code, order=i)
        for j, (street, skind, communities) in enumerate(streets, start=1):
            s = _unit(area, street, skind, order=j)
            for k, community in enumerate(communities, start=1):
                _unit(s, community, Unit.Kind.VILLAGE if community.endswith("村") else Unit.Kind.COMMUNITY,
                      order=k)
    for i, name in enumerate(DEPARTMENTS, start=100):
        _unit(city, name, Unit.Kind.DEPARTMENT, order=i)

    created = []
    for username, full_name, role, unit_name in USERS:
        if unit_name:
            unit = Unit.objects.get(parent=city, name=unit_name)
        else:
            unit = office if role in roles.OFFICE else None
        user, was_created = User.objects.get_or_create(
            username=username, defaults={"full_name": full_name, "unit": unit},
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            created.append(user)
        user.groups.add(Group.objects.get(name=role))
        if role == roles.ADMIN and not user.is_staff:
            user.is_staff = user.is_superuser = True
            user.save()
    return {"units": Unit.objects.count(), "users": USERS, "created": created}
