"""Time the whole `wenming briefing render` process on the seed issue.

    python bench/bench_cli.py

Builds a throw-away SQLite data dir holding the seed issue (through the
services), then runs `wenming briefing render ID --format pdf` five times as
a fresh process each time and prints the median (target <= 1.5 s).
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETUP = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from wenming.accounts.tests.factories import make_city, make_people
from wenming.briefings.tests.factories import build_issue, make_series
from wenming.briefings.tests.seed import seed_issue
people = make_people(make_city())
issue = build_issue(people["editor"], make_series(people["editor"]), seed_issue())
print(issue.pk)
"""


def main():
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "WENMING_DATA_DIR": data, "DJANGO_SETTINGS_MODULE": "wenming.settings"}
        env.pop("WENMING_DATABASE_URL", None)
        print("preparing a data dir with the seed issue …", flush=True)
        issue_id = subprocess.run([sys.executable, "-c", SETUP], env=env, cwd=ROOT, check=True,
                                  capture_output=True, text=True).stdout.split()[-1]
        out = Path(data) / "issue.pdf"
        command = [sys.executable, "-m", "wenming.cli", "briefing", "render", issue_id,
                   "--format", "pdf", "-o", str(out)]
        runs = []
        for i in range(5):
            started = time.perf_counter()
            subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True)
            runs.append(time.perf_counter() - started)
            print(f"  run {i + 1}: {runs[-1]:.2f} s", flush=True)
        print(f"whole `wenming briefing render` process: {statistics.median(runs):.2f} s median"
              f" (min {min(runs):.2f}, max {max(runs):.2f}; {out.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
