"""Importing legacy issues in the browser: upload → preview (the recovered
structure next to the extracted text) → confirm → a published issue.

The preview carries the structure to the confirm step in a signed form
field, so no upload is kept on the server between the two requests and any
app process can answer the second one."""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from wenming.accounts import roles
from wenming.accounts.decorators import role_required
from wenming.briefings.importer import ImportRefused, extract_upload, parse_extraction
from wenming.briefings.importer.store import check_import, import_issue
from wenming.briefings.models import Series
from wenming.briefings.render.txt import number_text
from wenming.core.errors import DomainError
from wenming.core.text import chinese_date, paragraphs

EDITORS = (roles.ADMIN, roles.EDITOR)
_SALT = "briefings.import"
_PREVIEW_MAX_AGE = 6 * 3600  # seconds a preview may wait for its confirmation


class UploadForm(forms.Form):
    file = forms.FileField(label="简报文件",
                           help_text="TXT（UTF-8 或 GBK 编码）、带文字层的 PDF 或 DOCX")


class ConfirmForm(forms.Form):
    payload = forms.CharField(widget=forms.HiddenInput)
    series = forms.ModelChoiceField(label="导入到", queryset=Series.objects.all(), required=False,
                                    empty_label="按报头确定（没有则新建系列）")


@role_required(*EDITORS)
def import_upload(request):
    # A body over WENMING_MAX_UPLOAD_BYTES never gets here: UploadLimitMiddleware
    # refuses it from its Content-Length before it is read. The file's own
    # size is checked again by extract_upload.
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _upload_page(request, form)
    upload = form.cleaned_data["file"]
    try:
        extraction = extract_upload(upload)
    except ImportRefused as e:
        return _upload_page(request, form, e.message, status=422)
    try:
        result = parse_extraction(extraction)
    except ImportRefused as e:
        return render(request, "briefings/import_preview.html", {
            "name": upload.name, "extraction": extraction, "error": e.message,
            "source": _source(extraction, {}, e.line), "max_mb": _max_mb(),
        }, status=422)
    structure = result.structure
    try:
        plan = check_import(request.user, structure)
        refusal = ""
    except DomainError as e:
        plan, refusal = None, e.message
    confirm = ConfirmForm(initial={
        "payload": signing.dumps({"structure": structure, "source": upload.name},
                                 salt=_SALT, compress=True),
        "series": plan["series"] if plan else None,
    })
    return render(request, "briefings/import_preview.html", {
        "name": upload.name, "extraction": extraction, "result": result, "d": structure,
        "date_text": chinese_date(datetime.date.fromisoformat(structure["date"])),
        "number_text": number_text(structure),
        "note_lines": paragraphs(structure["note"]),
        "plan": plan, "refusal": refusal, "confirm": confirm,
        "source": _source(extraction, result.roles), "max_mb": _max_mb(),
    })


@require_POST
@role_required(*EDITORS)
def import_confirm(request):
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择要导入到的简报系列。")
        return redirect("briefings:import_upload")
    try:
        payload = signing.loads(form.cleaned_data["payload"], salt=_SALT,
                                max_age=_PREVIEW_MAX_AGE)
    except signing.BadSignature:
        messages.error(request, "预览已过期或被改动，请重新上传文件。")
        return redirect("briefings:import_upload")
    try:
        issue = import_issue(request.user, payload["structure"], form.cleaned_data["series"],
                             source=payload.get("source", ""))
    except (DomainError, PermissionDenied) as e:
        messages.error(request, getattr(e, "message", None) or str(e))
        return redirect("briefings:import_upload")
    messages.success(request, f"已导入并发布{issue}。")
    return redirect("briefings:issue_detail", issue.pk)


def _max_mb():
    return settings.WENMING_MAX_UPLOAD_BYTES // (1024 * 1024)


def _upload_page(request, form, error="", status=200):
    return render(request, "briefings/import_upload.html",
                  {"form": form, "error": error, "max_mb": _max_mb()}, status=status)


def _source(extraction, roles_by_line, error_line=None):
    """The extracted text as numbered lines, marked with what each became."""
    return [{"no": no, "text": text, "role": roles_by_line.get(no, ""),
             "error": no == error_line}
            for no, text in enumerate(extraction.source, start=1)]
