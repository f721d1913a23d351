"""Credit listing import, phase by phase (issue 16).

    python bench/bench_listing_import.py [--rows 10000] [--profile] [--known 0.5]

On a fresh SQLite data directory with the demo city, imports --rows
listing rows through the department-upload service and prints the seconds
of each phase: reading the sheet, checking the rows (against each other
and the database), writing them. `--known` is the share of rows whose
entity the platform already has (listed on another year's list), so the
checks meet existing entities as a real upload does. `--profile` prints
the top of a cProfile of the check and write phases. No time is asserted.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

CHILD = r"""
import cProfile, io, pstats, sys, time
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from wenming.accounts.models import Unit, User
from wenming.credit import imports, services
from wenming.credit.models import CreditList, Entity
from wenming.credit.tests.bigsheet import listing_xlsx
from wenming.credit.names import name_key
from wenming.credit.tests.factories import code
from wenming.tasks.progress import Progress

rows, known, profile = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3] == "1"
editor = User.objects.get(username="editor")
department = Unit.objects.get(name="市市场监督管理局")
credit_list = CreditList.objects.filter(year=2025, color="red", subject="legal").first() or \
    services.create_list(editor, year=2025, color="red", subject="legal")
Entity.objects.bulk_create([
    Entity(name=f"周口市第{n}号商贸有限公司", name_key=name_key(f"周口市第{n}号商贸有限公司"),
           code=code(n), kind="enterprise")
    for n in range(1, int(rows * known) + 1)], batch_size=1000)
content = listing_xlsx(rows)

class Timed(Progress):
    # The service reports each phase's start; the gaps are the phases.
    def __init__(self):
        self.marks = [("start", time.perf_counter())]
    def update(self, stage=None, done=None, total=None):
        phase = ("read" if stage and stage.startswith("正在读取") else
                 "check" if stage and stage.startswith("正在核对") else
                 "write" if stage and stage.startswith("正在写入") else
                 "confirm" if stage and stage.startswith("正在确认") else None)
        if phase and phase != self.marks[-1][0]:
            self.marks.append((phase, time.perf_counter()))

progress = Timed()
profiler = cProfile.Profile() if profile else None
if profiler:
    profiler.enable()
upload, _ = services.upload_listings(editor, credit_list, department,
                                     SimpleUploadedFile("名单.xlsx", content), progress=progress)
if profiler:
    profiler.disable()
end = time.perf_counter()
marks = progress.marks + [("end", end)]
spans = {}
for (name, at), (_, next_at) in zip(marks, marks[1:]):
    spans[name] = spans.get(name, 0) + next_at - at
print(f"{rows:,} rows ({known:.0%} known entities), imported {upload.rows:,}: "
      + ", ".join(f"{k} {v:.1f} s" for k, v in spans.items() if k != "start")
      + f"; total {end - marks[0][1]:.1f} s")
if profiler:
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
    print(out.getvalue())
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--known", type=float, default=0.5)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--demo", help="a data directory with the demo already loaded, "
                                       "copied for this run (the demo takes minutes)")
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="wenming-bench-listing-"))
    env = {**os.environ, "WENMING_DATA_DIR": str(data), "PYTHONPATH": str(ROOT),
           "DJANGO_SETTINGS_MODULE": "wenming.settings", "WENMING_DATABASE_URL": ""}
    print(f"data directory {data}; load average {os.getloadavg()[0]:.1f}", flush=True)
    if args.demo:
        shutil.copytree(args.demo, data, dirs_exist_ok=True)
    else:
        subprocess.run([PY, str(ROOT / "manage.py"), "demo", "--no-serve"], env=env, cwd=ROOT,
                       check=True, capture_output=True)
    subprocess.run([PY, "-c", CHILD, str(args.rows), str(args.known),
                    "1" if args.profile else "0"], env=env, cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
