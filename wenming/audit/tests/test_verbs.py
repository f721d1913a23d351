"""Every verb recorded anywhere has Chinese words for the screens."""

import ast
from pathlib import Path

import wenming
from wenming.audit.models import AuditEvent
from wenming.audit.verbs import DESCRIPTIONS, describe
from wenming.campaign.services import TRANSITIONS as PROBLEM_TRANSITIONS

ROOT = Path(wenming.__file__).resolve().parent


def _record_calls():
    """(file, verb node) of every `record(actor, verb, ...)` call outside tests."""
    for path in sorted(ROOT.rglob("*.py")):
        if "tests" in path.relative_to(ROOT).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not isinstance(node, ast.Call) or len(node.args) < 2:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name == "record":
                yield path.relative_to(ROOT), node.args[1]


def test_every_recorded_verb_has_a_description():
    constant, formatted = set(), []
    for path, verb in _record_calls():
        if isinstance(verb, ast.Constant):
            constant.add(verb.value)
        elif isinstance(verb, ast.IfExp):  # "site.update" if before else "site.create"
            constant |= {verb.body.value, verb.orelse.value}
        else:
            formatted.append((str(path), ast.unparse(verb)))
    assert len(constant) > 50  # the walk found the services
    assert sorted(v for v in constant if v not in DESCRIPTIONS) == []
    # The two formatted verbs: the problem workflow and the admin site.
    assert {p for p, _ in formatted} == {"campaign/services.py", "audit/admin.py"}


def test_every_problem_action_has_a_description():
    missing = [a for a in PROBLEM_TRANSITIONS if f"problem.{a}" not in DESCRIPTIONS]
    assert missing == []


def test_descriptions_are_chinese_never_codes():
    for verb, text in DESCRIPTIONS.items():
        assert text and not any(c.isascii() and c.isalpha() for c in text), verb
    assert describe("listing.delete") == "后台删除"
    assert describe("no.such_thing") == "其他操作"
    assert AuditEvent(verb="problem.dispatch").description == "交办问题"
