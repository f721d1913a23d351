"""Themed campaigns and honor rolls at the size of a busy year.

    python bench/bench_activities_honors.py            # SQLite in a throw-away dir

Builds 200 reporting units, a themed campaign with 10 content areas and 2,000
activity reports (bulk_create), and 20 published honor rolls of 60 people,
then prints:

  * coverage and totals of the themed campaign, and the office's themed campaign page p50/p95
    through a real request (target p95 <= 300 ms),
  * the generated summary article over all 2,000 activities,
  * statistics per area and category over the 20 rolls,
  * the roll PDF with 60 people, cold (first in the process) and warm
    (target warm <= 200 ms),
  * re-encoding one 12-megapixel phone photo (target <= 1.5 s).

Nothing here asserts a time.
"""

import io
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup():
    if not os.environ.get("WENMING_DATABASE_URL"):
        os.environ["WENMING_DATA_DIR"] = tempfile.mkdtemp(prefix="wenming-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenming.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql" and "bench" not in connection.settings_dict["NAME"]:
        sys.exit("The bench fills its database: use one whose name contains 'bench'.")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)


def timed(func, *args, runs=1):
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = func(*args)
        times.append(time.perf_counter() - started)
    return times, result


def ms(seconds):
    return f"{seconds * 1000:.0f} ms"


def build_themed_campaign(people, world):
    from wenming.accounts.models import Unit
    from wenming.activities.models import Activity
    from wenming.activities.tests.factories import make_themed_campaign

    units = [Unit.objects.create(parent=world["city"], name=f"市直单位{i:03d}",
                                 kind=Unit.Kind.DEPARTMENT, sort_order=100 + i)
             for i in range(200)]
    themed_campaign = make_themed_campaign(people["editor"], units=units)
    areas = list(themed_campaign.areas.all())
    start = themed_campaign.starts_on
    Activity.objects.bulk_create([
        Activity(themed_campaign=themed_campaign, unit=units[i % 200], reported_by=people["editor"],
                 title=f"第{i}项志愿服务活动", date=start + timedelta(days=i % 20),
                 place=f"第{i % 37}社区", content_area=areas[i % 7], participants=20 + i % 50,
                 volunteers=10 + i % 20, volunteer_hours=30 + i % 40, beneficiaries=100 + i,
                 summary="志愿者走进社区开展环境整治和政策宣讲，帮助困难群众解决实际问题。")
        for i in range(2000)], batch_size=500)
    return themed_campaign


def build_rolls(people, world):
    from wenming.honors.models import HonorEntry, HonorRoll, Nomination

    areas = [world["chuanhui"], world["huaiyang"], world["city"]]
    categories = ["helping_others", "bravery", "honesty", "dedication", "filial_love"]
    rolls = []
    for r in range(20):
        roll = HonorRoll.objects.create(year=2014 + r // 2, period="h1" if r % 2 == 0 else "h2",
                                        published_at=None, created_by=people["editor"])
        nominations = Nomination.objects.bulk_create([
            Nomination(roll=roll, status="published", category=categories[i % 5],
                       name=f"好人{r}-{i}", workplace="周口市某单位职工", area=areas[i % 3],
                       unit=areas[i % 3], source="unit", summary="多年如一日帮助邻里，" * 6,
                       deeds="事迹材料。")
            for i in range(60)])
        HonorEntry.objects.bulk_create([
            HonorEntry(roll=roll, nomination=n, order=i, category=n.category, name=n.name,
                       workplace=n.workplace, area=n.area, summary=n.summary)
            for i, n in enumerate(nominations)])
        HonorRoll.objects.filter(pk=roll.pk).update(
            published_at=f"{roll.year}-{'07' if roll.period == 'h1' else '12'}-20T09:00:00+08:00")
        rolls.append(roll)
    return rolls


def phone_photo():
    from PIL import Image

    image = Image.effect_noise((4000, 3000), 40).convert("RGB")
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def main():
    _setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from wenming.accounts.tests.factories import make_city, make_people
    from wenming.activities.drafts import summary_article
    from wenming.activities.selectors import coverage
    from wenming.core.photos import prepare
    from wenming.honors.render import render_roll_pdf
    from wenming.honors.selectors import statistics as honor_statistics

    world = make_city()
    people = make_people(world)
    print("building 200 units, 2,000 activities and 20 rolls of 60 people …", flush=True)
    themed_campaign = build_themed_campaign(people, world)
    rolls = build_rolls(people, world)

    times, cov = timed(coverage, themed_campaign, runs=10)
    print(f"coverage and totals of 2,000 activities: {ms(statistics.median(times))} median "
          f"({cov.totals['units_reported']} units, {cov.totals['areas_covered']} areas)")
    client = Client()
    client.force_login(people["editor"])
    url = reverse("activities:themed_campaign_detail", args=[themed_campaign.pk])
    client.get(url)
    times, _ = timed(client.get, url, runs=20)
    times.sort()
    print(f"office themed campaign page: p50 {ms(times[len(times) // 2])}, "
          f"p95 {ms(times[int(len(times) * 0.95) - 1])} (target p95 <= 300 ms)")
    times, article = timed(summary_article, themed_campaign, runs=5)
    print(f"summary article over 2,000 activities: {ms(statistics.median(times))} median "
          f"({len(article.paragraphs)} paragraphs, {len(article.body):,} characters)")
    times, stats = timed(honor_statistics, None, runs=10)
    print(f"statistics per area and category over 20 rolls: {ms(statistics.median(times))} "
          f"median ({stats['totals'].total} people)")
    cold, _ = timed(render_roll_pdf, rolls[0])
    warm, pdf = timed(render_roll_pdf, rolls[1], runs=10)
    print(f"roll PDF with 60 people: cold {ms(cold[0])}, warm {ms(statistics.median(warm))} "
          f"median (target <= 200 ms; {len(pdf) // 1024} KiB)")
    data = phone_photo()
    times, photo = timed(lambda: prepare(SimpleUploadedFile("p.jpg", data)), runs=3)
    print(f"re-encoding a 12-megapixel photo ({len(data) // 1024} KiB): "
          f"{ms(statistics.median(times))} median (target <= 1.5 s; "
          f"{photo.width}x{photo.height}, {len(photo.content) // 1024} KiB)")



if __name__ == "__main__":
    main()
