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


def test_core_imports_no_app():
    app_names = _apps()
    assert "wenming.accounts" in app_names and "wenming.front" in app_names
    found = []
    for path in sorted(CORE.rglob("*.py")):
        for name in _imported(ast.parse(path.read_text(), filename=str(path))):
            if any(name == app or name.startswith(app + ".") for app in app_names):
                found.append(f"{path.relative_to(CORE)}: {name}")
    assert found == []


def test_core_holds_no_models():
    assert list(apps.get_app_config("core").get_models()) == []
    assert not (CORE / "models.py").exists()
