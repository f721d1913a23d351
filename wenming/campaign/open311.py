"""Open311 GeoReport v2, so existing 311 clients can file and follow
citizen reports: services, service definition, POST requests, GET requests
and GET one request, each as JSON or XML (https://wiki.open311.org/GeoReport_v2).

Requests are our citizen reports; `service_request_id` is the tracking code.
Contact details are never returned. POSTs are rate-limited per IP like the
web form; when WENMING_OPEN311_API_KEYS is set (comma-separated) a POST must
carry one of them as `api_key`.
"""

from datetime import timedelta
from xml.etree import ElementTree

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from wenming.campaign import citizen
from wenming.campaign.catalog import active_campaign
from wenming.campaign.models import CitizenReport
from wenming.core.errors import DomainError
from wenming.core.public_forms import RateLimited, client_ip
from wenming.core.web import FIRST_DAY, LAST_DAY

MAX_RESULTS = 1000
_XML_ROOTS = {"services": ("services", "service"), "definition": (None, None),
              "requests": ("service_requests", "request"), "posted": ("service_requests",
                                                                      "request"),
              "errors": ("errors", "error")}


class _Error(Exception):
    def __init__(self, status, description):
        super().__init__(description)
        self.status, self.description = status, description


def _respond(kind, data, fmt, status=200):
    if fmt == "json":
        return JsonResponse(data, safe=False, status=status,
                            json_dumps_params={"ensure_ascii": False})
    if fmt != "xml":
        return HttpResponse("format must be json or xml", status=404)
    if kind == "definition":
        root = ElementTree.Element("service_definition")
        ElementTree.SubElement(root, "service_code").text = data["service_code"]
        attributes = ElementTree.SubElement(root, "attributes")
        for attribute in data["attributes"]:
            _fill(ElementTree.SubElement(attributes, "attribute"), attribute)
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
        if isinstance(value, bool):
            child.text = "true" if value else "false"
        elif value is not None:
            child.text = str(value)


def _error(fmt, status, description):
    return _respond("errors", [{"code": status, "description": description}], fmt, status)


def _agency():
    campaign = active_campaign()
    return campaign.issuer if campaign else "文明办"


def _w3c(dt):
    return timezone.localtime(dt).isoformat(timespec="seconds") if dt else None


def _service(code, name, description):
    return {"service_code": code, "service_name": name, "description": description,
            "metadata": False, "type": "realtime", "keywords": name, "group": "城市文明"}


@require_GET
def services(request, fmt):
    return _respond("services", [_service(*s) for s in citizen.SERVICES], fmt)


@require_GET
def service_definition(request, code, fmt):
    if code not in citizen.SERVICE_NAMES:
        return _error(fmt, 404, f"service_code {code} not found")
    return _respond("definition", {"service_code": code, "attributes": []}, fmt)


def _request_data(report):
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
        "media_url": None,
    }


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests(request, fmt):
    if request.method == "POST":
        return _post_request(request, fmt)
    qs = CitizenReport.objects.select_related("problem", "problem__responsible_unit")
    try:
        ids = [i.strip().upper() for i in request.GET.get("service_request_id", "").split(",")
               if i.strip()]
        if ids:
            qs = qs.filter(tracking_code__in=ids)
        else:
            qs = _filter_list(qs, request.GET)
    except _Error as e:
        return _error(fmt, e.status, e.description)
    reports = list(qs.order_by("-created_at")[:MAX_RESULTS])
    if request.GET.get("status") in ("open", "closed"):
        wanted = request.GET["status"] == "open"
        reports = [r for r in reports if citizen.public_status(r)[0] == wanted]
    return _respond("requests", [_request_data(r) for r in reports], fmt)


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
    # The spec's default window: the last 90 days.
    if start is None and end is None:
        start = timezone.now() - timedelta(days=90)
    if start:
        qs = qs.filter(created_at__gte=start)
    if end:
        qs = qs.filter(created_at__lte=end)
    codes = [c for c in params.get("service_code", "").split(",") if c]
    if codes:
        qs = qs.filter(service_code__in=codes)
    return qs


def _api_keys():
    return {k.strip() for k in settings.WENMING_OPEN311_API_KEYS.split(",") if k.strip()}


def _post_request(request, fmt):
    data = request.POST
    keys = _api_keys()
    if keys and data.get("api_key") not in keys:
        return _error(fmt, 403, "api_key is missing or invalid")
    if not data.get("service_code"):
        return _error(fmt, 400, "service_code is required")
    if not (data.get("lat") and data.get("long")) and not data.get("address_string"):
        return _error(fmt, 400, "a location is required: lat and long, or address_string")
    name = " ".join(p for p in [data.get("last_name", ""), data.get("first_name", "")] if p)
    try:
        report = citizen.submit_report(
            service_code=data["service_code"], description=data.get("description", ""),
            address=data.get("address_string", ""), lat=data.get("lat") or None,
            lng=data.get("long") or None, photo=request.FILES.get("media"),
            contact_name=name, contact_phone=data.get("phone", ""),
            email=data.get("email", ""), ip=client_ip(request),
            via=CitizenReport.Via.OPEN311)
    except DomainError as e:
        return _error(fmt, 429 if isinstance(e, RateLimited) else 400, e.message)
    return _respond("posted", [{"service_request_id": report.tracking_code,
                                "service_notice": "已收到，文明办将尽快核实处理。",
                                "account_id": None}], fmt, status=201)


@require_GET
def request_one(request, code, fmt):
    report = CitizenReport.objects.select_related(
        "problem", "problem__responsible_unit").filter(tracking_code=code.upper()).first()
    if report is None:
        return _error(fmt, 404, f"service_request_id {code} not found")
    return _respond("requests", [_request_data(report)], fmt)
