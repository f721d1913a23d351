from django.conf import settings
from django.urls import NoReverseMatch, reverse

from wenming.accounts.roles import ADMIN, APPROVER, EDITOR, INSPECTOR, LIAISON, VIEWER

OFFICE = {ADMIN, EDITOR, APPROVER, VIEWER}
EVERYONE = None

# Menu groups: (group label, [(label, url name, roles allowed or EVERYONE)]).
_NAV = [
    ("简报", [
        ("简报编辑", "briefings:issue_list", OFFICE),
        ("报送稿件", "briefings:submission_list", {LIAISON, EDITOR, ADMIN}),
        ("信息采用", "briefings:adoption_stats", OFFICE),
        ("简报检索", "briefings:search", EVERYONE),
        ("简报档案", "briefings:archive", EVERYONE),
    ]),
    ("创文创卫", [
        ("问题台账", "campaign:problem_list", {ADMIN, EDITOR, APPROVER, INSPECTOR, LIAISON, VIEWER}),
        ("整改待办", "campaign:unit_queue", {LIAISON}),
        ("现场督查", "campaign:field_sites", {ADMIN, INSPECTOR}),
        ("随手拍", "campaign:report_list", {ADMIN, INSPECTOR}),
        ("考核排名", "scoring:rankings", {ADMIN, EDITOR, APPROVER, INSPECTOR, LIAISON, VIEWER}),
        ("考核规则", "scoring:rules", {ADMIN, EDITOR, APPROVER, INSPECTOR, LIAISON, VIEWER}),
        ("通报", "scoring:bulletin_list", {ADMIN, EDITOR, APPROVER, INSPECTOR, VIEWER}),
        ("领导驾驶舱", "scoring:dashboard", {ADMIN, EDITOR, APPROVER, INSPECTOR, VIEWER}),
        ("问题地图", "campaign:problem_map", {ADMIN, EDITOR, APPROVER, INSPECTOR, VIEWER}),
        ("数据大屏", "scoring:kiosk", {ADMIN, EDITOR, APPROVER, INSPECTOR, VIEWER}),
    ]),
    ("测评走访", [
        ("入户走访", "surveys:home", EVERYONE),
        ("测评统计", "surveys:stats", {ADMIN, EDITOR, APPROVER, INSPECTOR, LIAISON, VIEWER}),
    ]),
    ("诚信建设", [
        ("红黑榜管理", "credit:manage", {ADMIN, EDITOR, APPROVER, LIAISON, VIEWER}),
        ("红黑榜公示", "credit:public_index", EVERYONE),
    ]),
    ("文明创建", [
        ("文明单位", "activities:title_list", {ADMIN, EDITOR, APPROVER, LIAISON, VIEWER}),
        ("专项活动", "activities:themed_campaign_list", {ADMIN, EDITOR, APPROVER, LIAISON, VIEWER}),
        ("好人榜", "honors:roll_list", EVERYONE),
    ]),
    ("系统", [
        ("我的任务", "tasks:list", EVERYONE),
        ("组织机构", "accounts:unit_list", {ADMIN, EDITOR, APPROVER, INSPECTOR, LIAISON, VIEWER}),
        ("用户管理", "accounts:user_list", {ADMIN}),
        ("审计日志", "audit:event_list", {ADMIN}),
        ("接口密钥", "apikeys:key_list", {ADMIN}),
        ("系统备份", "system:backup_list", {ADMIN}),
        ("大屏链接", "scoring:kiosk_list", {ADMIN}),
    ]),
]

# What the public reaches without signing in.
_PUBLIC = [
    ("简报档案", "briefings:archive"),
    ("简报检索", "briefings:search"),
    ("红黑榜", "credit:public_index"),
    ("好人榜", "honors:public_index"),
    ("随手拍", "campaign:report_form"),
]


def _url(name):
    try:
        return reverse(name)
    except NoReverseMatch:  # an app not installed in this deployment
        return None


def city(request):
    return {"city_name": settings.WENMING_CITY_NAME}


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        public = [{"label": label, "url": url} for label, name in _PUBLIC
                  if (url := _url(name))]
        return {"nav_groups": [], "nav_items": [], "public_nav": public}
    groups, flat = [], []
    for group, entries in _NAV:
        items = []
        for label, name, allowed in entries:
            if allowed is not EVERYONE and not user.has_role(*allowed):
                continue
            url = _url(name)
            if url is None:
                continue
            items.append({"label": label, "url": url,
                          "active": request.path == url or request.path.startswith(url)})
        if items:
            groups.append({"label": group, "items": items,
                           "active": any(i["active"] for i in items)})
            flat += items
    return {"nav_groups": groups, "nav_items": flat, "user_roles": sorted(user.role_names)}
