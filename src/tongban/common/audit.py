"""Write the audit trail. Call :func:`record_audit` inside the transaction that makes the change."""

from __future__ import annotations

from typing import Any, Protocol

from django.utils import timezone

from tongban.common.logging import request_id_var
from tongban.common.models import AuditEvent


class Actor(Protocol):
    pk: Any

    def get_username(self) -> str: ...


def record_audit(
    *,
    actor: Actor | None,
    action: str,
    object_type: str,
    object_id: object,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    region_code: str = "",
) -> AuditEvent:
    """Append one event. ``before``/``after`` hold ids and values, never ID numbers or phone numbers."""
    return AuditEvent.objects.create(
        occurred_at=timezone.now(),
        actor_id=actor.pk if actor is not None else None,
        actor_label=actor.get_username() if actor is not None else "system",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=before,
        after=after,
        request_id=request_id_var.get() if request_id_var.get() != "-" else "",
        region_code=region_code,
    )
