"""Importing legacy issues in the browser: upload → preview (the recovered
structure next to the extracted text, the warnings beside their lines) →
the editor corrects the masthead fields and the columns and articles →
confirm → a published issue.

The preview carries the parse (structure, text, warnings) to the next step
in a signed form field, so no upload is kept on the server between the
requests and any app process can answer them. What the editor may change
comes back in ordinary form fields, checked like any other input."""

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
from wenming.briefings.importer.markup import from_markup, to_markup
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
                           help_text="TXT（UTF-8 或 GBK 编码）、PDF、DOCX，或扫描、拍摄的 JPG/PNG 图片")


class ConfirmForm(forms.Form):
    payload = forms.CharField(widget=forms.HiddenInput)
    series = forms.ModelChoiceField(label="导入到", queryset=Series.objects.all(), required=False,
                                    empty_label="按报头确定（没有则新建系列）")
    title = forms.CharField(label="简报名称", max_length=50, required=False)
    kind = forms.CharField(label="类别", max_length=20, required=False)
    year = forms.IntegerField(label="年份", min_value=1949, max_value=2100, required=False)
    number = forms.IntegerField(label="期号", min_value=1, required=False)
    serial = forms.IntegerField(label="总期号", min_value=1, required=False)
    is_supplement = forms.BooleanField(label="增刊", required=False)
    issuer = forms.CharField(label="编发单位", max_length=50, required=False)
    date = forms.DateField(label="印发日期", required=False,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    marking = forms.CharField(label="标识", max_length=30, required=False)
    body = forms.CharField(label="栏目与稿件", required=False,
                           widget=forms.Textarea(attrs={"rows": 24, "class": "import-markup"}),
                           help_text="【栏目】改栏目名；“# 标题”开始一篇稿件（把一段改成标题、拆分稿件都是加"
                                     "这样一行，合并就是删掉一行）；“## 标题”为短讯；其余每行一段；"
                                     "@供稿：、@作者：、@图：为署名和图片说明。")

    MASTHEAD = ("title", "kind", "year", "number", "serial", "is_supplement", "issuer", "date",
                "marking")


def _edit_initial(structure: dict) -> dict:
    date = structure.get("date") or ""
    return {"title": structure["series"], "kind": structure["kind"], "year": structure["year"],
            "number": structure["number"], "serial": structure["serial"],
            "is_supplement": structure["is_supplement"], "issuer": structure["issuer"],
            "date": datetime.date.fromisoformat(date) if date else None,
            "marking": structure["marking"], "body": to_markup(structure["columns"])}


def _edited(structure: dict, data: dict) -> dict:
    """The parsed structure with the editor's corrections."""
    edited = dict(structure)
    edited.update(series=data["title"] or "", kind=data["kind"] or "", year=data["year"],
                  number=data["number"], serial=data["serial"],
                  is_supplement=data["is_supplement"], issuer=data["issuer"] or "",
                  date=data["date"].isoformat() if data["date"] else "",
                  marking=data["marking"] or "", columns=from_markup(data["body"]))
    return edited


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
        return _upload_page(request, form, e.message, status=422)
    payload = {"structure": result.structure, "source": upload.name,
               "text": extraction.source, "roles": result.roles,
               "warnings": [[w, getattr(w, "line", None)] for w in result.warnings],
               "confidence": result.confidence, "format": extraction.format_label}
    confirm = ConfirmForm(initial={
        **_edit_initial(result.structure),
        "payload": signing.dumps(payload, salt=_SALT, compress=True),
    })
    return _preview(request, payload, result.structure, confirm)


_FIELD_LABELS = {"series": "简报名称", "kind": "类别", "year": "年份", "number": "期号",
                 "serial": "总期号", "issuer": "编发单位", "date": "印发日期", "columns": "栏目",
                 "articles": "稿件", "footer": "版记"}


def _preview(request, payload, structure, confirm, error="", status=200):
    try:
        plan = check_import(request.user, structure)
        refusal = ""
    except DomainError as e:
        plan, refusal = None, e.message
    if plan and not confirm.is_bound:
        confirm.initial["series"] = plan["series"]
    warnings = [{"message": message, "line": line} for message, line in payload["warnings"]]
    by_line: dict[int, list[str]] = {}
    for warning in warnings:
        if warning["line"]:
            by_line.setdefault(warning["line"], []).append(warning["message"])
    roles = {int(k): v for k, v in payload["roles"].items()}
    source = [{"no": no, "text": text, "role": roles.get(no, ""), "warnings": by_line.get(no, [])}
              for no, text in enumerate(payload["text"], start=1)]
    date = structure.get("date") or ""
    confidence = payload.get("confidence") or {}
    return render(request, "briefings/import_preview.html", {
        "name": payload["source"], "format_label": payload.get("format", ""), "d": structure,
        "date_text": chinese_date(datetime.date.fromisoformat(date)) if date else "（未识别）",
        "number_text": number_text(structure),
        "note_lines": paragraphs(structure.get("note", "")), "warnings": warnings,
        "doubtful": [(_FIELD_LABELS.get(k, k), round(v * 100)) for k, v in confidence.items()
                     if isinstance(v, int | float) and v < 0.8],
        "article_count": sum(len(c["articles"]) for c in structure["columns"]),
        "plan": plan, "refusal": error or refusal, "confirm": confirm,
        "source": source, "max_mb": _max_mb(),
    }, status=status)


@require_POST
@role_required(*EDITORS)
def import_confirm(request):
    """Apply the editor's corrections; “更新预览” shows the result again,
    “确认导入” imports it."""
    form = ConfirmForm(request.POST)
    try:
        payload = signing.loads(request.POST.get("payload", ""), salt=_SALT,
                                max_age=_PREVIEW_MAX_AGE)
    except signing.BadSignature:
        messages.error(request, "预览已过期或被改动，请重新上传文件。")
        return redirect("briefings:import_upload")
    if not form.is_valid():
        return _preview(request, payload, payload["structure"], form,
                        error="请改正下面标出的字段。", status=422)
    try:
        structure = _edited(payload["structure"], form.cleaned_data)
    except DomainError as e:
        return _preview(request, payload, payload["structure"], form, error=e.message, status=422)
    if request.POST.get("action") == "preview":
        return _preview(request, payload, structure, form)
    try:
        issue = import_issue(request.user, structure, form.cleaned_data["series"],
                             source=payload.get("source", ""))
    except (DomainError, PermissionDenied) as e:
        return _preview(request, payload, structure, form,
                        error=getattr(e, "message", None) or str(e), status=422)
    messages.success(request, f"已导入并发布{issue}。")
    return redirect("briefings:issue_detail", issue.pk)


def _max_mb():
    return settings.WENMING_MAX_UPLOAD_BYTES // (1024 * 1024)


def _upload_page(request, form, error="", status=200):
    return render(request, "briefings/import_upload.html",
                  {"form": form, "error": error, "max_mb": _max_mb()}, status=status)
