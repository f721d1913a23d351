"""The wall screen, the problem map and 随手拍's nearby lookup at scale.

    python bench/bench_screens.py                  # SQLite, 100,000 problems (throw-away dir)
    createdb wenming_bench; WENMING_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/wenming_bench \\
        python bench/bench_screens.py --n 1000000  # PostgreSQL (that database is emptied first)

Builds the ledger of bench_campaign.py (13 districts, 2,000 sites, N problems
over a year), spreads sites and problems over a 30 km square, then prints,
through real requests (templates included):

  * the 数据大屏 page (/scoring/kiosk/, figures, ranking, map, latest fixes),
  * the problem map page with a tile server configured and without,
  * the nearby lookup of the citizen form at random points (bounded box query).

Nothing here asserts a time.
"""

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_campaign as base  # noqa: E402


def spread(seed=3):
    from wenming.campaign.models import Problem, Site

    rng = random.Random(seed)
    t = time.perf_counter()
    sites = list(Site.objects.only("pk"))
    for s in sites:
        s.lat, s.lng = round(33.5 + rng.random() * 0.27, 6), round(114.5 + rng.random() * 0.32, 6)
    Site.objects.bulk_update(sites, ["lat", "lng"], batch_size=1000)
    # A problem lies at its site, or a few metres off (a phone's GPS).
    where = {s.pk: (float(s.lat), float(s.lng)) for s in sites}
    ids = list(Problem.objects.values_list("pk", "site_id"))
    for i in range(0, len(ids), 5000):
        batch = [Problem(pk=pk, lat=round(where[site][0] + rng.gauss(0, 0.0002), 6),
                         lng=round(where[site][1] + rng.gauss(0, 0.0002), 6))
                 for pk, site in ids[i:i + 5000]]
        Problem.objects.bulk_update(batch, ["lat", "lng"], batch_size=5000)
    print(f"coordinates set in {time.perf_counter() - t:.0f} s", flush=True)
    return list(where.values())


def measure(admin, points, runs):
    from django.conf import settings
    from django.test import Client

    from wenming.campaign import citizen
    from wenming.core.public_forms import form_token

    office = Client()
    office.force_login(admin)
    print(f"\npages, {runs} requests each:")
    for label, url, tiles in [("数据大屏 /scoring/kiosk/", "/scoring/kiosk/", ""),
                              ("map page, tiles", "/campaign/map/",
                               "https://tiles.example/{z}/{x}/{y}.png"),
                              ("map page, schematic", "/campaign/map/", "")]:
        settings.WENMING_MAP_TILES = tiles
        office.get(url)
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            response = office.get(url)
            times.append(time.perf_counter() - t)
            assert response.status_code == 200, response.status_code
        base._line(label, times)

    public = Client()
    token = form_token(citizen.FORM_PURPOSE)
    rng = random.Random(4)
    times, found = [], 0
    for _ in range(runs * 5):
        lat, lng = rng.choice(points)
        t = time.perf_counter()
        response = public.get("/campaign/report/nearby/", {
            "lat": lat + rng.gauss(0, 0.001), "lng": lng + rng.gauss(0, 0.001), "token": token})
        times.append(time.perf_counter() - t)
        found += response.content.decode().count("<li>")
    base._line("nearby lookup (coordinates)", times)
    print(f"  ({found / len(times):.1f} items shown on average, at most {citizen.NEARBY_MAX})")


def main():
    args = base._args()
    connection = base._setup(args.reuse)
    from wenming.accounts.models import User

    if args.reuse:
        from wenming.campaign.models import Site

        points = [(float(a), float(b)) for a, b in Site.objects.values_list("lat", "lng")]
        admin = User.objects.get(username="bench-admin")
    else:
        *_, admin = base.build(args.n or 100_000, args.sites, args.batch)
        points = spread()
    if connection.vendor == "postgresql":
        connection.cursor().execute("VACUUM ANALYZE")
    else:
        connection.cursor().execute("ANALYZE")
    measure(admin, points, args.runs)


if __name__ == "__main__":
    main()
