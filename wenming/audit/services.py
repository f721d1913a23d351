from django.forms.models import model_to_dict

from wenming.audit.context import client_ip
from wenming.audit.models import AuditEvent


def snapshot(obj, fields=None, exclude=()):
    """A JSON-ready dict of a model instance for before/after."""
    data = model_to_dict(obj, fields=fields, exclude=exclude)
    return {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items()
            if not isinstance(v, (list, tuple)) or all(not hasattr(i, "pk") for i in v)}


def record(actor, verb, obj=None, *, object_type=None, object_id=None, before=None,
           after=None, ip=None, actor_name=None):
    """Append one audit event. Every service that changes state calls this
    inside its transaction, so the event and the change commit together.
    `actor_name` names an actor who is no user (an integrator's API key)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id if object_id is not None else obj.pk
    actor_obj = actor if actor is not None and actor.is_authenticated else None
    return AuditEvent.objects.create(
        actor=actor_obj,
        actor_name=(str(actor_obj) if actor_obj else actor_name or "系统")[:150],
        verb=verb,
        object_type=object_type or "",
        object_id="" if object_id is None else str(object_id),
        object_repr=(str(obj) if obj is not None else "")[:200],
        before=before,
        after=after,
        ip=ip or client_ip.get(),
    )
