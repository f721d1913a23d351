"""Archive search under load: the search page and /api/search served by
gunicorn, driven by wrk.

    python bench/bench_search_load.py                 # build (once) and measure
    python bench/bench_search_load.py --reuse         # measure the archive built before
    python bench/bench_search_load.py --reuse --no-cache   # every request runs its search
    WENMING_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/wm_bench_load \\
      python bench/bench_search_load.py --data /tmp/wm-bench-load-pg

Builds a real briefing archive (series, issues, columns, articles, source
units, and their documents in the search index) of 100,000 articles in a
data directory under /tmp (kept for --reuse), from the synthetic texts of
bench_search.py (its --cache file is shared, so segmentation runs once).
Then starts gunicorn on 127.0.0.1 and runs wrk against the page and the API
in turn, each with a Lua script cycling through a mix of one-word,
two-word, phrase and filtered queries, and prints requests/s, p50/p99
latency and errors. Target: >= 200 requests/s, p99 <= 150 ms, no errors
(16 connections, 2 cores). Only loopback traffic.

The mix repeats, as readers repeat popular queries, so with the results cache
on (the default) most requests are answered from it; --no-cache measures the
search itself, as for queries nobody asked since the index last changed.

Workers: gunicorn's sync workers, one per core. A request is CPU work in
Python and in SQLite inside the worker (no I/O to wait on once the index
sits in the page cache), so more workers than cores only take turns on the
same cores; --workers tries other counts.
"""

import argparse
import gzip
import os
import pickle
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=os.path.join(tempfile.gettempdir(),
                                                       "wm-bench-search-load"),
                        help="data directory (SQLite database) kept between runs")
    parser.add_argument("--cache", help="bench_search.py archive cache (default: in --data)")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--reuse", action="store_true", help="measure the archive built before")
    parser.add_argument("--workers", type=int, nargs="+", default=[2])
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--port", type=int, default=8815)
    parser.add_argument("--only", choices=["page", "api"], help="measure one of the two")
    parser.add_argument("--build-only", action="store_true", help="build the archive and stop")
    parser.add_argument("--no-cache", action="store_true",
                        help="serve with the results cache off (WENMING_SEARCH_CACHE_SECONDS=0): "
                             "every request runs its search, as a query nobody asked before does")
    parser.add_argument("--in-process", type=int, metavar="ROUNDS", default=0,
                        help="instead of wrk: CPU time per request over ROUNDS passes of the "
                             "query mix through Django's test client (no server, no network)")
    parser.add_argument("--profile", metavar="FILE",
                        help="with --in-process: write cProfile statistics of the last round")
    return parser.parse_args()


ARGS = _args()
Path(ARGS.data).mkdir(parents=True, exist_ok=True)
os.environ["WENMING_DATA_DIR"] = ARGS.data
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenming.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

SERIES_TITLES = ["文明创建简报", "志愿服务动态", "文明实践通讯", "创文督查通报", "道德建设信息"]
COLUMNS = ["工作动态", "文明时讯", "基层经验", "督查通报", "志愿服务", "典型推介"]
ISSUES_PER_YEAR = 24


def _archive(articles, cache):
    """The texts of bench_search.py and their segmentation, made once."""
    import bench_search

    if cache.exists():
        with gzip.open(cache, "rb") as f:
            saved = pickle.load(f)
        if saved["articles"] == articles and saved["segmenter"] == bench_search._segmenter_source():
            return saved["docs"], saved["phrases"], saved["tokens"]
        sys.exit(f"{cache} was made for other settings; delete it or pick another file")
    docs, phrases = bench_search.generate(articles)
    tokens, seconds = bench_search.segment(docs, os.cpu_count() or 1)
    with gzip.open(cache, "wb", compresslevel=1) as f:
        pickle.dump({"articles": articles, "segmenter": bench_search._segmenter_source(),
                     "docs": docs, "phrases": phrases, "tokens": tokens, "seconds": seconds,
                     "jobs": os.cpu_count() or 1}, f)
    return docs, phrases, tokens


def build(articles, cache):
    """Series, issues, columns and articles as the briefing services leave
    them after publishing, and the search documents index_issue() would
    write (same Document, tokens from the cache)."""
    from wenming import search
    from wenming.accounts.models import Unit
    from wenming.briefings import search as briefing_search
    from wenming.briefings.models import Article, Column, Issue, Series

    docs, phrases, tokens = _archive(articles, cache)
    rng = random.Random(7)
    started = time.perf_counter()
    city = Unit.objects.create(kind=Unit.Kind.CITY, name="测试市")
    districts = [Unit.objects.create(kind=Unit.Kind.DISTRICT, name=f"第{i + 1}区", parent=city)
                 for i in range(8)]
    streets = [Unit.objects.create(kind=Unit.Kind.STREET, name=f"第{i + 1}街道", parent=d)
               for d in districts for i in range(10)]
    sources = [None, city, *districts, *streets]
    from bench_search import FIRST_YEAR, SERIES, YEARS

    with transaction.atomic():
        series = Series.objects.bulk_create([
            Series(title=f"{SERIES_TITLES[i % len(SERIES_TITLES)]}{i + 1}", issuer="测试市文明办",
                   is_public=i % 10 != 9) for i in range(SERIES)])
        issues = Issue.objects.bulk_create([
            Issue(series=s, year=y, number=n + 1, date=date(y, n // 2 + 1, 1 + 14 * (n % 2)),
                  status=Issue.Status.PUBLISHED)
            for s in series for y in range(FIRST_YEAR, FIRST_YEAR + YEARS)
            for n in range(ISSUES_PER_YEAR)], batch_size=2000)
        by_key = {(i.series_id, i.year, i.number): i for i in issues}
        columns = Column.objects.bulk_create([
            Column(issue=i, name=name, order=k) for i in issues
            for k, name in enumerate(COLUMNS)], batch_size=2000)
        column_of = {(c.issue_id, c.name): c for c in columns}
        rows = []
        for k, doc in enumerate(docs):
            s = series[k % SERIES]
            issue = by_key[(s.pk, doc.year, doc.date.month * 2 - (doc.date.day <= 14))]
            column = column_of[(issue.pk, doc.filters["column"])]
            rows.append(Article(issue=issue, column=column, order=k, title=doc.title[:200],
                                body=doc.body, source_unit=rng.choice(sources)))
        rows = Article.objects.bulk_create(rows, batch_size=2000)
        # What publish_issue stores: the issue's whole text, read by any
        # query that loads issues in full.
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE briefings_issue SET search_text = coalesce((SELECT " + _concat() + " FROM "
                "briefings_article a WHERE a.issue_id = briefings_issue.id), '')")
        print(f"  rows: {time.perf_counter() - started:.1f} s", flush=True)
        documents = [briefing_search._document(a, a.issue) for a in rows]
        for i in range(0, len(documents), 5000):
            search.bulk_index(briefing_search.KIND, documents[i:i + 5000],
                              tokens=tokens[i:i + 5000])
    search.optimize()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(f"  rows + index: {time.perf_counter() - started:.1f} s", flush=True)
    return phrases


def _concat():
    if connection.vendor == "postgresql":
        return "string_agg(a.title || chr(10) || a.body, chr(10))"
    return "group_concat(a.title || char(10) || a.body, char(10))"


def query_mix(phrases):
    """Query strings of the page (and the API, same parameters): one word,
    two words, a phrase, and each with a filter, in a fixed shuffled order."""
    from bench_search import ONE_TERM, TWO_TERM

    from wenming.accounts.models import Unit
    from wenming.briefings.models import Series

    series = list(Series.objects.filter(is_public=True).values_list("pk", flat=True))
    district = Unit.objects.filter(kind=Unit.Kind.DISTRICT).order_by("pk").first().pk
    street = Unit.objects.filter(kind=Unit.Kind.STREET).order_by("pk").last().pk
    rng = random.Random(11)
    queries = []
    for words in ONE_TERM + TWO_TERM + [f'"{p}"' for p in phrases]:
        queries.append({"q": words})
        filters = rng.choice([
            {"series": rng.choice(series)},
            {"year_from": 2018, "year_to": 2020},
            {"column": rng.choice(COLUMNS)},
            {"source_unit": district},
            {"source_unit": street},
            {"order": "date"},
            {"series": rng.choice(series), "year_from": 2022, "year_to": 2022},
            {"page": 3},
        ])
        queries.append({"q": words, **filters})
    rng.shuffle(queries)
    return queries


LUA = """
local paths = {%s}
local counter = 0
function setup(thread)
  thread:set("offset", counter * 17)
  counter = counter + 1
end
local i = 0
function request()
  i = i + 1
  return wrk.format("GET", paths[((i + offset) %% #paths) + 1])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def _cpu(stat):
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def workers_cpu(server):
    """CPU seconds used so far by the gunicorn workers (children of the
    server process): per request, this is what an idle machine would
    divide among its cores, whatever else runs beside the bench."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent, seconds = _cpu(stat)
        except OSError:
            continue
        if parent == server.pid:
            total += seconds
    return total


def database_cpu():
    """CPU seconds used so far by the PostgreSQL backends connected to the
    bench's database (the workers' persistent connections; the server runs
    on this machine), or None on SQLite, whose work is in the workers."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid()")
        pids = [pid for (pid,) in cursor.fetchall()]
    total = 0.0
    for pid in pids:
        try:
            total += _cpu(Path(f"/proc/{pid}/stat"))[1]
        except OSError:
            pass  # a backend that ended: its share is lost, the figure a floor
    return total


def run_wrk(server, port, prefix, queries, connections, seconds):
    paths = [f"{prefix}?{urllib.parse.urlencode(q)}" for q in queries]
    script = Path(ARGS.data) / f"mix-{prefix.strip('/').replace('/', '-')}.lua"
    script.write_text(LUA % ", ".join(f'"{p}"' for p in paths))
    for p in paths:  # every worker warm on every query's pages before the clock starts
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{p}", timeout=60) as r:
            r.read()
    load, cpu, db = os.getloadavg()[0], workers_cpu(server), database_cpu()
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script),
         f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True).stdout
    n, micros, p50, p99, worst, *errors = (int(x) for x in
                                           re.search(r"RESULT ([\d ]+)", out)[1].split())
    return {"rate": n / (micros / 1e6), "p50": p50 / 1000, "p99": p99 / 1000,
            "max": worst / 1000, "errors": sum(errors), "requests": n, "load": load,
            "cpu": (workers_cpu(server) - cpu) / max(1, n) * 1000,
            "db": None if db is None else (database_cpu() - db) / max(1, n) * 1000}


def in_process(queries, rounds):
    """CPU per request back to back in this process, through the whole
    Django stack (middleware, view, template) as an anonymous reader: what a
    gunicorn worker spends, without connection handling. CPU time (not wall
    time), so it means something on a loaded machine too."""
    import cProfile
    import pstats

    from django.test import Client

    client = Client(SERVER_NAME="127.0.0.1")
    print(f"\nin process: {len(queries)} queries, best of {rounds} rounds (CPU ms/request)")
    for name, prefix in [("page", "/briefings/search/"), ("api", "/api/search")]:
        if ARGS.only and name != ARGS.only:
            continue
        paths = [f"{prefix}?{urllib.parse.urlencode(q)}" for q in queries]
        for p in paths:  # warm: caches, page cache, jieba
            assert client.get(p).status_code == 200, p
        best, profile = None, None
        for r in range(rounds):
            profile = cProfile.Profile() if ARGS.profile and r == rounds - 1 else None
            started = time.process_time()
            if profile:
                profile.enable()
            for p in paths:
                client.get(p)
            if profile:
                profile.disable()
            cpu = (time.process_time() - started) / len(paths) * 1000
            best = cpu if best is None else min(best, cpu)
        print(f"  {name:<6} {best:6.2f} ms  (≈ {2000 / best:.0f} requests/s on 2 idle cores)",
              flush=True)
        if profile:
            stats = pstats.Stats(profile)
            stats.dump_stats(f"{ARGS.profile}.{name}")
            stats.sort_stats("cumulative").print_stats(40)


def serve(workers, port):
    env = {**os.environ, "WENMING_ALLOWED_HOSTS": "127.0.0.1",
           "WENMING_DATA_DIR": ARGS.data, "PYTHONPATH": str(ROOT)}
    if ARGS.no_cache:
        env["WENMING_SEARCH_CACHE_SECONDS"] = "0"
    gunicorn = shutil.which("gunicorn") or str(Path(sys.executable).parent / "gunicorn")
    server = subprocess.Popen(
        [gunicorn, "wenming.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--log-level", "warning"], cwd=ROOT, env=env)
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/briefings/search/", timeout=5).read()
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    sys.exit("gunicorn did not answer")


def main():
    from wenming.search.models import SearchDocument

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; "
          f"{os.cpu_count()} CPUs", flush=True)
    call_command("migrate", verbosity=0)
    cache = Path(ARGS.cache or Path(ARGS.data) / "archive.pkl.gz")
    phrases_file = Path(ARGS.data) / "phrases.txt"
    if ARGS.reuse and phrases_file.exists():
        phrases = phrases_file.read_text(encoding="utf-8").splitlines()
    else:
        print("building the archive", flush=True)
        phrases = build(ARGS.articles, cache)
        phrases_file.write_text("\n".join(phrases), encoding="utf-8")
    print(f"archive: {SearchDocument.objects.count():,} documents", flush=True)
    if ARGS.build_only:
        return
    if ARGS.in_process:
        return in_process(query_mix(phrases), ARGS.in_process)
    if not shutil.which("wrk"):
        sys.exit("wrk is missing (apt-get install wrk)")
    queries = query_mix(phrases)
    targets = [("page", "/briefings/search/"), ("api", "/api/search")]
    print("CPU/req: the workers' CPU time per request (and PostgreSQL's backends', DB/req); "
          "2 idle cores serve about 2000 / (CPU/req + DB/req) requests/s")
    print(f"\nwrk: {ARGS.connections} connections, {ARGS.seconds} s each, "
          f"{len(queries)} queries cycled (one word, two words, phrase; half with a filter); "
          f"results cache {'off' if ARGS.no_cache else 'on'}")
    print(f"  {'target':<6} {'workers':>7} {'req/s':>8} {'p50':>8} {'p99':>8} {'max':>8} "
          f"{'errors':>6} {'CPU/req':>8} {'DB/req':>8} {'load avg':>8}")
    for workers in ARGS.workers:
        server = serve(workers, ARGS.port)
        try:
            for name, prefix in targets:
                if ARGS.only and name != ARGS.only:
                    continue
                r = run_wrk(server, ARGS.port, prefix, queries, ARGS.connections, ARGS.seconds)
                print(f"  {name:<6} {workers:>7} {r['rate']:8.1f} {r['p50']:6.1f}ms "
                      f"{r['p99']:6.1f}ms {r['max']:6.0f}ms {r['errors']:>6} {r['cpu']:6.1f}ms "
                      f"{'—' if r['db'] is None else format(r['db'], '6.1f') + 'ms':>8} "
                      f"{r['load']:8.2f}", flush=True)
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
