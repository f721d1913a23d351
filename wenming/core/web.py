"""Small view helpers shared by the apps."""

from django.contrib import messages
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
