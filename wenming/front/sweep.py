"""Orphan files: files in default storage that no file field of any model
refers to. A process killed between writing a file and committing the row
that points at it (kill -9 during an import or a publish) leaves one behind.

Files younger than MIN_AGE are never touched: their row may still be in a
transaction that has not committed yet."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone

from wenming.audit.services import record
from wenming.front.backup import walk_storage

MIN_AGE = timedelta(days=1)
# The audit event lists this many of the removed names; the count is exact.
_LISTED = 200


@dataclass
class SweepResult:
    checked: int = 0
    orphans: list = field(default_factory=list)  # (name, size)
    young: int = 0
    deleted: int = 0

    @property
    def orphan_bytes(self):
        return sum(size for _name, size in self.orphans)


def file_fields():
    """(model, [field names]) for every model with a FileField or ImageField,
    from the app registry, so a new model's files are never taken for orphans."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue  # same table as its concrete model
        names = [f.attname for f in model._meta.local_concrete_fields
                 if isinstance(f, models.FileField)]
        if names:
            found.append((model, names))
    return found


def referenced_names():
    names = set()
    for model, fields in file_fields():
        for row in model._base_manager.values_list(*fields).iterator(chunk_size=2000):
            names.update(value for value in row if value)
    return names


def sweep(*, delete=False, min_age=MIN_AGE, storage=default_storage, progress=None):
    """Find (and with `delete`, remove) unreferenced files older than
    `min_age`. `progress(checked, name)` is called for each file looked at."""
    # References are read before the listing: a file written after this
    # point is younger than min_age when it is listed, so it is kept.
    referenced = referenced_names()
    cutoff = timezone.now() - min_age
    result = SweepResult()
    for name in walk_storage(storage):
        result.checked += 1
        if progress:
            progress(result.checked, name)
        if name in referenced:
            continue
        try:
            modified = storage.get_modified_time(name)
        except NotImplementedError:
            modified = None  # age unknown: treated as young, kept
        if modified is None or modified > cutoff:
            result.young += 1
            continue
        result.orphans.append((name, storage.size(name)))
    if not delete:
        return result
    try:
        for name, _size in result.orphans:
            storage.delete(name)
            result.deleted += 1
    finally:
        # Also when a delete fails midway: what was removed is on record.
        if result.deleted:
            removed = result.orphans[:result.deleted]
            with transaction.atomic():
                record(None, "storage.sweep", None, object_type="storage.file", after={
                    "deleted": result.deleted, "bytes": sum(size for _n, size in removed),
                    "names": [name for name, _size in removed[:_LISTED]]})
    return result
