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
