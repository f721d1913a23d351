"""Scores and rankings for one month over a large ledger.

    python bench/bench_scoring.py                  # SQLite, 50,000 problems (throw-away dir)
    createdb wenming_bench_scoring; WENMING_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/wenming_bench_scoring \\
        python bench/bench_scoring.py --n 1000000  # PostgreSQL (that database is emptied first)

Builds 13 districts with 10 streets each, 2,000 sites and N problems over a
year, each with its timeline (create, dispatch, then submit/verify, a
rejection or nothing, so some go overdue), then prints the time of
`selectors.ranking` for one month (it scores that month and the one before,
for movement) and of the bulletin's content. Target: <= 5 s at 1M on
PostgreSQL. Nothing here asserts a time.
"""

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=50000, help="problems")
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reuse", action="store_true",
                        help="score the ledger a previous run left in the database")
    return parser.parse_args()


def _setup(reuse=False):
    if not os.environ.get("WENMING_DATABASE_URL") and not os.environ.get("WENMING_DATA_DIR"):
        os.environ["WENMING_DATA_DIR"] = tempfile.mkdtemp(prefix="wenming-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenming.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql" and not reuse:
        if "bench" not in connection.settings_dict["NAME"]:
            sys.exit("Use a database whose name contains 'bench': it is emptied first.")
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)


def _build(n, batch):
    from django.utils import timezone

    from wenming.accounts.models import Unit
    from wenming.campaign.models import Campaign, Problem, ProblemEvent, Site, SiteCategory

    rnd = random.Random(6)
    city = Unit.objects.create(kind="city", name="周口市")
    districts, streets = [], []
    for d in range(13):
        district = Unit.objects.create(kind="district", name=f"第{d + 1}区", parent=city)
        districts.append(district)
        for s in range(10):
            streets.append(Unit.objects.create(kind="street", name=f"第{d + 1}区第{s + 1}街道",
                                               parent=district))
    category = SiteCategory.objects.create(name="农贸市场")
    sites = Site.objects.bulk_create([
        Site(name=f"点位{i}", category=category, district=s.parent,
             responsible_unit=s) for i, s in enumerate(rnd.choice(streets) for _ in range(2000))])
    campaign = Campaign.objects.create(name="创建全国文明城市", year=2024)
    tz = timezone.get_current_timezone()
    year_start = datetime(2024, 1, 1, tzinfo=tz)
    severities = ["immediate", "normal", "normal", "serious"]
    hours = {"immediate": 24, "normal": 72, "serious": 168}
    made = 0
    while made < n:
        size = min(batch, n - made)
        problems, plans = [], []
        for _ in range(size):
            site = rnd.choice(sites)
            found = year_start + timedelta(seconds=rnd.randrange(365 * 86400))
            sev = rnd.choice(severities)
            deadline = found + timedelta(hours=1 + hours[sev])
            fate = rnd.random()
            status = ("closed" if fate < 0.7 else "rejected" if fate < 0.8 else "dispatched")
            dispatch = found + timedelta(hours=1)
            times = [found, dispatch]
            if fate < 0.8:
                times.append(dispatch + timedelta(hours=rnd.randrange(2, 200)))
                times.append(times[-1] + timedelta(hours=rnd.randrange(1, 48)))
            problems.append(Problem(
                campaign=campaign, site=site, category=category, district=site.district,
                responsible_unit=site.responsible_unit, description="占道经营",
                severity=sev, found_at=found, deadline=deadline, status=status,
                is_repeat=rnd.random() < 0.1, client_id=uuid.uuid4(),
                last_transition_at=times[-1]))
            plans.append((times, sev, deadline, fate, site.responsible_unit))
        problems = Problem.objects.bulk_create(problems)
        events = []
        for p, (times, sev, deadline, fate, unit) in zip(problems, plans, strict=True):
            events += [
                ProblemEvent(problem=p, action="create", to_status="found", at=times[0],
                             data={"severity": sev}),
                ProblemEvent(problem=p, action="dispatch", from_status="found",
                             to_status="dispatched", at=times[1],
                             data={"unit": unit.name, "unit_id": unit.pk,
                                   "deadline": deadline.isoformat()}),
            ]
            if fate < 0.8:
                events.append(ProblemEvent(problem=p, action="submit", from_status="dispatched",
                                           to_status="submitted", at=times[2]))
                end = "verify" if fate < 0.7 else "reject"
                events.append(ProblemEvent(
                    problem=p, action=end, from_status="submitted",
                    to_status="closed" if end == "verify" else "rejected", at=times[3]))
        ProblemEvent.objects.bulk_create(events, batch_size=batch)
        made += size
        print(f"  built {made:,} problems", end="\r", flush=True)
    print()
    return campaign


def main():
    args = _args()
    _setup(args.reuse)
    from django.db import connection

    from wenming.campaign.models import Campaign, Problem
    from wenming.core.periods import Period
    from wenming.scoring import bulletin, selectors

    t = time.perf_counter()
    if args.reuse:
        campaign = Campaign.objects.get()
        print(f"{connection.vendor}: scoring the {Problem.objects.count():,} problems there")
    else:
        campaign = _build(args.n, args.batch)
        print(f"{connection.vendor}: built {args.n:,} problems in {time.perf_counter() - t:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("ANALYZE")
    period = Period.containing("month", date(2024, 6, 15))
    times = []
    for _ in range(args.runs):
        t = time.perf_counter()
        ranking = selectors.ranking(campaign, period)
        times.append(time.perf_counter() - t)
    print(f"ranking of {period.label} ({len(ranking.units)} units, {len(ranking.districts)} "
          f"districts, with the previous month for movement): best {min(times):.2f} s, "
          f"worst {max(times):.2f} s over {args.runs} runs (target <= 5 s at 1M on PostgreSQL)")
    t = time.perf_counter()
    content = bulletin.build_content(campaign, period)
    print(f"monthly bulletin content: {time.perf_counter() - t:.2f} s "
          f"({content['summary']['found']:,} problems found, {content['overdue_total']:,} overdue)")


if __name__ == "__main__":
    main()
