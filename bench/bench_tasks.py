"""Long work off the request (issue 16).

    python bench/bench_tasks.py [--rows 100000] [--seconds 20] [--refusal-only]

On a fresh SQLite data directory with the demo city, prints:
  * time and peak memory (RSS) of importing --rows listing rows through the
    credit upload service, as the worker runs it (read, check, write);
  * time and peak memory of refusing a 20-million-cell sheet;
  * requests/s and p99 of the ledger page (/campaign/) under wrk with 16
    connections against gunicorn (2 workers), with no import running and
    then while a worker runs the import, in the same run.
Each measurement runs in its own process so peak RSS is its own. Needs
wrk and gunicorn for the last figure (apt-get install wrk; pip install
gunicorn). No timing is asserted anywhere.
"""

import argparse
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

CHILD = r"""
import json, os, resource, sys, time
import django
django.setup()
from wenming.accounts.models import Unit, User
from wenming.credit import services
from wenming.credit.models import CreditList

def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def bench_list():
    editor = User.objects.get(username="editor")
    credit_list = CreditList.objects.filter(year=2025, color="red", subject="legal").first()
    return editor, credit_list or services.create_list(editor, year=2025, color="red",
                                                         subject="legal")

mode, path = sys.argv[1], sys.argv[2]
editor, credit_list = bench_list()
department = Unit.objects.get(name="市市场监督管理局")
content = open(path, "rb").read()
from django.core.files.uploadedfile import SimpleUploadedFile
upload = SimpleUploadedFile("名单.xlsx", content)
if mode == "enqueue":
    from wenming.tasks.services import start_task
    task = start_task(editor, "wenming.credit.tasks.upload_listings", "基准导入",
                      {"credit_list": credit_list.pk, "department": department.pk}, upload=upload)
    print(json.dumps({"task": task.pk}))
    sys.exit()
if mode == "session":
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    s = SessionStore()
    s[SESSION_KEY] = str(editor.pk)
    s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    s[HASH_SESSION_KEY] = editor.get_session_auth_hash()
    s.create()
    print(json.dumps({"session": s.session_key}))
    sys.exit()
base = rss_mb()
started = time.perf_counter()
outcome = "imported"
try:
    upload_, _ = services.upload_listings(editor, credit_list, department, upload)
    outcome = f"imported {upload_.rows} rows"
except Exception as e:
    outcome = getattr(e, "message", repr(e))
print(json.dumps({"seconds": time.perf_counter() - started, "peak_mb": rss_mb(),
                  "base_mb": base, "outcome": outcome}))
"""


def _env(data_dir):
    return {**os.environ, "WENMING_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "wenming.settings", "WENMING_DATABASE_URL": "",
            "WENMING_ALLOWED_HOSTS": "127.0.0.1"}


def _child(env, *args):
    out = subprocess.run([PY, "-c", CHILD, *args], env=env, cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def _sheet(path, rows, columns=12):
    code = ("import sys; from django import setup; setup(); "
            "from wenming.credit.tests.bigsheet import listing_xlsx; "
            f"open(sys.argv[1], 'wb').write(listing_xlsx({rows}, {columns}))")
    subprocess.run([PY, "-c", code, str(path)], cwd=ROOT, check=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT),
                        "DJANGO_SETTINGS_MODULE": "wenming.settings",
                        "WENMING_DATA_DIR": tempfile.mkdtemp()})
    return path


def _wrk(url, session, seconds):
    out = subprocess.run(["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", "--timeout", "30s",
                          "-H", f"Cookie: sessionid={session}", url],
                         capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    p99 = re.search(r"99%\s+([\d.]+\w+)", out)[1]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, p99, int(non2xx[1]) if non2xx else 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--refusal-only", action="store_true",
                        help="only the refusal of the 20-million-cell sheet")
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="wenming-bench-tasks-"))
    env = _env(data)
    print(f"data directory {data}; load average {os.getloadavg()[0]:.1f}", flush=True)
    subprocess.run([PY, str(ROOT / "manage.py"), "demo", "--no-serve"], env=env, cwd=ROOT,
                   check=True, capture_output=True)

    if not args.refusal_only:
        sheet = _sheet(data / "rows.xlsx", args.rows)
        r = _child(env, "import", str(sheet))
        print(f"import {args.rows:,} listing rows ({sheet.stat().st_size / 1e6:.1f} MB xlsx): "
              f"{r['seconds']:.1f} s, peak RSS {r['peak_mb']:.0f} MB "
              f"(process after start-up {r['base_mb']:.0f} MB) — {r['outcome']}", flush=True)

    big = _sheet(data / "big.xlsx", 200_000, 100)
    r = _child(env, "import", str(big))
    print(f"refuse a 20,000,000-cell sheet (100 columns × 200,000 rows, "
          f"{big.stat().st_size / 1e6:.1f} MB): {r['seconds']:.1f} s, peak RSS "
          f"{r['peak_mb']:.0f} MB (after start-up {r['base_mb']:.0f} MB) — {r['outcome']}",
          flush=True)

    if args.refusal_only:
        return
    if not (shutil.which("wrk") and importlib.util.find_spec("gunicorn")):
        print("wrk: skipped (apt-get install wrk; pip install gunicorn)")
        return
    session = _child(env, "session", str(sheet))["session"]
    server = subprocess.Popen([PY, "-m", "gunicorn", "wenming.wsgi:application", "--bind",
                               "127.0.0.1:8816", "--workers", "2", "--log-level", "warning"],
                              cwd=ROOT, env=env)
    worker = subprocess.Popen([PY, str(ROOT / "manage.py"), "worker", "--interval", "0.5"],
                              cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    try:
        time.sleep(4)
        url = "http://127.0.0.1:8816/campaign/"
        _wrk(url, session, 3)  # warm both workers
        rate, p99, bad = _wrk(url, session, args.seconds)
        print(f"ledger page, wrk 16 connections {args.seconds} s, no import: "
              f"{rate:.1f} requests/s, p99 {p99}, non-2xx {bad}", flush=True)
        _child(env, "enqueue", str(sheet))
        time.sleep(1)
        rate, p99, bad = _wrk(url, session, args.seconds)
        status = subprocess.run(
            [PY, str(ROOT / "manage.py"), "shell", "-c",
             "from wenming.tasks.models import Task; t = Task.objects.get(); "
             "print(t.status, t.stage, t.done, t.total)"],
            env=env, cwd=ROOT, capture_output=True, text=True).stdout.strip()
        print(f"ledger page, same, while the worker imports {args.rows:,} rows: "
              f"{rate:.1f} requests/s, p99 {p99}, non-2xx {bad} (task afterwards: {status})")
    finally:
        for process in (worker, server):
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    main()
