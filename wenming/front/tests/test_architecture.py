"""core is the bottom layer: small shared pieces that hold no models and
import no app, so any app can use them without a cycle."""

import ast
from pathlib import Path

from django.apps import apps

import wenming

CORE = Path(wenming.__file__).resolve().parent / "core"


def _apps():
    return {c.name for c in apps.get_app_configs()
            if c.name.startswith("wenming.") and c.name != "wenming.core"}


def _imported(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
            # `from wenming import search` names the app in the alias.
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def _imports_of(folder, app_names, skip_tests=False):
    found = []
    for path in sorted(folder.rglob("*.py")):
        if skip_tests and "tests" in path.relative_to(folder).parts:
            continue
        # Function-level imports count too: ast.walk sees every statement.
        for name in _imported(ast.parse(path.read_text(), filename=str(path))):
            if any(name == app or name.startswith(app + ".") for app in app_names):
                found.append(f"{path.relative_to(folder)}: {name}")
    return found


def test_core_imports_no_app():
    app_names = _apps()
    assert "wenming.accounts" in app_names and "wenming.front" in app_names
    assert _imports_of(CORE, app_names) == []


def test_audit_stands_below_accounts():
    # accounts records through audit; audit knows the user model only by
    # settings.AUTH_USER_MODEL.
    assert _imports_of(CORE.parent / "accounts", {"wenming.audit"}, skip_tests=True)
    assert _imports_of(CORE.parent / "audit", {"wenming.accounts"}, skip_tests=True) == []


def test_core_holds_no_models():
    assert list(apps.get_app_config("core").get_models()) == []
    assert not (CORE / "models.py").exists()
