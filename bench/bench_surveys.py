"""Time the four rates by district and period over many responses.

    python bench/bench_surveys.py                 # 1,000,000 on PostgreSQL, 100,000 on SQLite
    python bench/bench_surveys.py --pg-n 200000 --sqlite-n 0

PostgreSQL: a throw-away database is created with psql (dropped afterwards
unless --keep) on the server of WENMING_BENCH_PG (default
postgresql://postgres@127.0.0.1:5432). SQLite: a temporary data dir.
Responses are generated in bulk (COPY on PostgreSQL) over 24 months and the
demo city's districts and streets, then each query is run five times; the
figures printed are the first run and the median. Target: the rates by
district and period with 1,000,000 responses in <= 2 s on PostgreSQL.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = "wenming_bench_surveys"
RATES = ["awareness", "support", "participation", "satisfaction"]
GROUPS = ["resident", "resident", "resident", "shopkeeper", "student", "visitor"]


def _psql(server, sql):
    subprocess.run(["psql", f"{server}/postgres", "-q", "-c", sql], check=True,
                   capture_output=True)


def _setup_django(database_url, data_dir):
    os.environ["DJANGO_SETTINGS_MODULE"] = "wenming.settings"
    os.environ["WENMING_DATA_DIR"] = data_dir
    if database_url:
        os.environ["WENMING_DATABASE_URL"] = database_url
    else:
        os.environ.pop("WENMING_DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _world():
    from wenming.accounts import demo as accounts_demo
    from wenming.accounts.models import User
    from wenming.surveys.tests.factories import make_questionnaire

    accounts_demo.load()
    editor = User.objects.get(username="editor")
    return make_questionnaire(editor, title="基准测试问卷")


def _places():
    from wenming.accounts.models import Unit
    from wenming.surveys.models import DISTRICT_KINDS, STREET_KINDS

    places = []
    for district in Unit.objects.filter(kind__in=DISTRICT_KINDS):
        streets = list(Unit.objects.filter(kind__in=STREET_KINDS,
                                           path__startswith=district.path))
        for street in streets or [None]:
            places.append((district.pk, street.pk if street else None))
    return places


def _rows(n, questionnaire_id, places, first_day, days, seed=8):
    """Tuples in the column order of _COLUMNS; each district has its own
    level so the rates differ, and about one answer in twenty is missing."""
    rnd = random.Random(seed)
    level = {d: 0.6 + 0.35 * rnd.random() for d, _ in places}
    for i in range(n):
        district, street = places[rnd.randrange(len(places))]
        day = first_day + timedelta(days=rnd.randrange(days))
        flags = [None if rnd.random() < 0.05 else rnd.random() < level[district] + (j - 2) * 0.03
                 for j in range(4)]
        online = rnd.random() < 0.2
        yield (questionnaire_id, "A", GROUPS[rnd.randrange(len(GROUPS))],
               "online" if online else "visit", f"bench{i}" if online else "", district,
               street, street or district, day, *flags)


_COLUMNS = ["questionnaire_id", "variant", "group", "channel", "device_token", "district_id",
            "street_id", "area_id", "answered_on", *RATES]


def _generate(n, questionnaire, first_day, days):
    from django.db import connection

    from wenming.surveys.models import Response

    places = _places()
    started = time.perf_counter()
    batch = 100_000 if connection.vendor == "postgresql" else 20_000
    rows = _rows(n, questionnaire.pk, places, first_day, days)
    done = 0
    while done < n:
        chunk = [next(rows) for _ in range(min(batch, n - done))]
        if connection.vendor == "postgresql":
            _copy(connection, chunk)
        else:
            Response.objects.bulk_create(
                [Response(answers={}, **dict(zip(_COLUMNS, r, strict=True))) for r in chunk],
                batch_size=2000)
        done += len(chunk)
        rate = done / (time.perf_counter() - started)
        print(f"\r  generated {done:,}/{n:,} responses ({rate:,.0f}/s)", end="", flush=True)
    print()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE surveys_response" if connection.vendor == "postgresql"
                       else "ANALYZE")
    return time.perf_counter() - started


def _copy(connection, chunk):
    from django.utils import timezone

    now = timezone.now()
    connection.ensure_connection()
    columns = ", ".join(f'"{c}"' for c in [*_COLUMNS, "answers", "created_at"])
    with connection.connection.cursor() as cursor:
        with cursor.copy(f"COPY surveys_response ({columns}) FROM STDIN") as copy:
            for r in chunk:
                copy.write_row([*r, "{}", now])
    connection.connection.commit()


def _time(label, fn, runs=5):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    print(f"  {label:<58} first {times[0] * 1000:7.0f} ms, median "
          f"{statistics.median(times) * 1000:7.0f} ms")
    return result


def worker(args):
    _setup_django(args.database_url, args.data_dir)
    from django.db import connection

    from wenming.core.periods import Period
    from wenming.surveys.models import DistrictPopulation, Response
    from wenming.surveys.stats import district_months, monthly_series, rate_table

    questionnaire = _world()
    last = Period.parse(args.last_quarter)
    first = last
    for _ in range(7):  # eight quarters: 24 months of answers
        first = first.previous()
    first_day = first.start
    days = (last.last_day - first_day).days + 1
    label = f"{connection.vendor} ({connection.settings_dict['NAME']})"
    print(f"{label}: generating {args.n:,} responses over {days} days …", flush=True)
    elapsed = _generate(args.n, questionnaire, first_day, days)
    total = Response.objects.count()
    print(f"  {total:,} responses in {elapsed:.1f} s")
    responses = Response.objects.all()
    year = Period.parse(str(last.start.year))
    in_quarter = responses.filter(answered_on__gte=last.start, answered_on__lte=last.last_day).count()
    print(f"  quarter {last.key}: {in_quarter:,} responses; year {year.key}: "
          f"{responses.filter(answered_on__gte=year.start, answered_on__lte=year.last_day).count():,}")
    for i, (district, _) in enumerate(sorted(set(_places()))):
        DistrictPopulation.objects.get_or_create(district_id=district,
                                                 defaults={"population": 300_000 + i * 50_000,
                                                           "year": 2024})
    table = _time("rates by district, quarter + previous quarter (trend)",
                  lambda: rate_table(responses, last, by="district"))
    _time("rates by district, year + previous year (trend)",
          lambda: rate_table(responses, year, by="district"))
    _time("rates by district, quarter, weighted by population",
          lambda: rate_table(responses, last, by="district", weighted=True))
    _time("rates by respondent group, quarter, weighted",
          lambda: rate_table(responses, last, by="group", weighted=True))

    _time("rates by district x month, 24 months (all responses)",
          lambda: district_months(responses, first_day, last.last_day))
    _time("combined rates month by month, 12 months (trend chart)",
          lambda: monthly_series(responses, last, 12))
    e = table.total.estimates["satisfaction"]
    print(f"  check: {len(table.rows)} district rows; overall satisfaction {e.p:.3f} "
          f"[{e.low:.3f}, {e.high:.3f}] (n={e.n:,})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-n", type=int, default=1_000_000)
    parser.add_argument("--sqlite-n", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument("--last-quarter", default="2026Q3")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--database-url", default="", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)
    env = {k: v for k, v in os.environ.items() if k != "WENMING_DATABASE_URL"}
    common = [sys.executable, __file__, "--worker", "--last-quarter", args.last_quarter]
    if args.pg_n:
        server = os.environ.get("WENMING_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
        _psql(server, f"DROP DATABASE IF EXISTS {DB_NAME}")
        _psql(server, f"CREATE DATABASE {DB_NAME}")
        try:
            with tempfile.TemporaryDirectory() as data:
                subprocess.run([*common, "--n", str(args.pg_n), "--database-url",
                                f"{server}/{DB_NAME}", "--data-dir", data], env=env, check=True)
        finally:
            if not args.keep:
                _psql(server, f"DROP DATABASE IF EXISTS {DB_NAME}")
    if args.sqlite_n:
        with tempfile.TemporaryDirectory() as data:
            subprocess.run([*common, "--n", str(args.sqlite_n), "--data-dir", data], env=env,
                           check=True)


if __name__ == "__main__":
    main()
