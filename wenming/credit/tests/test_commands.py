"""`wenming credit check CODE` prints the JSON of the check."""

import json
import subprocess
import sys

import pytest
from django.core.management import call_command

from wenming.core.uscc import make_uscc


def test_check_prints_json(capsys):
    code = make_uscc("9", "1", "411602", "MA9F3K2L")
    call_command("credit", "check", code.lower())
    data = json.loads(capsys.readouterr().out)
    assert data == {"input": code.lower(), "code": code, "valid": True, "errors": [],
                    "warnings": [], "kind": "uscc", "department": "市场监管（原工商）",
                    "category": "企业", "region_code": "411602",
                    "region": "河南省周口市川汇区", "id_like": False}


def test_check_of_an_invalid_code_exits_non_zero(capsys):
    with pytest.raises(SystemExit) as e:
        call_command("credit", "check", "91411602MA9F3K2L2X")
    assert e.value.code == 1
    data = json.loads(capsys.readouterr().out)
    assert data["valid"] is False and data["errors"][0].startswith("校验未通过：")


def test_the_wenming_console_script(tmp_path):
    # The real command line, as a user types it (no database needed).
    result = subprocess.run(
        [sys.executable, "-m", "wenming.cli", "credit", "check", "410102000012341"],
        capture_output=True, text=True, env={"WENMING_DATA_DIR": str(tmp_path),
                                             "PATH": "/usr/bin:/bin"})
    data = json.loads(result.stdout)
    assert data["kind"] == "registration_number" and data["region"] == "河南省郑州市中原区"
