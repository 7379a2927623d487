"""Asking the applicant only for what the government does not already hold (两个免于提交), and issuing the result.

- A **held e-license** that a license type says replaces a listed material is attached by itself (trust level A)
  and recorded in the holder's usage log when the case is submitted; one that stopped being valid before
  submission is taken off again, so the pre-check asks for it.
- A material a **shared-data resource** proves (``substitute == "shared_data"``, ``substitute_ref`` = resource
  code) is fetched through the exchange with the platform's prefill consumer: the delivery is kept with the case
  as the proof (免提交), and the call appears on the applicant's "who used my data" page.
- Form answers are **prefilled** where the item's form schema names a source (``x-prefill``), with the source
  and time kept in ``Case.form_sources`` and shown next to the field.
- An **approved case** of an item that a license type is issued for gets its e-license, in the approving
  transaction (no approval without its result, no result without the approval).

These helpers read and compute; the writing services in :mod:`tongban.cases.services` lock the case and call them.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.cases.models import Case, CaseMaterial
from tongban.common.public import DomainError, formschema, log_event
from tongban.exchange.public import PREFILL_CONSUMER, Delivery, SubscriptionRequired, exchange_fetch, subject_for_person
from tongban.identity.public import User
from tongban.licenses.public import (
    License,
    license_attach,
    license_for_material,
    license_issue,
    license_types_for_item,
    license_valid_now,
    replaceable_material_keys,
)

logger = logging.getLogger(__name__)

IDENTITY_SOURCE = "identity"


@dataclass(frozen=True)
class Found:
    """One listed material that can be satisfied without the applicant: by a held license or a data delivery."""

    position: int
    name: str
    source: str  # CaseMaterial.Source.E_LICENSE | SHARED_DATA
    reference: str  # license number, or resource code
    license: License | None = None
    delivery: Delivery | None = None


# --- Materials ------------------------------------------------------------------------------------------------
def find_provisions(case: Case, *, shared_data: bool = True) -> tuple[list[Found], list[int]]:
    """What can be provided for the case's unprovided materials, and which e-license materials stopped being
    valid (their positions). Reads the applicant's wallet and, unless ``shared_data=False``, fetches shared data
    from department systems; writes nothing of the case."""
    provided = {m.position: m for m in case.materials.all()} if case.pk else {}  # not yet stored: none
    stale = [
        m.position
        for m in provided.values()
        if m.source == CaseMaterial.Source.E_LICENSE and license_valid_now(m.reference) is None
    ]
    keys = replaceable_material_keys()
    found: list[Found] = []
    for listed in case.item_snapshot.get("materials", []):
        position = listed["position"]
        if position in provided and position not in stale:
            continue
        held = _held_license(case, listed, keys)
        if held is not None:
            found.append(Found(position, listed["name"], CaseMaterial.Source.E_LICENSE, held.number, license=held))
            continue
        delivery = _shared_proof(case, listed) if shared_data else None
        if delivery is not None:
            source = CaseMaterial.Source.SHARED_DATA
            found.append(Found(position, listed["name"], source, delivery.resource_code, delivery=delivery))
    return found, stale


def _held_license(case: Case, listed: dict[str, Any], keys: frozenset[str]) -> License | None:
    candidates = [listed["name"]]
    if listed.get("substitute") == "e_license" and listed.get("substitute_ref"):
        candidates.insert(0, listed["substitute_ref"])
    for key in candidates:
        if key in keys:
            held = license_for_material(holder=case.applicant, material=key)
            if held is not None:
                return held
    return None


def _shared_proof(case: Case, listed: dict[str, Any]) -> Delivery | None:
    resource = listed.get("substitute_ref") or ""
    if listed.get("substitute") != "shared_data" or not resource:
        return None
    purpose = _("Exempt from submission (免提交): “%(material)s” for “%(item)s”") % {
        "material": listed["name"],
        "item": case.item_name,
    }
    delivery = _fetch(case.applicant, resource, purpose)
    return delivery if delivery is not None and delivery.delivered and delivery.data else None


def _fetch(person: User, resource: str, purpose: str) -> Delivery | None:
    try:
        return exchange_fetch(
            consumer=PREFILL_CONSUMER, resource=resource, subject=subject_for_person(person), purpose=purpose
        )
    except SubscriptionRequired:
        return None  # no approved subscription: the applicant provides the material themselves
    except DomainError as error:  # e.g. an unknown resource code in the catalog data
        log_event(logger, "case_shared_data_unavailable", resource=resource, code=error.code)
        return None


def store_provisions(
    case: Case, found: list[Found], stale: list[int], actor: User, *, fresh: bool = False
) -> list[CaseMaterial]:
    """Write what :func:`find_provisions` found. The caller holds the case's row lock and bumps its version;
    ``fresh``: the case was inserted in the caller's transaction, so it has no material yet."""
    if stale:
        CaseMaterial.objects.filter(case=case, position__in=stale, source=CaseMaterial.Source.E_LICENSE).delete()
    taken = set() if fresh else set(case.materials.values_list("position", flat=True))
    added = []
    for item in found:
        if item.position in taken:
            continue  # provided meanwhile by the applicant: theirs stands
        material = CaseMaterial(
            case=case,
            position=item.position,
            name=item.name,
            source=item.source,
            trust_level=CaseMaterial.TRUST[item.source],
            reference=item.reference[:200],
            added_by=actor,
        )
        if item.delivery is not None:
            proof = _proof_document(item.delivery)
            material.content_type, material.size = "application/json", len(proof)
            material.file.save(f"{case.pk}-{item.position}.json", ContentFile(proof), save=False)
        material.save()
        added.append(material)
    return added


def _proof_document(delivery: Delivery) -> bytes:
    """The delivered record as kept with the case: what, from whom, when, with the field labels."""
    document = {
        "resource": delivery.resource_code,
        "resource_name": delivery.resource_name,
        "provider": delivery.provider_name,
        "fetched_at": (delivery.fetched_at or timezone.now()).isoformat(),
        "fields": delivery.field_labels,
        "data": delivery.data,
    }
    return json.dumps(document, ensure_ascii=False, indent=2, default=str).encode()


def record_license_uses(case: Case, actor: User, found: list[Found] | None = None) -> int:
    """On submission: each attached e-license gets a line in its holder's usage log naming the case.
    ``found``: the case's materials are exactly these, just found valid (a case applied for at once)."""
    held_now: list[License | None]
    if found is not None:
        held_now = [item.license for item in found]
    else:
        references = case.materials.filter(source=CaseMaterial.Source.E_LICENSE).values_list("reference", flat=True)
        held_now = [license_valid_now(reference) for reference in references]
    count = 0
    for held in held_now:
        if held is not None:
            license_attach(license=held, case_ref=case.number or "", actor=actor)
            count += 1
    return count


def proof_of(material: CaseMaterial) -> dict[str, Any]:
    """What an officer sees of a material provided without the applicant: the license verified now, or the
    shared-data delivery kept with the case."""
    if material.source == CaseMaterial.Source.E_LICENSE:
        held = license_valid_now(material.reference)
        return {"kind": "license", "number": material.reference, "verified": held is not None}
    if material.source == CaseMaterial.Source.SHARED_DATA and material.file:
        with material.file.open("rb") as stream:
            document = json.loads(stream.read().decode())
        labels = document.get("fields") or {}
        rows = [(labels.get(k, k), v) for k, v in (document.get("data") or {}).items()]
        return {
            "kind": "shared_data",
            "provider": document.get("provider", ""),
            "at": local_minute(document.get("fetched_at", "")),
            "resource": document.get("resource_name", ""),
            "rows": rows,
        }
    return {}


def local_minute(moment: str) -> str:
    """A stored ISO timestamp as the reader's local date and minute (the deployment's time zone)."""
    try:
        parsed = datetime.fromisoformat(moment)
    except ValueError:
        return moment
    return timezone.localtime(parsed).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(parsed) else moment[:16]


def source_label(origin: dict[str, str], *, for_applicant: bool) -> str:
    """Where a pre-filled answer came from, in the reader's words."""
    if origin.get("source") == IDENTITY_SOURCE:
        return _("your real-name account") if for_applicant else _("the applicant's real-name account")
    return origin.get("provider", "")


# --- Prefill --------------------------------------------------------------------------------------------------
def prefill(case: Case) -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
    """Answers for the empty fields of the case's form that the schema says where to take from (``x-prefill``):
    ``identity.name`` from the real-name account, ``<resource>.<field>`` from shared data. Returns (answers,
    sources) — the source kept per field, to show the applicant where each answer came from and when."""
    schema = case.item_snapshot.get("form_schema") or {}
    wanted: dict[str, list[tuple[str, str]]] = {}
    answers: dict[str, Any] = {}
    sources: dict[str, dict[str, str]] = {}
    now = timezone.now().isoformat()
    for name, spec in formschema.properties(schema).items():
        origin = spec.get("x-prefill")
        if not isinstance(origin, str) or case.form_data.get(name) not in (None, ""):
            continue
        if origin == "identity.name":
            full_name = case.applicant.get_full_name()
            if full_name:
                answers[name] = full_name
                sources[name] = {"source": IDENTITY_SOURCE, "provider": "", "at": now}  # named where shown
            continue
        resource, _dot, field = origin.rpartition(".")
        if resource and field:
            wanted.setdefault(resource, []).append((name, field))
    for resource, fields in wanted.items():
        delivery = _fetch(case.applicant, resource, _("Pre-filling the form of “%(item)s”") % {"item": case.item_name})
        if delivery is None or not delivery.delivered or not delivery.data:
            continue
        at = (delivery.fetched_at or timezone.now()).isoformat()
        for name, field in fields:
            value = delivery.data.get(field)
            if value not in (None, ""):
                answers[name] = value if isinstance(value, str | int | float | bool) else str(value)
                sources[name] = {"source": resource, "provider": delivery.provider_name, "at": at}
    return answers, sources


# --- Results --------------------------------------------------------------------------------------------------
def issue_results(case: Case) -> dict[str, Any]:
    """Issue the e-licenses an approved case of this item produces, signed by the platform for the case
    (``actor=None`` with ``case_ref``). Fields are taken from the application by property name or title. A
    license that cannot be filled refuses the approval with the missing fields named, so nothing half-happens."""
    numbers = []
    for kind in license_types_for_item(case.item_code):
        if kind.holder_kind != "person":
            log_event(logger, "case_result_needs_hand_issuance", case_id=case.pk, license_type=kind.code)
            continue
        fields = _license_fields(kind.field_schema or {}, case)
        missing = {
            f"license_{name}": _("%(field)s is needed for the e-license.") % {"field": spec.get("title", name)}
            for name, spec in formschema.properties(kind.field_schema or {}).items()
            if name in formschema.required(kind.field_schema or {}) and fields.get(name) in (None, "")
        }
        if missing:
            raise DomainError(
                _("The e-license “%(name)s” cannot be issued: the application lacks what it needs.")
                % {"name": kind.name},
                fields=missing,
                code="license_fields_missing",
            )
        issued = license_issue(
            license_type=kind, holder=case.applicant, fields=fields, case_ref=case.number or "", actor=None
        )
        numbers.append(issued.number)
    return {"licenses": numbers} if numbers else {}


def _license_fields(schema: dict[str, Any], case: Case) -> dict[str, Any]:
    answers = case.form_data
    fields: dict[str, Any] = {}
    for name, spec in formschema.properties(schema).items():
        title = spec.get("title")
        value = answers.get(name)
        if value in (None, "") and isinstance(title, str):
            value = answers.get(title)
        if value not in (None, ""):
            fields[name] = value if spec.get("type", "string") != "string" else str(value)
    return fields
