"""Roles are Django groups; their names are what users see."""

ADMIN = "管理员"
EDITOR = "编辑"
APPROVER = "签发人"
INSPECTOR = "督查员"
LIAISON = "单位联络员"
VIEWER = "只读"

ALL = [ADMIN, EDITOR, APPROVER, INSPECTOR, LIAISON, VIEWER]

# Roles of the office itself: they see every unit's records.
OFFICE = {ADMIN, EDITOR, APPROVER, INSPECTOR}

# Who does what, across apps. Each predicate takes a user (anonymous or
# None answers False); the apps call these instead of keeping copies.
OFFICE_EDITORS = (ADMIN, EDITOR)
OFFICE_INSPECTORS = (ADMIN, INSPECTOR)
OFFICE_MANAGERS = (ADMIN, EDITOR, INSPECTOR)


def _has_role(user, names):
    return user is not None and user.is_authenticated and user.has_role(*names)


def is_office_editor(user):
    """The office's administrators and editors: they edit briefings, lists,
    titles, campaigns and honor rolls."""
    return _has_role(user, OFFICE_EDITORS)


def is_office_inspector(user):
    """The office's administrators and inspectors: they keep the campaign
    ledger (problems, sites, citizen reports)."""
    return _has_role(user, OFFICE_INSPECTORS)


def can_manage(user):
    """Administrators, editors and inspectors: they run survey work
    (questionnaires, populations, visits anywhere)."""
    return _has_role(user, OFFICE_MANAGERS)
