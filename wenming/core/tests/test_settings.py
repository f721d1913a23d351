import os
import subprocess
import sys

from django.conf import settings
from django.db import connection


def test_tests_run_on_the_configured_engine(db):
    url = os.environ.get("WENMING_DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected


def test_sqlite_file_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    env = {**os.environ, "WENMING_DATA_DIR": str(tmp_path)}
    env.pop("WENMING_DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "wenming.cli", "migrate", "-v0"], env=env, check=True)
    probe = ("from django.db import connection; cur = connection.cursor(); "
             "print(cur.execute('PRAGMA journal_mode').fetchone()[0], "
             "cur.execute('PRAGMA busy_timeout').fetchone()[0])")
    out = subprocess.run([sys.executable, "-m", "wenming.cli", "shell", "-v0", "-c", probe], env=env,
                         check=True, capture_output=True, text=True).stdout.split()
    assert out[0] == "wal" and int(out[1]) >= 5000


def test_chinese_and_shanghai_time():
    assert settings.LANGUAGE_CODE == "zh-hans" and settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ


def test_secret_key_is_generated_once_into_the_data_dir(tmp_path):
    env = {**os.environ, "WENMING_DATA_DIR": str(tmp_path)}
    env.pop("WENMING_SECRET_KEY", None)
    probe = "from django.conf import settings; print(settings.SECRET_KEY)"
    keys = [subprocess.run([sys.executable, "-m", "wenming.cli", "shell", "-v0", "-c", probe], env=env,
                           check=True, capture_output=True, text=True).stdout.strip()
            for _ in range(2)]
    assert keys[0] == keys[1] == (tmp_path / "secret_key").read_text().strip()
    assert len(keys[0]) >= 50


def test_limits_and_credit_rules_come_from_the_environment(tmp_path):
    env = {**os.environ, "WENMING_DATA_DIR": str(tmp_path), "WENMING_CITY_NAME": "周口市",
           "WENMING_SURVEY_RATE_LIMIT": "2/60", "WENMING_CREDIT_NOTICE_DAYS": "10",
           "WENMING_CREDIT_RESTORATION_MONTHS": "market_penalty=3,court=",
           "WENMING_CREDIT_NUMBER_PREFIX": "周文明信"}
    probe = ("from django.conf import settings; print(repr((settings.WENMING_CITY_NAME, "
             "settings.WENMING_SURVEY_RATE_LIMIT, settings.WENMING_CREDIT_NOTICE_DAYS, "
             "settings.WENMING_CREDIT_RESTORATION_MONTHS, settings.WENMING_CREDIT_NUMBER_PREFIX)))")
    out = subprocess.run([sys.executable, "-m", "wenming.cli", "shell", "-v0", "-c", probe],
                         env=env, check=True, capture_output=True, text=True).stdout.strip()
    assert out == repr(("周口市", (2, 60), 10, {"market_penalty": 3, "court": None}, "周文明信"))


def test_malformed_city_bounds_is_a_check_error_naming_the_variable(tmp_path):
    env = {**os.environ, "WENMING_DATA_DIR": str(tmp_path)}
    env.pop("WENMING_DATABASE_URL", None)
    for bad in ["33.4,114.4,33.8", "33.4,114.4,北,114.9", "33.8,114.4,33.4,114.9", "nan,1,2,3"]:
        result = subprocess.run([sys.executable, "-m", "wenming.cli", "check"],
                                env={**env, "WENMING_CITY_BOUNDS": bad},
                                capture_output=True, text=True)
        assert result.returncode != 0, bad
        assert "WENMING_CITY_BOUNDS" in result.stderr and "南界纬度,西界经度,北界纬度,东界经度" in result.stderr
    ok = subprocess.run([sys.executable, "-m", "wenming.cli", "check"],
                        env={**env, "WENMING_CITY_BOUNDS": " 33.4, 114.4,33.8,114.9"},
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
