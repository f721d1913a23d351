from django.urls import reverse

from wenming.accounts import roles

# (label, url name, roles allowed; None means every signed-in user)
_NAV = [
    ("首页", "home", None),
    ("简报", "briefings:issue_list", {roles.ADMIN, roles.EDITOR, roles.APPROVER, roles.VIEWER}),
    ("报送稿件", "briefings:submission_list", {roles.LIAISON, roles.EDITOR, roles.ADMIN}),
    ("信息采用", "briefings:adoption_stats", {roles.ADMIN, roles.EDITOR, roles.APPROVER,
                                             roles.VIEWER}),
    ("简报档案", "briefings:archive", None),
    ("组织机构", "accounts:unit_list", {roles.ADMIN, roles.EDITOR, roles.APPROVER,
                                      roles.INSPECTOR, roles.LIAISON, roles.VIEWER}),
    ("用户管理", "accounts:user_list", {roles.ADMIN}),
    ("审计日志", "audit:event_list", {roles.ADMIN}),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for label, name, allowed in _NAV:
        if allowed is None or user.has_role(*allowed):
            url = reverse(name)
            items.append({"label": label, "url": url, "active": request.path == url or (
                url != "/" and request.path.startswith(url))})
    return {"nav_items": items, "user_roles": sorted(user.role_names)}
