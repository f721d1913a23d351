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
from django.core.files.base import ContentFile
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from wenming.accounts import roles
from wenming.accounts.decorators import role_required
from wenming.briefings.importer import ImportRefused, bundle, extract_upload, parse_extraction
from wenming.briefings.importer import batch as batches
from wenming.briefings.importer.markup import from_markup, to_markup
from wenming.briefings.importer.store import check_import, import_issue
from wenming.briefings.models import ImportBatch, ImportBatchFile, Series
from wenming.briefings.render.txt import number_text
from wenming.core.errors import DomainError
from wenming.core.text import chinese_date, paragraphs
from wenming.tasks.services import start_task

EDITORS = (roles.ADMIN, roles.EDITOR)
_SALT = "briefings.import"
_PREVIEW_MAX_AGE = 6 * 3600  # seconds a preview may wait for its confirmation


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One or several files; cleaned to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data] or [single(None, initial)]
        return [single(data, initial)]


class UploadForm(forms.Form):
    file = MultipleFileField(label="简报文件",
                             help_text="TXT（UTF-8 或 GBK 编码）、PDF、DOCX，或扫描、拍摄的 JPG/PNG 图片；"
                                       "可一次选择多个文件，或上传一个 ZIP 压缩包")


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
    uploads = form.cleaned_data["file"]
    if len(uploads) > 1 or bundle.is_plain_zip(uploads[0].read()):
        # Several files are parsed in the background; the task's result is
        # the batch page, where each file is checked or the clean ones imported.
        files = [(u.name, _content(u)) for u in uploads]
        task = start_task(request.user, "wenming.briefings.tasks.parse_many",
                          f"识别旧简报：{len(files)}个上传文件" if len(files) > 1 else
                          f"识别旧简报：{uploads[0].name}",
                          upload=ContentFile(bundle.pack(files), name=(
                              f"{uploads[0].name}等{len(files)}个文件" if len(files) > 1
                              else uploads[0].name)))
        return redirect("tasks:detail", task.pk)
    upload = uploads[0]
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
        "source": source, "max_mb": _max_mb(), "batch": payload.get("batch"),
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
    batch_file = _batch_file(request, payload)
    try:
        if batch_file:
            issue = batches.import_batch_file(request.user, batch_file, structure,
                                              form.cleaned_data["series"])
        else:
            issue = import_issue(request.user, structure, form.cleaned_data["series"],
                                 source=payload.get("source", ""))
    except (DomainError, PermissionDenied) as e:
        return _preview(request, payload, structure, form,
                        error=getattr(e, "message", None) or str(e), status=422)
    messages.success(request, f"已导入并发布{issue}。")
    if batch_file:
        return redirect("briefings:import_batch", batch_file.batch_id)
    return redirect("briefings:issue_detail", issue.pk)


def _batch_file(request, payload):
    if not payload.get("batch_file"):
        return None
    return get_object_or_404(ImportBatchFile, pk=payload["batch_file"],
                             batch__owner=request.user)


@role_required(*EDITORS)
def import_batch(request, pk):
    """The files of a batch: masthead, warnings and doubts of each; the
    clean ones can be imported together, the others checked one by one."""
    batch = get_object_or_404(ImportBatch, pk=pk, owner=request.user)
    rows = []
    for f in batch.files.select_related("issue__series"):
        structure = f.payload.get("structure") or {}
        date = structure.get("date") or ""
        rows.append({"file": f, **batches.review(request.user, f),
                     "series": structure.get("series", ""),
                     "number_text": f"{structure['year']}年{number_text(structure)}"
                     if structure else "",
                     "date_text": chinese_date(datetime.date.fromisoformat(date)) if date else "",
                     "warnings": [w for w, _line in f.payload.get("warnings", [])]})
    for row in rows:
        row["doubtful"] = [(_FIELD_LABELS.get(k, k), round(v * 100))
                           for k, v in (row.get("doubtful") or {}).items()]
    return render(request, "briefings/import_batch.html", {
        "batch": batch, "rows": rows, "clean": sum(r["clean"] for r in rows)})


@role_required(*EDITORS)
def import_batch_file(request, pk, position):
    """One file of a batch in the ordinary preview, to check and correct."""
    f = get_object_or_404(ImportBatchFile, batch__pk=pk, batch__owner=request.user,
                          position=position)
    if f.refusal or f.issue_id:
        return redirect("briefings:import_batch", pk)
    payload = {**f.payload, "batch_file": f.pk, "batch": pk}
    confirm = ConfirmForm(initial={
        **_edit_initial(payload["structure"]),
        "payload": signing.dumps(payload, salt=_SALT, compress=True),
    })
    return _preview(request, payload, payload["structure"], confirm)


@require_POST
@role_required(*EDITORS)
def import_batch_clean(request, pk):
    batch = get_object_or_404(ImportBatch, pk=pk, owner=request.user)
    task = start_task(request.user, "wenming.briefings.tasks.import_clean",
                      "导入识别无误的旧简报", {"batch": batch.pk})
    return redirect("tasks:detail", task.pk)


def _content(upload):
    upload.seek(0)
    return upload.read()


def _max_mb():
    return settings.WENMING_MAX_UPLOAD_BYTES // (1024 * 1024)


def _upload_page(request, form, error="", status=200):
    return render(request, "briefings/import_upload.html",
                  {"form": form, "error": error, "max_mb": _max_mb(),
                   "max_files": bundle.MAX_FILES}, status=status)
