import html
import json
import re
import time

from django.core.management.base import BaseCommand, CommandError

from wenming import search

_MARK = re.compile(r"<mark>(.*?)</mark>")


def _plain(marked):
    """Highlighted HTML → terminal text with matches in 【】."""
    return html.unescape(_MARK.sub(r"【\1】", str(marked)))


class Command(BaseCommand):
    help = ("全文检索。`wenming search reindex` 重建全部索引；"
            "`wenming search 检索词 [--json]` 列出命中结果。")

    def add_arguments(self, parser):
        parser.add_argument("query", nargs="*", help="检索词；或 reindex")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出命中结果")
        parser.add_argument("--kind", action="append", help="只检索（或只重建）这一类别，可重复")
        parser.add_argument("--public", action="store_true", help="只检索公开发布的文档")
        parser.add_argument("--filter", action="append", default=[], metavar="名称=值",
                            help="按筛选项精确匹配，如 series=3；可重复")
        parser.add_argument("--year-from", type=int)
        parser.add_argument("--year-to", type=int)
        parser.add_argument("--order", choices=search.ORDERS, default="relevance")
        parser.add_argument("--page", type=int, default=1)
        parser.add_argument("--per-page", type=int, default=20)
        parser.add_argument("--jobs", type=int, default=1, help="重建时分词使用的进程数")

    def handle(self, *args, **options):
        words = options["query"]
        if words == ["reindex"]:
            return self._reindex(options)
        if not words:
            raise CommandError("请给出检索词，或用 `wenming search reindex` 重建索引。")
        filters = {}
        for item in options["filter"]:
            name, sep, value = item.partition("=")
            if not sep or not name:
                raise CommandError(f"筛选项“{item}”应写成 名称=值，如 series=3。")
            filters.setdefault(name, []).append(value)
        try:
            results = search.search(
                " ".join(words), kind=options["kind"], filters=filters,
                year_from=options["year_from"], year_to=options["year_to"],
                public_only=options["public"], order=options["order"], page=options["page"],
                per_page=options["per_page"])
        except ValueError as e:
            raise CommandError(str(e)) from None
        if options["json"]:
            self.stdout.write(json.dumps(_as_json(results), ensure_ascii=False, indent=2))
            return
        if not results.searchable:
            raise CommandError("检索词中没有可以检索的字词。")
        more = "" if results.exact else "以上"
        self.stdout.write(f"共 {results.total} 条{more}，第 {results.page}/{results.num_pages} 页")
        first = (results.page - 1) * results.per_page
        for i, hit in enumerate(results.hits, start=first + 1):
            self.stdout.write(f"{i}. {_plain(hit.title_html)}  "
                              f"[{hit.kind}#{hit.object_id} {hit.date or ''} {hit.score:.4f}]")
            self.stdout.write(f"   {_plain(hit.snippet)}")
            if hit.url:
                self.stdout.write(f"   {hit.url}")

    def _reindex(self, options):
        started = time.perf_counter()

        def progress(kind, count):
            self.stdout.write(f"  {kind}：已索引 {count} 篇")

        try:
            summary = search.rebuild(options["kind"], progress=progress,
                                     jobs=max(1, options["jobs"]))
        except ValueError as e:
            raise CommandError(str(e)) from None
        total = sum(n for n, _ in summary.values())
        parts = "；".join(f"{kind} {n} 篇（{secs:.1f} 秒）"
                         for kind, (n, secs) in summary.items()) or "没有已注册的类别"
        self.stdout.write(self.style.SUCCESS(
            f"索引重建完成：{parts}。共 {total} 篇，用时 {time.perf_counter() - started:.1f} 秒。"))


def _as_json(results):
    return {
        "query": results.query,
        "total": results.total,
        "total_exact": results.exact,
        "page": results.page,
        "per_page": results.per_page,
        "num_pages": results.num_pages,
        "hits": [{
            "kind": h.kind, "object_id": h.object_id, "title": h.title,
            "title_html": str(h.title_html), "snippet": str(h.snippet), "score": h.score,
            "date": h.date.isoformat() if h.date else None, "year": h.year, "url": h.url,
            "filters": h.filters,
        } for h in results.hits],
    }
