"""The map of open problems by site: on the configured tile server when
there is one (WENMING_MAP_TILES), else a schematic of districts. Drawn on
the server with wenming.core.charts; read by the office's map page and the
big screen. Office-wide figures: callers check the reader is office staff
(or holds a kiosk token)."""

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse

from wenming.accounts.models import Unit
from wenming.campaign.catalog import DISTRICT_KINDS
from wenming.campaign.models import Problem, Site
from wenming.core import charts, geo, maps

# Sites drawn at most: the ones with most open problems first.
MAX_SITES = 2000
LEGEND = [(charts.MAP_COLOURS["overdue"], "有逾期"), (charts.MAP_COLOURS["open"], "整改中"),
          (charts.MAP_COLOURS["review"], "待复查/申诉"), (charts.MAP_COLOURS["new"], "待交办")]


def _buckets(moment):
    overdue = Problem.overdue_at(moment)
    return {
        "overdue": Count("id", filter=overdue),
        "open": Count("id", filter=Q(status__in=Problem.OPEN_FOR_UNIT) & ~overdue),
        "review": Count("id", filter=Q(status__in=[Problem.Status.SUBMITTED,
                                                   Problem.Status.DISPUTED])),
        "new": Count("id", filter=Q(status=Problem.Status.FOUND)),
        "total": Count("id"),
    }


def open_problems(campaign):
    return Problem.objects.filter(campaign=campaign).exclude(status__in=Problem.FINISHED)


def open_by_site(campaign, moment):
    """[(site, {bucket: n})] for located sites with open problems."""
    rows = list(open_problems(campaign).filter(site__lat__isnull=False, site__lng__isnull=False)
                .order_by().values("site_id").annotate(**_buckets(moment))
                .order_by("-total", "site_id")[:MAX_SITES])
    sites = Site.objects.in_bulk([r["site_id"] for r in rows])
    return [(sites[r["site_id"]], r) for r in rows]


def open_by_district(campaign, moment):
    """[(district, open, overdue)] for every district, those without open
    problems too, so the schematic always shows the whole city."""
    counts = {r["district_id"]: r for r in open_problems(campaign).order_by()
              .values("district_id").annotate(**_buckets(moment))}
    out = []
    for d in Unit.objects.filter(kind__in=DISTRICT_KINDS).order_by(
            "sort_order", "path"):
        r = counts.get(d.pk, {})
        out.append((d, r.get("total", 0), r.get("overdue", 0)))
    return out


def _worst(r):
    for bucket in ("overdue", "open", "review", "new"):
        if r[bucket]:
            return bucket
    return "new"


def _label(site, r):
    parts = [f"{n}{r[k]}" for k, n in (("overdue", "逾期"), ("open", "整改中"),
                                       ("review", "待复查"), ("new", "待交办")) if r[k]]
    return f"{site.name}：未销号{r['total']}个（{'，'.join(parts)}）"


def problem_map(campaign, moment, *, width=960, height=600, links=True):
    """(svg, mode): mode "tiles" with a tile server and located sites, else
    "schematic"."""
    ledger = reverse("campaign:problem_list")
    template = settings.WENMING_MAP_TILES
    if template:
        located = open_by_site(campaign, moment)
        datum = geo.GCJ02 if settings.WENMING_MAP_DATUM == geo.GCJ02 else geo.WGS84
        box = maps.layout(template, [(s.lat, s.lng) for s, _ in located], width, height,
                          datum=datum)
        if box is not None:
            top = max(r["total"] for _, r in located)
            points = [(s.lat, s.lng, charts.MAP_COLOURS[_worst(r)],
                       round(7 + 11 * r["total"] / top), _label(s, r),
                       f"{ledger}?district={s.district_id}" if links else "")
                      for s, r in located]
            return charts.tile_map(box, points, LEGEND,
                                   settings.WENMING_MAP_ATTRIBUTION), "tiles"
    items = [(d.name, n, overdue, f"{ledger}?district={d.pk}" if links else "")
             for d, n, overdue in open_by_district(campaign, moment)]
    columns = 4 if width >= 900 else 3
    return charts.district_boxes(items, width=width, columns=columns), "schematic"
