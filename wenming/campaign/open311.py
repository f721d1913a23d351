"""Open311 GeoReport v2, so existing 311 clients can file and follow
citizen reports: discovery, services, service definition, POST requests,
GET requests, GET one request and GET a token, each as JSON or XML
(https://wiki.open311.org/GeoReport_v2).

Requests are our citizen reports; `service_request_id` is the tracking code
(returned at once, so a token is the same code). Contact details are never
returned. Every refusal is the spec's error list, in the requested format.

A POST may carry an integrator's API key (scope `open311:write`) as
`api_key` in the body or the query string, or as `Authorization: Bearer`:
it is then limited per key, not per address, and the report is the
integrator's (status changes go to its webhook). Without a key a POST is
limited per address like the web form, unless WENMING_OPEN311_REQUIRE_KEY.
"""

from datetime import timedelta
from functools import wraps
from xml.etree import ElementTree

from django.conf import settings
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt

from wenming.campaign import citizen
from wenming.campaign.catalog import active_campaign
from wenming.campaign.models import CitizenReport, Problem
from wenming.core import geo
from wenming.core.errors import DomainError
from wenming.core.public_forms import RateLimited, client_ip
from wenming.core.web import FIRST_DAY, LAST_DAY

MAX_RESULTS = 1000
MAX_DESCRIPTION = 4000
FORMATS = ("json", "xml")
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this interface last changed in a way a client could notice.
CHANGESET = "2026-12-06T00:00:00+08:00"
_XML_ROOTS = {"services": ("services", "service"),
              "requests": ("service_requests", "request"),
              "tokens": ("service_requests", "request"),
              "errors": ("errors", "error")}


class _Error(Exception):
    def __init__(self, status, description, retry_after=None):
        super().__init__(description)
        self.status, self.description, self.retry_after = status, description, retry_after


def _respond(kind, data, fmt, status=200):
    if fmt == "json":
        return JsonResponse(data, safe=False, status=status,
                            content_type="application/json; charset=utf-8",
                            json_dumps_params={"ensure_ascii": False})
    if kind == "definition":
        root = ElementTree.Element("service_definition")
        ElementTree.SubElement(root, "service_code").text = data["service_code"]
        attributes = ElementTree.SubElement(root, "attributes")
        for attribute in data["attributes"]:
            _fill(ElementTree.SubElement(attributes, "attribute"), attribute)
    elif kind == "discovery":
        root = ElementTree.Element("discovery")
        _fill(root, data)
    else:
        outer, inner = _XML_ROOTS[kind]
        root = ElementTree.Element(outer)
        for item in data:
            _fill(ElementTree.SubElement(root, inner), item)
    body = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return HttpResponse(body, content_type="text/xml; charset=utf-8", status=status)


def _fill(element, item):
    for key, value in item.items():
        child = ElementTree.SubElement(element, key)
        if isinstance(value, list):
            # The discovery's plural lists: endpoints/endpoint, formats/format.
            for entry in value:
                sub = ElementTree.SubElement(child, key[:-1])
                if isinstance(entry, dict):
                    _fill(sub, entry)
                else:
                    sub.text = str(entry)
        elif isinstance(value, bool):
            child.text = "true" if value else "false"
        elif value is not None:
            child.text = str(value)


def _error(fmt, status, description):
    fmt = fmt if fmt in FORMATS else "json"
    return _respond("errors", [{"code": status, "description": description}], fmt, status)


def _endpoint(*methods):
    """The checks every endpoint shares, answered in the spec's error
    format: a known format (else 400), an allowed method (else 405; no
    CSRF page, a 311 client has no session), and `_Error`s raised inside."""

    def decorator(view):
        @csrf_exempt
        @wraps(view)
        def wrapper(request, *args, fmt, **kwargs):
            if fmt not in FORMATS:
                return _error("json", 400, f"format {fmt} is not supported: use json or xml")
            if request.method not in methods:
                response = _error(fmt, 405, f"method {request.method} is not allowed")
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return view(request, *args, fmt=fmt, **kwargs)
            except _Error as e:
                response = _error(fmt, e.status, e.description)
                if e.retry_after:
                    response["Retry-After"] = str(e.retry_after)
                return response

        return wrapper

    return decorator


def _agency():
    campaign = active_campaign()
    return campaign.issuer if campaign else "文明办"


def _w3c(dt):
    return timezone.localtime(dt).isoformat(timespec="seconds") if dt else None


def _service(code, name, description):
    return {"service_code": code, "service_name": name, "description": description,
            "metadata": False, "type": "realtime", "keywords": name, "group": "城市文明"}


@_endpoint("GET")
def discovery(request, fmt):
    base = request.build_absolute_uri(reverse("campaign:open311_services", args=["json"]))
    return _respond("discovery", {
        "changeset": CHANGESET,
        "contact": f"{_agency()}（问题反映请拨打12345热线）",
        "key_service": request.build_absolute_uri(reverse("apikeys:key_list")),
        "endpoints": [{"specification": SPECIFICATION,
                       "url": base.rsplit("/services.json", 1)[0],
                       "changeset": CHANGESET, "type": "production",
                       "formats": ["text/xml", "application/json"]}],
    }, fmt)


@_endpoint("GET")
def services(request, fmt):
    return _respond("services", [_service(*s) for s in citizen.SERVICES], fmt)


def _unknown_service(code):
    return _Error(404, f"service_code {code} not found")


@_endpoint("GET")
def service_definition(request, code, fmt):
    if code not in citizen.SERVICE_NAMES:
        raise _unknown_service(code)
    return _respond("definition", {"service_code": code, "attributes": []}, fmt)


def _media_url(request, report):
    # The photo is shown once the office has looked at the report and taken
    # it up; until then it may hold what should not be public.
    if report.photo and report.status == CitizenReport.Status.ACCEPTED:
        return request.build_absolute_uri(
            reverse("campaign:open311_media", args=[report.tracking_code]))
    external = getattr(report, "external", None)
    return (external.media_url or None) if external else None


def _request_data(request, report):
    is_open, note, unit, expected = citizen.public_status(report)
    return {
        "service_request_id": report.tracking_code,
        "status": "open" if is_open else "closed",
        "status_notes": note,
        "service_name": citizen.SERVICE_NAMES.get(report.service_code, ""),
        "service_code": report.service_code,
        "description": report.description,
        "agency_responsible": unit or _agency(),
        "service_notice": "",
        "requested_datetime": _w3c(report.created_at),
        "updated_datetime": _w3c(max(filter(None, [
            report.updated_at, report.problem.updated_at if report.problem_id else None]))),
        "expected_datetime": _w3c(expected),
        "address": report.address,
        "address_id": None,
        "zipcode": None,
        "lat": float(report.lat) if report.lat is not None else None,
        "long": float(report.lng) if report.lng is not None else None,
        "media_url": _media_url(request, report),
    }


def _reports():
    return CitizenReport.objects.select_related(
        "problem", "problem__responsible_unit", "external")


@_endpoint("GET", "POST")
def requests(request, fmt):
    if request.method == "POST":
        return _post_request(request, fmt)
    qs = _reports()
    ids = [i.strip().upper() for i in request.GET.get("service_request_id", "").split(",")
           if i.strip()]
    if ids:
        # The spec: service_request_id overrides every other parameter.
        qs = qs.filter(tracking_code__in=ids)
    else:
        qs = _filter_list(qs, request.GET)
    reports = qs.order_by("-created_at", "-id")[:MAX_RESULTS]
    return _respond("requests", [_request_data(request, r) for r in reports], fmt)


# What `citizen.public_status` calls open, as a query, so that the status
# filter narrows the rows before the 1,000-row cap rather than after it.
_OPEN = Q(status=CitizenReport.Status.RECEIVED) | (
    Q(status=CitizenReport.Status.ACCEPTED, problem__isnull=False)
    & ~Q(problem__status__in=Problem.FINISHED))


def _filter_list(qs, params):
    def when(name):
        value = params.get(name)
        if not value:
            return None
        try:
            parsed = parse_datetime(value.replace(" ", "+"))
        except ValueError:  # a well-formed but impossible value: +99:00, month 13
            parsed = None
        if parsed is None or not FIRST_DAY <= parsed.date() <= LAST_DAY:
            raise _Error(400, f"{name} must be a W3C datetime between "
                              f"{FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}")
        return parsed if parsed.tzinfo else timezone.make_aware(parsed)

    start, end = when("start_date"), when("end_date")
    if start and end and start > end:
        raise _Error(400, "start_date must not be later than end_date")
    # The spec's default window: the last 90 days.
    if start is None and end is None:
        start = timezone.now() - timedelta(days=90)
    if start:
        qs = qs.filter(created_at__gte=start)
    if end:
        qs = qs.filter(created_at__lte=end)
    codes = [c.strip() for c in params.get("service_code", "").split(",") if c.strip()]
    if codes:
        qs = qs.filter(service_code__in=codes)
    statuses = {s.strip() for s in params.get("status", "").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        raise _Error(400, "status must be open or closed")
    if statuses == {"open"}:
        qs = qs.filter(_OPEN)
    elif statuses == {"closed"}:
        qs = qs.exclude(pk__in=CitizenReport.objects.filter(_OPEN).values("pk"))
    return qs


def _presented_key(request):
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip()
    return request.POST.get("api_key") or request.GET.get("api_key") or ""


def _authorize(request):
    """The integrator's key, or None for an anonymous POST."""
    from wenming.api.services import use_key

    token = _presented_key(request)
    if not token:
        if settings.WENMING_OPEN311_REQUIRE_KEY:
            raise _Error(403, "api_key is required")
        return None
    try:
        key = use_key(token, "open311:write", method=request.method, path=request.path,
                      ip=client_ip(request))
    except RateLimited as e:
        raise _Error(429, e.message, getattr(e, "retry_after", None)) from None
    if key is None:
        raise _Error(403, "api_key is invalid, expired, revoked or lacks open311:write")
    return key


def _location(data):
    """(lat, lng, address) from the spec's three ways of giving a place."""
    lat, lng = data.get("lat", "").strip(), data.get("long", "").strip()
    address = data.get("address_string", "").strip()
    address_id = data.get("address_id", "").strip()
    if address_id and not address:
        # We keep no address register: the jurisdiction's id is kept as the
        # place, for the office to look up.
        address = f"地址编号 {address_id}"
    if bool(lat) != bool(lng):
        raise _Error(400, "lat and long must be given together")
    if lat:
        try:
            lat_f, lng_f = float(lat), float(lng)
        except ValueError:
            raise _Error(400, "lat and long must be decimal degrees") from None
        if not (-90 <= lat_f <= 90 and -180 <= lng_f <= 180):
            raise _Error(400, "lat and long must be decimal degrees")
        if not geo.within(lat_f, lng_f, settings.WENMING_CITY_BOUNDS):
            raise _Error(400, "lat and long are outside the jurisdiction")
        return lat, lng, address
    if not address:
        raise _Error(400, "a location is required: lat and long, address_string or address_id")
    return None, None, address


def _post_request(request, fmt):
    data = request.POST
    key = _authorize(request)
    code = data.get("service_code", "").strip()
    if not code:
        raise _Error(400, "service_code is required")
    if code not in citizen.SERVICE_NAMES:
        raise _unknown_service(code)
    description = data.get("description", "")
    if len(description) > MAX_DESCRIPTION:
        raise _Error(400, f"description may be at most {MAX_DESCRIPTION} characters")
    lat, lng, address = _location(data)
    name = " ".join(p for p in [data.get("last_name", ""), data.get("first_name", "")] if p)
    fields = dict(service_code=code, description=description, address=address, lat=lat,
                  lng=lng, photo=request.FILES.get("media"), contact_name=name,
                  contact_phone=data.get("phone", ""), email=data.get("email", ""))
    try:
        if key is not None:
            from wenming.api.services import submit_external_report

            report = submit_external_report(key, media_url=data.get("media_url", "")[:500],
                                            **fields)
        else:
            report = citizen.submit_report(**fields, ip=client_ip(request),
                                           via=CitizenReport.Via.OPEN311)
    except RateLimited as e:
        raise _Error(429, e.message) from None
    except DomainError as e:
        raise _Error(400, e.message) from None
    return _respond("requests", [{"service_request_id": report.tracking_code,
                                  "service_notice": "已收到，文明办将尽快核实处理。",
                                  "account_id": None}], fmt, status=201)


def _report_or_404(code):
    report = _reports().filter(tracking_code=code.strip().upper()).first()
    if report is None:
        raise _Error(404, f"service_request_id {code} not found")
    return report


@_endpoint("GET")
def request_one(request, code, fmt):
    return _respond("requests", [_request_data(request, _report_or_404(code))], fmt)


@_endpoint("GET")
def token(request, token_id, fmt):
    # The request id is given at once, so a token is the id itself.
    report = _reports().filter(tracking_code=token_id.strip().upper()).first()
    if report is None:
        raise _Error(404, f"token {token_id} not found")
    return _respond("tokens", [{"token": report.tracking_code,
                                "service_request_id": report.tracking_code}], fmt)


def media(request, code):
    report = CitizenReport.objects.filter(tracking_code=code.upper()).first()
    if report is None or not report.photo or report.status != CitizenReport.Status.ACCEPTED:
        raise Http404
    return FileResponse(report.photo.open("rb"), content_type="image/jpeg")
