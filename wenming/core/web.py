"""Small view helpers shared by the apps."""

import re
from datetime import date

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.http import HttpResponse

from wenming.core.errors import DomainError


def attempt(request, service, *args, success=None, **kwargs):
    """Call a service; on a refused action show its Chinese message and
    return None, so the view can redirect back to where the user was."""
    try:
        result = service(*args, **kwargs)
    except DomainError as e:
        messages.error(request, e.message)
        return None
    if success:
        messages.success(request, success)
    return result if result is not None else True


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}


def file_response(content, filename, fmt, inline=False):
    from urllib.parse import quote

    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    return response


def form_error(form, error):
    """Show a refused action on the form: on its field when the service
    named one the form has, else above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


# Query parameters: a page reads numbers and dates from the address bar,
# where anyone can type anything. Past these bounds no row can match, and the
# database or the date arithmetic fails instead (an id past PostgreSQL's
# bigint, the month before 0001-01), so the request is refused as bad.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)
MAX_ID = 2**63 - 1


class BadQuery(BadRequest):
    """A query parameter no page can use; answered 400 with its Chinese
    message (wenming.core.views.bad_request)."""


def query_int(params, name, minimum=0, maximum=MAX_ID, label=None):
    """The whole number `name` of a QueryDict, None when absent or blank."""
    value = (params.get(name) or "").strip()
    if not value:
        return None
    if not re.fullmatch(r"-?[0-9]{1,19}", value) or not minimum <= int(value) <= maximum:
        wanted = (f"{minimum}以上的整数" if maximum == MAX_ID
                  else f"{minimum}至{maximum}之间的整数")
        raise BadQuery(f"参数“{label or name}”的值“{value[:30]}”无效，应为{wanted}。")
    return int(value)


def query_date(params, name, label=None):
    """The ISO date `name` of a QueryDict, None when absent or blank."""
    value = (params.get(name) or "").strip()
    if not value:
        return None
    label = label or name
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise BadQuery(f"参数“{label}”应为日期，如 2024-06-15，收到“{value[:30]}”。") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise BadQuery(f"参数“{label}”应在 {FIRST_DAY.year} 年至 {LAST_DAY.year} 年之间，"
                       f"收到 {day.isoformat()}。")
    return day


def sane_day(day):
    """Form validator: the same date range as query parameters."""
    from django.core.exceptions import ValidationError

    if day is not None and not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(f"日期应在 {FIRST_DAY.year} 年至 {LAST_DAY.year} 年之间。")
