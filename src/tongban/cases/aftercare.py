"""What follows a child case's decision: the 一件事 parent moves on, and a commitment gets its post-check.

:func:`after_approval` runs inside :func:`tongban.cases.services.case_approve` — in the approving transaction,
after the case's results were issued and before it is saved as closed — so the approval, the post-check and
the bundle's progress are stored together or not at all. :func:`after_closing` is the same for the other
decisions that close a child (deny, refusal of acceptance, withdrawal); :func:`bundle_settle` re-reads a
bundle from the database and does whatever is due, and is safe to call any number of times.

Exactly once: every path locks the child first (the caller's lock) and then the parent :class:`BundleCase`
row. Two departments approving the last two children at the same moment queue on the parent lock; the first
sees the other child still open, the second (reading after the first committed) sees all closed and completes
the bundle. A completed bundle is never completed again (its status is checked under the lock).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from tongban.cases import dates, provision
from tongban.cases.history import append_history, audit_case
from tongban.cases.models import (
    BundleCase,
    BundleStatus,
    Case,
    CaseMaterial,
    Outcome,
    PostCheck,
    Stage,
)
from tongban.cases.workflow import rule_for
from tongban.common.public import log_event, notify, record_audit
from tongban.identity.public import User
from tongban.licenses.public import licenses_for_case
from tongban.workcalendar.public import add_working_days, current_calendar

logger = logging.getLogger(__name__)
PLATFORM = "platform"  # the role recorded in a child's history for the platform's own moves


def after_approval(case: Case, actor: User) -> dict[str, Any]:
    """Schedule the post-check of a commitment, then let the bundle move on. Returns details for the history."""
    return {**schedule_postcheck(case, actor), **child_decided(case, actor)}


def after_closing(case: Case, actor: User) -> dict[str, Any]:
    """A child closed without approval (called inside the closing action, with ``case.outcome`` set)."""
    return child_decided(case, actor)


# --- 告知承诺: scheduling the post-check ---------------------------------------------------------------------
def schedule_postcheck(case: Case, actor: User) -> dict[str, Any]:
    """A case approved with a proof replaced by a commitment gets its 事后核查, ``postcheck_days`` working days
    from today (the item's own number, else ``TONGBAN_POSTCHECK_DAYS``), for an officer of the deciding
    department. Keyed on the materials, so a commitment chosen on the single-item draft page counts too."""
    if not case.materials.filter(source=CaseMaterial.Source.COMMITMENT).exists():
        return {}  # no proof was replaced by a commitment (or every one was handed in after all)
    days = case.item_snapshot.get("postcheck_days") or settings.CASE_POSTCHECK_DAYS
    due = add_working_days(dates.today(), int(days), current_calendar())
    numbers = list(licenses_for_case(case.number or "").values_list("number", flat=True)) if case.number else []
    check, created = PostCheck.objects.get_or_create(
        case=case,
        defaults={
            "department_id": case.department_id,
            "region_code": case.region_code,
            "due_on": due.due,
            "due_provisional": due.provisional,
            "licenses": numbers,
        },
    )
    if created:
        record_audit(
            actor=actor,
            action="case.postcheck_scheduled",
            object_type="case",
            object_id=case.pk,
            before=None,
            after={"postcheck": check.pk, "due_on": str(check.due_on), "licenses": numbers},
            region_code=case.region_code,
        )
    return {"postcheck_due": str(check.due_on)}


# --- 一件事: the parent moves on ----------------------------------------------------------------------------
def child_decided(case: Case, actor: User | None) -> dict[str, Any]:
    """``case`` (locked by the caller, its outcome set, about to be saved as closed) was decided."""
    if case.parent_id is None:
        return {}
    parent = BundleCase.objects.select_for_update().get(pk=case.parent_id)
    children = [c for c in Case.objects.filter(parent=parent).order_by("bundle_stage", "pk") if c.pk != case.pk]
    return _settle(parent, [*children, case], actor, deciding=case.pk)


def bundle_settle(*, bundle_id: int, actor: User | None = None) -> BundleCase:
    """Release, cancel or complete whatever is due for this bundle, from what is stored. Idempotent."""
    with transaction.atomic():
        parent = BundleCase.objects.select_for_update().get(pk=bundle_id)
        children = list(Case.objects.filter(parent=parent).order_by("bundle_stage", "pk"))
        _settle(parent, children, actor, deciding=None)
    parent.refresh_from_db()
    return parent


def _closed(child: Case, deciding: int | None) -> bool:
    return child.stage == Stage.CLOSED or child.pk == deciding


def _settle(parent: BundleCase, children: list[Case], actor: User | None, *, deciding: int | None) -> dict[str, Any]:
    if parent.status != BundleStatus.OPEN:
        return {}
    stages = sorted({c.bundle_stage or 1 for c in children})
    released: list[Case] = []
    cancelled: list[Case] = []
    for index, stage in enumerate(stages):
        here = [c for c in children if (c.bundle_stage or 1) == stage]
        failed = [c for c in here if _closed(c, deciding) and c.outcome != Outcome.APPROVED]
        if failed:  # a later step can never start without this one's result
            later = [c for c in children if (c.bundle_stage or 1) > stage and c.stage == Stage.WAITING]
            cancelled = [_platform_move(c, "cancel", actor, failed[0]) for c in later]
            break
        if not all(_closed(c, deciding) for c in here):
            break
        following = stages[index + 1] if index + 1 < len(stages) else None
        waiting = [c for c in children if c.bundle_stage == following and c.stage == Stage.WAITING]
        if waiting:
            released = [_platform_move(c, "release", actor, None) for c in waiting]
            break
    refreshed = {c.pk: c for c in [*released, *cancelled]}
    children = [refreshed.get(c.pk, c) for c in children]
    details: dict[str, Any] = {}
    if released:
        details["bundle_released"] = [c.number for c in released]
        notify(
            recipient_id=parent.applicant_id,
            subject=_("Next services of your application started"),
            body=_("The earlier services of %(bundle)s are approved; %(items)s went to their departments.")
            % {"bundle": parent.name, "items": "、".join(c.item_name for c in released)},
            link=f"/cases/bundles/{parent.pk}/",
            topic=f"bundle:{parent.number}",
        )
    if all(_closed(c, deciding) for c in children):
        _complete(parent, children, actor)
        details["bundle_completed"] = parent.number
    return details


def _platform_move(child: Case, action: str, actor: User | None, because: Case | None) -> Case:
    """The platform releases a waiting child to its department, or cancels it; checked against the table."""
    locked = Case.objects.select_for_update(of=("self",)).select_related("snapshot").get(pk=child.pk)
    rule = rule_for(locked.stage, action)
    if rule is None:
        return locked
    before = {"stage": locked.stage, "version": locked.version}
    data: dict[str, Any] = {}
    if action == "release":
        # Licenses only: the earlier step's result is in the wallet now; no department system is called under
        # the row locks (shared data was fetched when the bundle was submitted).
        found, stale = provision.find_provisions(locked, shared_data=False)
        added = provision.store_provisions(locked, found, stale, actor or locked.applicant)
        provision.record_license_uses(locked, actor or locked.applicant)
        data["provided"] = [m.name for m in added]
        comment = _("The earlier services of the bundle are approved; this one starts now.")
    else:
        locked.outcome = Outcome.CANCELLED
        locked.outcome_reason = _(
            "Not started: “%(item)s”, an earlier service of the same application, was not approved."
        ) % {"item": because.item_name if because else ""}
        locked.closed_at = dates.now()
        comment = locked.outcome_reason
    from_stage, locked.stage = locked.stage, rule.target
    locked.version += 1
    locked.save()
    append_history(locked, actor, PLATFORM, action, from_stage, locked.stage, comment, data)
    audit_case(locked, actor, f"case.{action}", before, {"stage": locked.stage, "version": locked.version, **data})
    log_event(logger, "bundle_child_moved", case_id=locked.pk, action=action, bundle_id=locked.parent_id)
    return locked


def _complete(parent: BundleCase, children: list[Case], actor: User | None) -> None:
    """Every child is decided: one outcome, the results listed together, one message."""
    approved = [c for c in children if c.outcome == Outcome.APPROVED]
    results = [
        {"number": lic.number, "type": lic.license_type.name, "case": child.number}
        for child in approved
        for lic in licenses_for_case(child.number or "")
    ]
    before = {"status": parent.status, "version": parent.version}
    if len(approved) == len(children):
        parent.status = BundleStatus.COMPLETED
        parent.outcome_note = ""
        subject = _("Your application %(bundle)s is complete") % {"bundle": parent.name}
        body = _("Every service was approved. All %(count)d results are on the application's page together.") % {
            "count": len(results)
        }
    else:
        parent.status = BundleStatus.PARTLY
        refused = [c for c in children if c.outcome not in (Outcome.APPROVED, Outcome.CANCELLED)]
        parent.outcome_note = _(
            "Not approved: %(items)s. The decision on each gives the reasons. The approved services and their "
            "results stand. You can apply again for what was not approved once the reasons are dealt with, on "
            "its own or as a new application, or ask for an administrative review or bring a suit within the "
            "time the decision states."
        ) % {"items": "、".join(c.item_name for c in refused)}
        subject = _("Your application %(bundle)s is finished, not every service was approved") % {"bundle": parent.name}
        body = parent.outcome_note
    parent.results = results
    parent.completed_at = dates.now()
    parent.version += 1
    parent.save(update_fields=["status", "outcome_note", "results", "completed_at", "version"])
    record_audit(
        actor=actor,
        action="bundle.completed",
        object_type="bundle_case",
        object_id=parent.pk,
        before=before,
        after={"status": parent.status, "results": [r["number"] for r in results], "version": parent.version},
        region_code=parent.region_code,
    )
    notify(
        recipient_id=parent.applicant_id,
        subject=subject,
        body=body,
        link=f"/cases/bundles/{parent.pk}/",
        topic=f"bundle:{parent.number}",
    )
    log_event(logger, "bundle_completed", bundle_id=parent.pk, status=parent.status, results=len(results))
