"""Reads behind the pages: what the public may see of the lists, entity
searches, report verification."""

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from wenming.accounts import roles
from wenming.core.uscc import check_code, normalize_code
from wenming.credit.models import CreditList, Entity, Listing, Objection, Report
from wenming.credit.names import name_key
from wenming.credit.publication import KIND_ORDER, MEASURE, count_phrase, year_summary
from wenming.credit.reports import normalize_verification_code

PUBLIC_LOOKUP_LIMIT = 50


def counts_by_kind(credit_list):
    rows = (credit_list.listings.filter(status=Listing.Status.ACTIVE)
            .values("entity__kind").annotate(n=Count("id")))
    counts = {r["entity__kind"]: r["n"] for r in rows}
    return {"phrase": count_phrase(counts), "total": sum(counts.values()),
            "items": [(MEASURE[k], counts[k]) for k in KIND_ORDER if counts.get(k)]}


@dataclass
class PublishedYear:
    year: int
    lists: list
    summary: str


def published_years():
    lists = CreditList.objects.filter(status=CreditList.Status.PUBLISHED).order_by(
        "-year", "subject", "-color")
    years = {}
    for credit_list in lists:
        years.setdefault(credit_list.year, []).append(credit_list)
    return [PublishedYear(year, items, year_summary([c.snapshot for c in items]))
            for year, items in years.items()]


def later_states(credit_list):
    """listing pk → what happened to it since publication (移出 or 期满),
    shown next to the frozen row."""
    today = timezone.localdate()
    states = {}
    for listing in credit_list.listings.filter(status=Listing.Status.REMOVED):
        states[listing.pk] = listing.state_label(today)
    for listing in credit_list.listings.filter(status=Listing.Status.ACTIVE,
                                               valid_until__lt=today):
        states[listing.pk] = listing.state_label(today)
    return states


def search_entities(q, published_only=True):
    code = normalize_code(q)
    key = name_key(q)
    condition = Q(code=code) | Q(name__icontains=q.strip())
    if len(key) >= 2:
        condition |= Q(name_key__contains=key)
    entities = Entity.objects.filter(condition)
    if published_only:
        # A listing withdrawn before publication was never public.
        entities = entities.filter(
            listings__credit_list__status=CreditList.Status.PUBLISHED,
            listings__status__in=[Listing.Status.ACTIVE, Listing.Status.REMOVED]).distinct()
    return entities.annotate(n=Count("listings", distinct=True)).order_by("name")[
        :PUBLIC_LOOKUP_LIMIT]


@dataclass
class PublicEntity:
    name: str
    identifier: str
    kind: str
    listings: list


def public_lookup(q):
    """Entities on published lists matching a name or code, with their
    published listings; only public fields."""
    today = timezone.localdate()
    results = []
    for entity in search_entities(q, published_only=True):
        listings = (entity.listings.filter(credit_list__status=CreditList.Status.PUBLISHED)
                    .exclude(status=Listing.Status.WITHDRAWN)
                    .select_related("credit_list", "department")
                    .order_by("-credit_list__year", "pk"))
        results.append(PublicEntity(
            name=entity.name, identifier=entity.public_identifier,
            kind=entity.get_kind_display(),
            listings=[{"list": li.credit_list, "basis": li.get_basis_display(),
                       "department": li.department.name, "decided_on": li.decided_on,
                       "seq": li.seq, "state": li.state_label(today),
                       "current": li.is_current(today)} for li in listings]))
    return results


def is_personal_identifier(text):
    """An ID number or a phone number, typed into a public search box."""
    compact = re.sub(r"[\s\-]", "", text or "")
    return bool(re.fullmatch(r"\d{17}[\dXx]|\d{15}", compact) and not check_code(compact).valid
                or re.fullmatch(r"(?:\+?86)?1[3-9]\d{9}", compact))


def verify_url():
    return reverse("credit:verify")


def verify_report(number, code):
    report = Report.objects.filter(number=number.strip().upper()).select_related(
        "entity").first()
    if report is None:
        return None
    if normalize_verification_code(report.verification_code) != normalize_verification_code(code):
        return None
    return report


def lists_on_notice(today=None):
    """Lists whose notice period runs today: the public reads them and may
    object until the period ends."""
    today = today or timezone.localdate()
    return CreditList.objects.filter(status=CreditList.Status.NOTICE, notice_start__lte=today,
                                     notice_end__gte=today).order_by("-year", "subject", "-color")


def notice_lookup(q):
    """Listings on lists now on notice of the entities matching `q`: not
    yet decided, so shown as 公示中 with a link to the notice."""
    entities = [e.pk for e in search_entities(q, published_only=False)]
    return list(Listing.objects.filter(
        entity__in=entities, status=Listing.Status.ACTIVE,
        credit_list__in=lists_on_notice()).select_related("entity", "credit_list", "department")
        .order_by("entity__name", "pk"))


def filter_lists(lists, params):
    """The manage page's filters: a status, or only lists with objections
    still open (异议待处理)."""
    status = params.get("status")
    if status in CreditList.Status.values:
        lists = lists.filter(status=status)
    if params.get("objections") == "open":
        lists = lists.filter(pk__in=Objection.objects.filter(
            status=Objection.Status.OPEN).values("listing__credit_list"))
    return lists


def todos(user):
    """The office editors' lists to review and lists with open objections in
    公示, counted through the manage page's own filter."""
    if not roles.is_office_editor(user):
        return []
    manage = reverse("credit:manage")
    wanted = [("待审核的红黑榜", {"status": CreditList.Status.IN_REVIEW}),
              ("公示异议待处理的红黑榜", {"objections": "open"})]
    return [(label, filter_lists(CreditList.objects.all(), params).count(),
             f"{manage}?{urlencode(params)}") for label, params in wanted]
