"""Work that issue 16 moved into background tasks, beside its longest part.

    python bench/bench_background.py

On a fresh SQLite data directory with the demo loaded, prints:
  * the backup (`create_backup`, as the 系统备份 task runs it): time, archive
    size, tables, rows and files;
  * the demo bulletin's PDF with its photos: time of scaling the photos for
    print and of the whole document;
  * the yearly compilation of the demo series' fullest year: first build
    (typeset) and a second ask of the unchanged year (hash check only).
No timing is asserted anywhere.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(func, *args):
    started = time.perf_counter()
    result = func(*args)
    return time.perf_counter() - started, result


def main():
    data_dir = tempfile.mkdtemp(prefix="wenming-bench-bg-")
    os.environ.update(WENMING_DATA_DIR=data_dir, WENMING_DATABASE_URL="",
                      DJANGO_SETTINGS_MODULE="wenming.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Count

    call_command("migrate", verbosity=0)
    call_command("demo", no_serve=True, verbosity=0, stdout=open(os.devnull, "w"))
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores)")

    from wenming.front.backup import create_backup

    path = Path(data_dir) / "bench-backup.zip"
    seconds, manifest = timed(create_backup, str(path))
    rows = sum(manifest["rows"].values())
    print(f"backup: {seconds:.2f} s, {path.stat().st_size / 1024 / 1024:.1f} MiB, "
          f"{manifest['tables']} tables, {rows:,} rows, {manifest['files']} files")

    from wenming.scoring import render
    from wenming.scoring.models import Bulletin
    from wenming.tasks.progress import Progress

    bulletin = Bulletin.objects.first()
    c = render.document_content(bulletin)
    photos, _ = timed(render.print_photos, c, Progress())
    whole, pdf = timed(render.render_pdf, bulletin)
    print(f"bulletin PDF with {len(render.photo_names(c))} photos: photos scaled {photos * 1000:.0f} ms, "
          f"whole document {whole * 1000:.0f} ms ({len(pdf) // 1024} KiB)")

    from wenming.briefings import compilation
    from wenming.briefings.models import Issue, Series

    fullest = (Issue.objects.filter(status=Issue.Status.PUBLISHED).values("series", "year")
               .annotate(n=Count("pk")).order_by("-n").first())
    series, year = Series.objects.get(pk=fullest["series"]), fullest["year"]
    first, (_, count, _) = timed(compilation.build, series, year)
    again, (_, _, typeset) = timed(compilation.build, series, year)
    assert not typeset
    print(f"compilation of {count} issues: first {first * 1000:.0f} ms (typeset), "
          f"unchanged year asked again {again * 1000:.0f} ms")


if __name__ == "__main__":
    main()
