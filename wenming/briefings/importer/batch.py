"""Many legacy files at once: each parsed in a background task and kept as
a batch the editor goes through; the clean ones imported together, the
others checked one by one in the ordinary preview."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from wenming.accounts import roles
from wenming.audit.services import record
from wenming.briefings.importer import ImportRefused, extract_bytes, parse_extraction
from wenming.briefings.importer.store import check_import, import_issue
from wenming.briefings.models import ImportBatch, ImportBatchFile
from wenming.core.errors import DomainError, require
from wenming.tasks.progress import Progress

# A parse sure of these (and without warnings) needs no editor's eye.
ESSENTIAL = ("series", "number", "date", "columns", "articles")
SURE = 0.8


def parse_payload(name: str, data: bytes) -> dict:
    """One file's parse as the preview page carries it (see views_import)."""
    extraction = extract_bytes(data)
    result = parse_extraction(extraction)
    return {"structure": result.structure, "source": name, "text": extraction.source,
            "roles": result.roles,
            "warnings": [[str(w), getattr(w, "line", None)] for w in result.warnings],
            "confidence": result.confidence, "format": extraction.format_label}


def parse_files(actor, files, progress=None) -> ImportBatch:
    """Parse each file (a BundledFile) and keep the results as a batch of
    the actor's. A file that cannot be read is kept with the reason."""
    require(roles.is_office_editor(actor), "只有编辑或管理员可以导入简报。")
    progress = progress or Progress()
    parsed = []
    for n, f in enumerate(files, start=1):
        progress.update(f"正在识别第{n}个文件（共{len(files)}个）：{f.name}", done=n - 1,
                        total=len(files))
        try:
            parsed.append((f.name, parse_payload(f.name, f.data), ""))
        except ImportRefused as e:
            parsed.append((f.name, {}, e.message))
    with transaction.atomic():
        batch = ImportBatch.objects.create(owner=actor)
        ImportBatchFile.objects.bulk_create([
            ImportBatchFile(batch=batch, position=n, name=name[:200], payload=payload,
                            refusal=refusal)
            for n, (name, payload, refusal) in enumerate(parsed, start=1)])
        record(actor, "issue_import_batch.parse", batch, after={
            "files": len(parsed), "refused": sum(bool(r) for _, _, r in parsed)})
    return batch


def review(actor, batch_file) -> dict:
    """What the batch page says of one file: its masthead, warnings, doubtful
    fields, and whether it can be imported without a look ("clean")."""
    payload = batch_file.payload
    if batch_file.issue_id or batch_file.refusal:
        return {"clean": False, "refusal": batch_file.refusal, "plan": None}
    structure = payload["structure"]
    confidence = payload.get("confidence") or {}
    doubtful = {k: v for k, v in confidence.items() if isinstance(v, int | float) and v < SURE}
    try:
        plan, refusal = check_import(actor, structure), ""
    except (DomainError, PermissionDenied) as e:
        plan, refusal = None, getattr(e, "message", None) or str(e)
    clean = (plan is not None and not payload.get("warnings")
             and not any(k in doubtful for k in ESSENTIAL))
    return {"clean": clean, "refusal": refusal, "plan": plan, "doubtful": doubtful}


@transaction.atomic
def import_batch_file(actor, batch_file, structure, series=None):
    """Import one file of a batch (as corrected in its preview) and note
    which issue it became."""
    require(batch_file.batch.owner_id == actor.pk, "只能导入自己上传的文件。")
    batch_file = ImportBatchFile.objects.select_for_update().get(pk=batch_file.pk)
    if batch_file.issue_id:
        raise DomainError(f"“{batch_file.name}”已导入为{batch_file.issue}。")
    issue = import_issue(actor, structure, series, source=batch_file.name)
    batch_file.issue = issue
    batch_file.save(update_fields=["issue"])
    return issue


def import_clean_files(actor, batch, progress=None):
    """Import every clean file of the batch not yet imported, each as its own
    all-or-nothing import (a published issue is complete or absent); a file
    another import got to first is reported, the others still go in.
    Returns (imported issues, notes)."""
    require(batch.owner_id == actor.pk, "只能导入自己上传的文件。")
    progress = progress or Progress()
    files = [f for f in batch.files.filter(issue__isnull=True, refusal="")
             if review(actor, f)["clean"]]
    issues, notes = [], []
    for n, f in enumerate(files, start=1):
        progress.update(f"正在导入第{n}个文件（共{len(files)}个）：{f.name}", done=n - 1,
                        total=len(files))
        try:
            issues.append(import_batch_file(actor, f, f.payload["structure"]))
        except DomainError as e:
            notes.append(f"{f.name}：{e.message}")
    with transaction.atomic():
        record(actor, "issue_import_batch.import_clean", batch, after={
            "imported": [i.pk for i in issues], "failed": len(notes)})
    return issues, notes
