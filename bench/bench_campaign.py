"""The campaign ledger at scale.

    python bench/bench_campaign.py                 # SQLite, 100,000 problems (throw-away dir)
    createdb wenming_bench; WENMING_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/wenming_bench \\
        python bench/bench_campaign.py --n 1000000 # PostgreSQL (that database is emptied first)

Builds 200 units (a city, 13 districts, their streets), 2,000 sites, an index
of 40 criteria and N problems over a year with bulk_create in batches, then
prints, through real requests (Django's test client, templates included):

  * the ledger page p50/p95 under the common filters (target p95 <= 100 ms at 1M),
  * a district liaison's queue page p50/p95,
  * status counts per district,
  * `campaign tick` over the whole ledger, and its second, idle run (target <= 30 s at 1M).

Nothing here asserts a time.
"""

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=None,
                        help="problems (default 100,000; 1,000,000 is the PostgreSQL target)")
    parser.add_argument("--sites", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=30, help="requests per figure")
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--reuse", action="store_true",
                        help="measure the data a previous run built (same database) again")
    return parser.parse_args()


def _setup(reuse=False):
    if not os.environ.get("WENMING_DATABASE_URL") and not os.environ.get("WENMING_DATA_DIR"):
        os.environ["WENMING_DATA_DIR"] = tempfile.mkdtemp(prefix="wenming-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenming.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if connection.vendor == "postgresql" and not reuse:
        if "bench" not in connection.settings_dict["NAME"]:
            sys.exit("The bench empties its database: use one whose name contains 'bench' "
                     "(createdb wenming_bench).")
        with connection.cursor() as cursor:  # a clean slate for the figures
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)
    return connection


def _pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def _line(label, times):
    ms = [t * 1000 for t in times]
    print(f"  {label:<34} p50 {_pct(ms, 50):7.1f} ms   p95 {_pct(ms, 95):7.1f} ms"
          f"   (n={len(ms)})", flush=True)
    return ms


def build(n, n_sites, batch):
    from django.contrib.auth.models import Group

    from wenming.accounts import roles
    from wenming.accounts.models import Unit, User
    from wenming.campaign import catalog
    from wenming.campaign.models import Campaign, Criterion, Problem, Site, SiteCategory

    rng = random.Random(1)
    started = time.perf_counter()
    city = Unit.objects.create(name="基准市", kind=Unit.Kind.CITY)
    districts, streets = [], []
    for d in range(13):
        district = Unit.objects.create(name=f"第{d + 1}区", kind=Unit.Kind.DISTRICT, parent=city,
                                       sort_order=d)
        districts.append(district)
        for s in range(14 if d < 4 else 15):
            streets.append(Unit.objects.create(name=f"第{d + 1}区{s + 1}街道",
                                               kind=Unit.Kind.STREET, parent=district))
    admin = User.objects.create_user("bench-admin", unit=None, is_superuser=True)
    liaison_group = Group.objects.get_or_create(name=roles.LIAISON)[0]
    district_liaison = User.objects.create_user("bench-district", unit=districts[0])
    street_liaison = User.objects.create_user("bench-street", unit=streets[0])
    for user in (district_liaison, street_liaison):
        user.groups.add(liaison_group)
    print(f"units: {Unit.objects.count()}", flush=True)

    catalog.ensure_categories()
    categories = list(SiteCategory.objects.all())
    campaign = Campaign.objects.create(name="创建全国文明城市", year=2024)
    rows = []
    for a in range(1, 6):
        for i in range(1, 5):
            for c in range(1, 3):
                rows.append({"area_code": str(a), "area_name": f"测评项目{a}",
                             "item_code": f"{a}.{i}", "item_name": f"测评内容{a}.{i}",
                             "code": f"{a}.{i}.{c}", "text": f"测评标准{a}.{i}.{c}",
                             "method": "field", "weight": 1,
                             "categories": [x.name for x in rng.sample(categories, 4)]})
    catalog.import_index(admin, campaign, 2024, rows)
    criteria = list(Criterion.objects.all())
    street_parent = {s.pk: s.parent_id for s in streets}
    Site.objects.bulk_create([
        Site(name=f"点位{i:05d}", category=rng.choice(categories),
             district_id=street_parent[(unit := rng.choice(streets)).pk], responsible_unit=unit,
             address=f"基准路{i}号", lat=33.6, lng=114.6)
        for i in range(n_sites)], batch_size=1000)
    sites = list(Site.objects.values_list("pk", "category_id", "district_id",
                                          "responsible_unit_id"))
    print(f"sites: {len(sites)}, criteria: {len(criteria)}", flush=True)

    status = Problem.Status
    statuses = ([status.CLOSED] * 70 + [status.DISPATCHED] * 10 + [status.SUBMITTED] * 5
                + [status.REJECTED] * 3 + [status.DISPUTED] * 2 + [status.FOUND] * 5
                + [status.CANCELLED] * 5)
    severities = ["immediate", "normal", "normal", "serious"]
    hours = {"immediate": 24, "normal": 72, "serious": 168}
    from django.utils import timezone

    now = timezone.now()
    made = 0
    while made < n:
        objs = []
        for _ in range(min(batch, n - made)):
            pk, category, district, unit = rng.choice(sites)
            c = rng.choice(criteria)
            found = now - timedelta(seconds=rng.randint(0, 365 * 86400))
            status = rng.choice(statuses)
            severity = rng.choice(severities)
            p = Problem(campaign=campaign, site_id=pk, criterion=c, area_id=c.area_id,
                        category_id=category, district_id=district, responsible_unit_id=unit,
                        description=f"基准问题 {made}", severity=severity, found_at=found,
                        status=status, client_id=uuid.uuid4(), is_repeat=rng.random() < 0.1)
            if status != Problem.Status.FOUND:
                p.dispatched_at = found + timedelta(hours=2)
                p.deadline = p.dispatched_at + timedelta(hours=hours[severity])
            if status in (Problem.Status.DISPATCHED, Problem.Status.REJECTED) and p.deadline < now:
                # Earlier ticks already handled most of them; a few are new for this one.
                if rng.random() < 0.97:
                    late = now - p.deadline
                    p.is_overdue = True
                    p.escalation_level = 3 if late >= timedelta(days=7) else (
                        2 if late >= timedelta(days=3) else 1)
            if status == Problem.Status.CLOSED:
                p.closed_at = found + timedelta(days=2)
            objs.append(p)
            made += 1
        Problem.objects.bulk_create(objs, batch_size=batch)
        elapsed = time.perf_counter() - started
        print(f"\r  problems: {made:,}/{n:,} ({made / elapsed:,.0f}/s)", end="", flush=True)
    print(f"\nbuilt in {time.perf_counter() - started:.0f} s", flush=True)
    return districts, streets, district_liaison, street_liaison, admin


def measure(connection, districts, streets, district_liaison, street_liaison, admin, runs):
    from django.db.models import Count
    from django.test import Client

    from wenming.campaign.models import Area, Problem, SiteCategory
    from wenming.campaign.tick import run_tick

    if connection.vendor == "postgresql":
        connection.cursor().execute("VACUUM ANALYZE")
    else:
        connection.cursor().execute("ANALYZE")
    rng = random.Random(2)
    office = Client()
    office.force_login(admin)
    areas = list(Area.objects.values_list("pk", flat=True))
    categories = list(SiteCategory.objects.values_list("pk", flat=True))
    today = time.strftime("%Y-%m-%d")
    month_ago = time.strftime("%Y-%m-%d", time.localtime(time.time() - 30 * 86400))
    filters = {
        "no filter": lambda: {},
        "status=整改中": lambda: {"status": "dispatched"},
        "district": lambda: {"district": rng.choice(districts).pk},
        "district + status": lambda: {"district": rng.choice(districts).pk,
                                      "status": "dispatched"},
        "responsible unit": lambda: {"unit": rng.choice(streets).pk},
        "site category": lambda: {"category": rng.choice(categories)},
        "index area": lambda: {"area": rng.choice(areas)},
        "overdue": lambda: {"overdue": "1"},
        "repeat + district": lambda: {"repeat": "1", "district": rng.choice(districts).pk},
        "last 30 days": lambda: {"date_from": month_ago, "date_to": today},
    }
    # Deeper pages by the keyset cursor cost the same as the first.
    print(f"\nledger pages after the first, by the keyset cursor, {runs} requests:")
    response = office.get("/campaign/")
    times = []
    for _ in range(runs):
        cursor = re.search(r"after=(\d+-\d+)", response.content.decode())[1]
        t = time.perf_counter()
        response = office.get("/campaign/", {"after": cursor})
        times.append(time.perf_counter() - t)
    _line("next pages (no filter)", times)

    for url, title in [("/campaign/", "ledger page (/campaign/, first page of 30 rows)"),
                       ("/campaign/problems/counts/",
                        "counts by status (fetched by the ledger page after the list)")]:
        print(f"\n{title}, {runs} requests each:")
        everything = []
        for label, make in filters.items():
            office.get(url, make())  # warm
            times = []
            for _ in range(runs):
                params = make()
                t = time.perf_counter()
                response = office.get(url, params)
                times.append(time.perf_counter() - t)
                assert response.status_code == 200, response.status_code
            everything += _line(label, times)
        print(f"  {'all of the above':<34} p50 {_pct(everything, 50):7.1f} ms   "
              f"p95 {_pct(everything, 95):7.1f} ms")

    print("\nunit queue page (/campaign/queue/, the 50 most urgent rows and the counts):")
    for label, user in [("district liaison (whole district)", district_liaison),
                        ("street liaison", street_liaison)]:
        client = Client()
        client.force_login(user)
        client.get("/campaign/queue/")
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            response = client.get("/campaign/queue/")
            times.append(time.perf_counter() - t)
            assert response.status_code == 200
        _line(label, times)

    times = []
    for _ in range(5):
        t = time.perf_counter()
        rows = list(Problem.objects.order_by().values("district_id", "status")
                    .annotate(n=Count("*")))
        times.append(time.perf_counter() - t)
    print(f"\nstatus counts per district ({len(rows)} groups over {Problem.objects.count():,} "
          f"problems): median {statistics.median(times) * 1000:.0f} ms")

    _wrk(district_liaison)

    t = time.perf_counter()
    totals = run_tick(deliver=False)
    first = time.perf_counter() - t
    t = time.perf_counter()
    again = run_tick(deliver=False)
    second = time.perf_counter() - t
    print(f"\ntick over the whole ledger: {first:.1f} s (newly overdue {totals['overdue']:,}, "
          f"notices {totals['notices']:,}, reminded {totals['reminded']:,})")
    print(f"tick again (nothing left to do): {second:.2f} s "
          f"(notices {again['notices']}, reminded {again['reminded']})")


def _wrk(user, seconds=20, connections=4):
    """The liaison queue page under wrk against gunicorn (2 sync workers) on
    loopback, when both are installed."""
    import shutil
    import subprocess

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    if not (shutil.which("wrk") and shutil.which("gunicorn")):
        print("\nwrk: skipped (apt-get install wrk; pip install gunicorn)")
        return
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    env = {**os.environ, "WENMING_ALLOWED_HOSTS": "127.0.0.1",
           "WENMING_DATA_DIR": str(settings.DATA_DIR)}
    server = subprocess.Popen(
        ["gunicorn", "wenming.wsgi:application", "--bind", "127.0.0.1:8802", "--workers", "2",
         "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        import urllib.request

        time.sleep(4)
        url = "http://127.0.0.1:8802/campaign/queue/"
        warm = urllib.request.Request(url, headers={"Cookie": f"sessionid={session.session_key}"})
        for _ in range(6):  # both workers load templates and fonts before the clock starts
            urllib.request.urlopen(warm, timeout=30).read()
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-H",
             f"Cookie: sessionid={session.session_key}", url],
            capture_output=True, text=True, check=True).stdout
    finally:
        server.terminate()
        server.wait(10)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    print(f"\nwrk on the district liaison's queue page ({connections} connections, {seconds} s, "
          f"gunicorn 2 workers): {rate[1] if rate else '?'} requests/s, "
          f"non-2xx {errors[1] if errors else 0}"
          + (f", socket errors {socket_errors[1]}" if socket_errors else ", no socket errors"))


def main():
    args = _args()
    connection = _setup(args.reuse)
    if args.reuse:
        from wenming.accounts.models import Unit, User
        from wenming.campaign.models import Problem

        print(f"database: {connection.vendor}, reusing {Problem.objects.count():,} problems; "
              f"load average {os.getloadavg()[0]:.1f}", flush=True)
        measure(connection, list(Unit.objects.filter(kind=Unit.Kind.DISTRICT)),
                list(Unit.objects.filter(kind=Unit.Kind.STREET)),
                User.objects.get(username="bench-district"),
                User.objects.get(username="bench-street"),
                User.objects.get(username="bench-admin"), runs=args.runs)
        return
    n = args.n or 100_000
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']}), "
          f"{n:,} problems; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}",
          flush=True)
    built = build(n, args.sites, args.batch)
    measure(connection, *built, runs=args.runs)
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (figures are only comparable "
          "on an otherwise idle machine)")


if __name__ == "__main__":
    main()
