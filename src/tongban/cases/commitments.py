"""告知承诺: approval on the applicant's signed commitment, checked afterwards (事后核查).

1. An item whose guide carries a ``commitment_text`` lets the applicant sign it instead of handing in the
   materials marked ``substitute == "commitment"``: :func:`commitment_sign` records who signed, when, at which
   real-name level and what text, and satisfies those materials with trust level D.
2. The case is approved without those proofs; the approval issues the result at once and schedules the
   post-check (:func:`tongban.cases.aftercare.schedule_postcheck`) ``postcheck_days`` working days later.
3. An officer of the department decides the post-check (:func:`postcheck_decide`). Passed: it is closed.
   Failed: the case's licenses are revoked (their status list says "revoked" from then on) and the false
   commitment is kept on the applicant's record (:class:`CommitmentBreach`), which the applicant and the staff
   handling the applicant's later cases see.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tongban.cases import dates, services
from tongban.cases.models import (
    Case,
    CaseCommitment,
    CaseMaterial,
    CommitmentBreach,
    PostCheck,
    PostCheckStatus,
    Stage,
)
from tongban.cases.roles import roles_on
from tongban.cases.workflow import Role
from tongban.common.public import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    log_event,
    notify,
    record_audit,
)
from tongban.identity.public import LevelRequired, User, require_level, staff_scope
from tongban.licenses.public import LicenseStatus, license_revoke, licenses_for_case

logger = logging.getLogger(__name__)
_OFFICERS = {Role.HANDLER, Role.REVIEWER, Role.APPROVER}


def _level(user: User) -> str:
    for level in (3, 2, 1):
        try:
            require_level(user, level)
        except LevelRequired:
            continue
        return f"L{level}"
    return ""


def commitment_sign(*, case_id: int, actor: User) -> CaseCommitment:
    """The applicant (or their agent) signs the item's commitment; the materials it replaces and that are not
    handed in are satisfied by it. Signing again (e.g. after a 补正) keeps the first signature."""
    case = Case.objects.select_related("snapshot").filter(pk=case_id).first()
    if case is None or Role.APPLICANT not in roles_on(case, actor):
        raise NotFound(_("No such case."))
    text = str(case.item_snapshot.get("commitment_text") or "")
    if not text:
        raise DomainError(_("This item cannot be approved on a commitment."), code="no_commitment")
    if case.stage not in (Stage.DRAFT, Stage.SUPPLEMENT):
        raise Conflict(_("This application was already submitted; it can no longer be edited."))
    provided = dict(case.materials.values_list("position", "source"))
    replaced = [
        {"position": m["position"], "name": m["name"]}
        for m in case.item_snapshot.get("materials", [])
        if m.get("substitute") == "commitment" and provided.get(m["position"]) in (None, CaseMaterial.Source.COMMITMENT)
    ]
    with transaction.atomic():
        for material in replaced:
            services.case_attach_material(
                case_id=case.pk,
                actor=actor,
                position=material["position"],
                source=CaseMaterial.Source.COMMITMENT,
                reference=_("Signed commitment"),
            )
        signed, created = CaseCommitment.objects.get_or_create(
            case=case,
            defaults={
                "text": text,
                "materials": replaced,
                "signed_by": actor,
                "signer_name": actor.get_full_name() or actor.get_username(),
                "real_name_level": _level(actor),
                "signed_at": dates.now(),
            },
        )
        if created:
            record_audit(
                actor=actor,
                action="case.commitment_signed",
                object_type="case",
                object_id=case.pk,
                before=None,
                after={"materials": [m["name"] for m in replaced], "level": signed.real_name_level},
                region_code=case.region_code,
            )
    log_event(logger, "case_commitment_signed", case_id=case.pk, materials=len(replaced))
    return signed


# --- Post-checks ----------------------------------------------------------------------------------------------
def postchecks_visible_to(user: User) -> QuerySet[PostCheck]:
    if not user.is_staff:
        return PostCheck.objects.none()
    scope = staff_scope(user)
    checks = PostCheck.objects.select_related("case", "case__applicant", "department")
    return checks if scope.everything else checks.filter(department_id__in=scope.department_ids)


def postcheck_queue(user: User, *, status: str = PostCheckStatus.SCHEDULED, limit: int = 100) -> list[PostCheck]:
    """The department's post-checks, the earliest due first (decided ones: the latest first)."""
    checks = postchecks_visible_to(user).filter(status=status)
    ordered = checks.order_by("due_on", "pk") if status == PostCheckStatus.SCHEDULED else checks.order_by("-decided_at")
    return list(ordered[:limit])


def postcheck_get_for(user: User, postcheck_id: int) -> PostCheck:
    found = postchecks_visible_to(user).filter(pk=postcheck_id).first()
    if found is None:
        raise NotFound(_("No such post-check."))
    return found


def postcheck_decide(
    *, postcheck_id: int, actor: User, passed: bool, findings: str, expected_version: int | None = None
) -> PostCheck:
    """Close a post-check. Failed (the commitment was untrue): revoke the case's results and record the false
    commitment on the applicant's record. Findings are required when it fails."""
    if not passed and not findings.strip():
        raise DomainError(_("Say what the check found."), fields={"findings": _("Required.")})
    with transaction.atomic():
        check = PostCheck.objects.select_for_update(of=("self",)).select_related("case").filter(pk=postcheck_id).first()
        if check is None or not roles_on(check.case, actor):
            raise NotFound(_("No such post-check."))
        if not roles_on(check.case, actor) & _OFFICERS:
            raise PermissionDenied(_("Only an officer of the department can decide a post-check."))
        if expected_version is not None and check.version != expected_version:
            raise Conflict(_("Someone else decided this post-check a moment ago. Reload it."))
        if check.status != PostCheckStatus.SCHEDULED:
            raise Conflict(_("This post-check is already decided."))
        before = {"status": check.status, "version": check.version}
        check.status = PostCheckStatus.PASSED if passed else PostCheckStatus.FAILED
        check.findings, check.decided_by, check.decided_at = findings.strip(), actor, dates.now()
        check.version += 1
        check.save()
        revoked = [] if passed else _revoke(check, actor)
        record_audit(
            actor=actor,
            action=f"case.postcheck_{check.status}",
            object_type="case",
            object_id=check.case_id,
            before=before,
            after={"status": check.status, "revoked": revoked, "version": check.version},
            region_code=check.region_code,
        )
        _tell(check, revoked)
    log_event(logger, "case_postcheck_decided", case_id=check.case_id, status=check.status, revoked=len(revoked))
    return check


def _revoke(check: PostCheck, actor: User) -> list[str]:
    case = check.case
    reason = _("Post-check (事后核查) of case %(number)s: the commitment was untrue. %(findings)s") % {
        "number": case.number,
        "findings": check.findings,
    }
    revoked = []
    for held in licenses_for_case(case.number or ""):
        if held.status != LicenseStatus.REVOKED:
            license_revoke(license=held, actor=actor, reason=reason[:500])
            revoked.append(held.number)
    commitment = CaseCommitment.objects.filter(case=case).first()
    CommitmentBreach.objects.create(
        applicant_id=case.applicant_id,
        case=case,
        postcheck=check,
        item_name=case.item_name,
        commitment_text=commitment.text if commitment else str(case.item_snapshot.get("commitment_text") or ""),
        findings=check.findings,
        licenses_revoked=revoked,
        recorded_at=dates.now(),
        recorded_by=actor,
    )
    return revoked


def _tell(check: PostCheck, revoked: list[str]) -> None:
    case = check.case
    if check.status == PostCheckStatus.PASSED:
        subject = _("Post-check passed")
        body = _("The post-check of your application %(number)s found your commitment true. Nothing more is needed.")
    else:
        subject = _("Post-check failed: result revoked")
        body = _(
            "The post-check of your application %(number)s found your commitment untrue. Its result is revoked "
            "and the false commitment is kept on your record. You can ask for an administrative review."
        )
    notify(
        recipient_id=case.applicant_id,
        subject=subject,
        body=body % {"number": case.number},
        link=f"/cases/{case.pk}/",
        topic=f"case:{case.number}",
    )


def commitment_record(*, applicant_id: int) -> list[CommitmentBreach]:
    """False commitments on an applicant's record, the latest first (callers scope who may read it)."""
    return list(CommitmentBreach.objects.filter(applicant_id=applicant_id).select_related("case"))


def commitment_record_for_case(user: User, case_id: int) -> tuple[Case, list[CommitmentBreach]]:
    """For staff handling a case: the applicant's false commitments on earlier cases (any department)."""
    case = Case.objects.filter(pk=case_id).select_related("applicant").first()
    if case is None or not roles_on(case, user) - {Role.APPLICANT}:
        raise NotFound(_("No such case."))
    return case, [b for b in commitment_record(applicant_id=case.applicant_id) if b.case_id != case.pk]
