"""Reads of the audit trail that pages show."""

from dataclasses import dataclass
from datetime import datetime

from wenming.audit.models import AuditEvent
from wenming.audit.verbs import describe


@dataclass
class Step:
    verb: str
    at: datetime
    actor: str
    label: str
    comment: str


def history(obj, labels=None):
    """Who did what to `obj`, oldest first, with the comment or opinion each
    step carried: the services write one event per step, so the trail is the
    approval history of an issue or a bulletin. `labels` may name steps more
    briefly than the audit log does."""
    labels = labels or {}
    events = AuditEvent.objects.filter(object_type=obj._meta.label_lower,
                                       object_id=str(obj.pk)).order_by("created_at", "id")
    return [Step(e.verb, e.created_at, e.actor_name, labels.get(e.verb) or describe(e.verb),
                 _comment(e.after)) for e in events]


def _comment(after):
    after = after if isinstance(after, dict) else {}
    return after.get("opinion") or after.get("comment") or after.get("reason") or ""
