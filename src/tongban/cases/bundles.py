"""一件事: one application for a bundle of items (GB/T 45836-2025), processed by their departments in parallel.

An applicant fills **one form** (each answer the items share asked once, then what only one item asks),
provides **one set of materials** (a material several items list is handed in once and attached to every child
that lists it), passes **one pre-check** across all items and submits **once** (an idempotency key makes a retry
answer the first application). That creates a :class:`BundleCase` parent and one ordinary child :class:`Case`
per step, in one transaction.

Children of the bundle's first stage go to their departments at once, in parallel, each with its own legal
clock (a 补正 on one stops only that one). Children of a later stage wait (stage ``waiting``) until every child of
the stage before is approved, because they need its result (e.g. the business licence for the food permit); the
platform then releases them with that result attached (:mod:`tongban.cases.aftercare`). The parent completes
once, when the last child is decided, with all results listed together and one message.

The saving is computed from the catalog when the bundle is shown and stored with the application: materials
and working days if each item were applied for on its own, one after another (sum of materials, sum of the
promised — else statutory — days), against the bundle (materials de-duplicated by name; days along the longest
chain: the slowest item of each stage, stages one after another).
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from tongban.cases import commitments, dates, services
from tongban.cases.history import append_history, audit_case, next_case_number
from tongban.cases.models import BundleCase, Case, Stage
from tongban.cases.roles import roles_on
from tongban.cases.workflow import Role
from tongban.catalog.public import ItemInfo, bundle_entries, bundle_info, items_info
from tongban.common.public import Conflict, DomainError, NotFound, formschema, log_event, notify, record_audit
from tongban.identity.public import User, staff_scope
from tongban.licenses.public import license_types_for_item

logger = logging.getLogger(__name__)


# --- The plan: what one bundle application asks for ------------------------------------------------------------
@dataclass(frozen=True)
class StepPlan:
    index: int  # 1-based, in bundle order (stage, position)
    code: str
    name: str
    stage: int
    department_name: str
    info: ItemInfo


@dataclass(frozen=True)
class FieldPlan:
    name: str  # the field in the bundle form: the property name, or "<property>__<step>" when items differ
    prop: str  # the property in each child's form
    steps: tuple[int, ...]
    spec: dict[str, Any]


@dataclass(frozen=True)
class MaterialPlan:
    key: int  # 1-based, in first-seen order
    name: str
    required: bool
    positions: dict[int, int]  # step index → the material's position in that item's guide
    substitute: str  # "" | "e_license" | "shared_data" | "commitment" (the first step's)
    from_step: str  # the item of an earlier stage whose result provides it for later steps, or ""
    commitment_steps: tuple[int, ...]  # steps where a signed commitment replaces it

    @property
    def item_count(self) -> int:
        return len(self.positions)


@dataclass(frozen=True)
class Saving:
    materials_before: int
    materials_after: int
    days_before: int
    days_after: int
    statutory_days_before: int
    statutory_days_after: int
    visits_before: int
    visits_after: int
    shared_materials: list[str] = field(default_factory=list)

    @property
    def materials_saved(self) -> int:
        return self.materials_before - self.materials_after

    @property
    def days_saved(self) -> int:
        return self.days_before - self.days_after


@dataclass(frozen=True)
class BundlePlan:
    slug: str
    name: str
    summary: str
    is_demo: bool
    steps: tuple[StepPlan, ...]
    fields: tuple[FieldPlan, ...]
    materials: tuple[MaterialPlan, ...]
    schema: dict[str, Any]
    saving: Saving

    @property
    def commitment_steps(self) -> list[StepPlan]:
        return [s for s in self.steps if s.info.commitment_text]

    @property
    def stages(self) -> list[tuple[int, list[StepPlan]]]:
        found: dict[int, list[StepPlan]] = {}
        for step in self.steps:
            found.setdefault(step.stage, []).append(step)
        return sorted(found.items())


def _days(info: ItemInfo, *, statutory: bool = False) -> int:
    days = info.statutory_limit_days if statutory else info.promised_limit_days
    if days is None and not statutory:
        days = info.statutory_limit_days
    return days or 0  # none published, or 即办: an estimate counts nothing, never a legal deadline


def _longest_chain(steps: tuple[StepPlan, ...], *, statutory: bool = False) -> int:
    """Stages one after another, the items of a stage in parallel: the sum of each stage's slowest item."""
    slowest: dict[int, int] = {}
    for step in steps:
        slowest[step.stage] = max(slowest.get(step.stage, 0), _days(step.info, statutory=statutory))
    return sum(slowest.values())


def saving_of(steps: tuple[StepPlan, ...], materials: tuple[MaterialPlan, ...]) -> Saving:
    return Saving(
        materials_before=sum(len(s.info.materials) for s in steps),
        materials_after=len(materials),
        days_before=sum(_days(s.info) for s in steps),
        days_after=_longest_chain(steps),
        statutory_days_before=sum(_days(s.info, statutory=True) for s in steps),
        statutory_days_after=_longest_chain(steps, statutory=True),
        visits_before=len(steps),
        visits_after=1 if steps else 0,
        shared_materials=[m.name for m in materials if m.item_count > 1],
    )


def bundle_plan(*, slug: str) -> BundlePlan:
    """The bundle's one form, one material list and its saving, from the catalog; raises NotFound."""
    bundle = bundle_info(slug=slug)
    infos = items_info(codes=[s.code for s in bundle.steps])
    if not bundle.steps or any(s.code not in infos for s in bundle.steps):
        raise NotFound(_("This bundle lists a service that is not published just now."), code="bundle_incomplete")
    steps = tuple(
        StepPlan(i, s.code, infos[s.code].name, s.stage, infos[s.code].department_name, infos[s.code])
        for i, s in enumerate(bundle.steps, start=1)
    )
    fields = _fields(steps, bundle.shared_fields)
    schema = {
        "type": "object",
        "properties": {f.name: f.spec for f in fields},
        "required": [f.name for f in fields if _required_somewhere(f, steps)],
    }
    materials = _materials(steps)
    return BundlePlan(
        slug=bundle.slug,
        name=bundle.name,
        summary=bundle.summary,
        is_demo=bundle.is_demo,
        steps=steps,
        fields=fields,
        materials=materials,
        schema=schema,
        saving=saving_of(steps, materials),
    )


def _required_somewhere(plan: FieldPlan, steps: tuple[StepPlan, ...]) -> bool:
    return any(plan.prop in formschema.required(steps[i - 1].info.form_schema) for i in plan.steps)


def _fields(steps: tuple[StepPlan, ...], shared_titles: tuple[str, ...]) -> tuple[FieldPlan, ...]:
    """A property every item asking it defines the same way is asked once; one they define differently is asked
    per item, its title naming the item. Shared answers come first (the bundle's own order of titles first)."""
    seen: dict[str, list[tuple[StepPlan, dict[str, Any]]]] = {}
    for step in steps:
        for prop, spec in formschema.properties(step.info.form_schema).items():
            seen.setdefault(prop, []).append((step, spec))
    shared: list[FieldPlan] = []
    own: list[FieldPlan] = []
    for prop, uses in seen.items():
        if all(spec == uses[0][1] for _step, spec in uses):
            target = shared if len(uses) > 1 else own
            target.append(FieldPlan(prop, prop, tuple(s.index for s, _spec in uses), dict(uses[0][1])))
            continue
        for step, spec in uses:
            title = f"{spec.get('title') or prop}（{step.name}）"
            own.append(FieldPlan(f"{prop}__{step.index}", prop, (step.index,), {**spec, "title": title}))
    order = {title: n for n, title in enumerate(shared_titles)}
    shared.sort(key=lambda f: order.get(str(f.spec.get("title", "")), len(order)))
    return tuple(shared + own)


def _produced_by(step: StepPlan) -> set[str]:
    """Material names and codes that the e-licenses issued for this step's item replace."""
    names: set[str] = set()
    for kind in license_types_for_item(step.code):
        names.update(str(n) for n in kind.replaces_materials or ())
        names.add(kind.code)
    return names


def _materials(steps: tuple[StepPlan, ...]) -> tuple[MaterialPlan, ...]:
    produced = {s.index: _produced_by(s) for s in steps}
    rows: dict[str, dict[str, Any]] = {}
    for step in steps:
        for material in step.info.materials:
            row = rows.setdefault(
                material.name,
                {"required": False, "positions": {}, "substitute": material.substitute, "from": "", "commit": []},
            )
            row["required"] = row["required"] or material.requirement == "required"
            row["positions"][step.index] = material.position
            if material.substitute == "commitment" and step.info.commitment_text:
                row["commit"].append(step.index)
            source = next(
                (
                    earlier
                    for earlier in steps
                    if earlier.stage < step.stage and {material.name, material.substitute_ref} & produced[earlier.index]
                ),
                None,
            )
            if source is not None and not row["from"]:
                row["from"] = source.name
    return tuple(
        MaterialPlan(n, name, row["required"], row["positions"], row["substitute"], row["from"], tuple(row["commit"]))
        for n, (name, row) in enumerate(rows.items(), start=1)
    )


# --- Applying: one transaction --------------------------------------------------------------------------------
def bundle_apply(
    *,
    applicant: User,
    actor: User,
    slug: str,
    form_data: dict[str, Any],
    materials: list[dict[str, Any]],
    commit_for: list[str],
    idempotency_key: str,
    channel: str = "online",
) -> tuple[BundleCase, bool]:
    """Create the parent and its children, copy the shared answers, attach each material to every child that
    lists it, sign the commitments asked for, pre-check everything at once and submit — all or nothing.

    ``materials``: ``[{"key": <MaterialPlan.key>, "source": "upload", "content": bytes, "filename": str}]``;
    ``commit_for``: item codes whose commitment the applicant signs (告知承诺). Returns (bundle, created); a
    retry with the same key answers the first bundle and creates nothing."""
    if not idempotency_key:
        raise DomainError(_("The application has no idempotency key."), fields={"idempotency_key": _("Required.")})
    existing = BundleCase.objects.filter(submitted_by=actor, idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing, False
    plan = bundle_plan(slug=slug)
    answers = formschema.coerce(plan.schema, form_data)
    try:
        with transaction.atomic():
            parent = _create(plan, applicant, actor, channel, idempotency_key, answers)
            children = _children(plan, parent, applicant, actor, channel, answers)
            _attach(plan, children, actor, materials)
            for step in plan.commitment_steps:
                if step.code in commit_for:
                    commitments.commitment_sign(case_id=children[step.index].pk, actor=actor)
            _precheck(plan, children, actor)
            _submit(plan, parent, children, actor)
    except IntegrityError as exc:  # the same key raced in from a second request: answer the first bundle
        existing = BundleCase.objects.filter(submitted_by=actor, idempotency_key=idempotency_key).first()
        if existing is None:
            raise Conflict(_("The application could not be stored; please try again.")) from exc
        return existing, False
    log_event(logger, "bundle_submitted", bundle_id=parent.pk, slug=slug, children=len(children))
    return parent, True


def _create(
    plan: BundlePlan, applicant: User, actor: User, channel: str, key: str, answers: dict[str, Any]
) -> BundleCase:
    first = plan.steps[0].info
    return BundleCase.objects.create(
        number=f"YJS-{next_case_number(first.region_code, dates.today())}",
        slug=plan.slug,
        name=plan.name,
        region_code=first.region_code,
        applicant=applicant,
        submitted_by=actor,
        channel=channel,
        idempotency_key=key,
        form_data=answers,
        saving=asdict(plan.saving),
        steps=[{"code": s.code, "name": s.name, "stage": s.stage, "department": s.department_name} for s in plan.steps],
    )


def _children(
    plan: BundlePlan, parent: BundleCase, applicant: User, actor: User, channel: str, answers: dict[str, Any]
) -> dict[int, Case]:
    children: dict[int, Case] = {}
    for step in plan.steps:
        case = services.case_start(applicant=applicant, actor=actor, item_code=step.code, channel=channel)
        Case.objects.filter(pk=case.pk).update(parent=parent, bundle_stage=step.stage)
        own = {f.prop: answers[f.name] for f in plan.fields if step.index in f.steps and f.name in answers}
        if own:
            services.case_update_form(case_id=case.pk, actor=actor, form_data=own)
        children[step.index] = case
    return children


def _attach(plan: BundlePlan, children: dict[int, Case], actor: User, materials: list[dict[str, Any]]) -> None:
    by_key = {m.key: m for m in plan.materials}
    for given in materials:
        listed = by_key.get(int(given.get("key", 0)))
        if listed is None:
            raise DomainError(_("This bundle lists no such material."), fields={"materials": _("Unknown material.")})
        for step_index, position in listed.positions.items():
            services.case_attach_material(
                case_id=children[step_index].pk,
                actor=actor,
                position=position,
                source=str(given.get("source") or "upload"),
                content=given.get("content") or b"",
                filename=str(given.get("filename") or ""),
            )


def _precheck(plan: BundlePlan, children: dict[int, Case], actor: User) -> None:
    """One pre-check across all children, in the bundle's own terms: its form fields and its material list. A
    material a later step gets from an earlier step's result is not asked for."""
    field_of = {(step, f.prop): f for f in plan.fields for step in f.steps}
    material_of = {(step, pos): m for m in plan.materials for step, pos in m.positions.items()}
    fields: dict[str, str] = {}
    for step in plan.steps:
        services.case_provide_automatically(case_id=children[step.index].pk, actor=actor)
        child = Case.objects.select_related("snapshot").get(pk=children[step.index].pk)
        for missing in services.case_precheck(child):
            kind, _sep, name = missing.field.partition("_")
            if kind == "form" and (step.index, name) in field_of:
                wanted = field_of[(step.index, name)]
                fields.setdefault(f"form_{wanted.name}", f"{wanted.spec.get('title') or name}: {missing.hint}")
            elif kind == "material" and name.isdigit() and (step.index, int(name)) in material_of:
                listed = material_of[(step.index, int(name))]
                if listed.from_step:
                    continue
                fields.setdefault(f"material_{listed.key}", f"{listed.name}: {missing.hint}")
            else:
                fields.setdefault(f"{missing.field}__{step.index}", f"{missing.label}: {missing.hint}")
    if fields:
        raise DomainError(
            _("Some things are still missing; the list shows each one."), fields=fields, code="precheck_failed"
        )


def _submit(plan: BundlePlan, parent: BundleCase, children: dict[int, Case], actor: User) -> None:
    first_stage = min(s.stage for s in plan.steps)
    for step in plan.steps:
        if step.stage == first_stage:
            services.case_submit(case_id=children[step.index].pk, actor=actor)
        else:
            _submit_waiting(children[step.index].pk, actor)
    parent.submitted_at = dates.now()
    parent.save(update_fields=["submitted_at"])
    record_audit(
        actor=actor,
        action="bundle.submitted",
        object_type="bundle_case",
        object_id=parent.pk,
        before=None,
        after={"number": parent.number, "slug": parent.slug, "children": [c.pk for c in children.values()]},
        region_code=parent.region_code,
    )
    notify(
        recipient_id=parent.applicant_id,
        subject=_("Application received"),
        body=_("Your application %(bundle)s (%(number)s) was received: %(count)d services, handled together.")
        % {"bundle": parent.name, "number": parent.number, "count": len(children)},
        link=f"/cases/bundles/{parent.pk}/",
        topic=f"bundle:{parent.number}",
    )


def _submit_waiting(case_id: int, actor: User) -> None:
    """A later step is received now (numbered, in the applicant's list) but waits for the earlier results."""
    case = Case.objects.select_for_update(of=("self",)).get(pk=case_id)
    if case.stage != Stage.DRAFT:
        raise Conflict(_("This application was already submitted."))
    case.stage = Stage.WAITING
    case.submitted_at = dates.now()
    case.version += 1
    case.number = next_case_number(case.region_code, dates.today())
    case.save()
    append_history(case, actor, Role.APPLICANT, "submit", Stage.DRAFT, Stage.WAITING)
    audit_case(case, actor, "case.submitted", None, {"stage": Stage.WAITING, "number": case.number})


# --- Reading -------------------------------------------------------------------------------------------------
def bundles_visible_to(user: User) -> QuerySet[BundleCase]:
    """Applicants see theirs (and those they submitted for others); staff those with a child in their scope."""
    own = Q(applicant_id=user.pk) | Q(submitted_by_id=user.pk)
    if not user.is_staff:
        return BundleCase.objects.filter(own)
    scope = staff_scope(user)
    if scope.everything:
        return BundleCase.objects.all()
    return BundleCase.objects.filter(own | Q(children__department_id__in=scope.department_ids)).distinct()


def my_bundles(user: User, *, limit: int = 50) -> list[BundleCase]:
    own = BundleCase.objects.filter(Q(applicant_id=user.pk) | Q(submitted_by_id=user.pk))
    return list(own.order_by("-created_at", "-id")[:limit])


def bundle_get_for(user: User, bundle_id: int) -> BundleCase:
    found = bundles_visible_to(user).filter(pk=bundle_id).first()
    if found is None:
        raise NotFound(_("No such application."))
    return found


def is_applicant_of(bundle: BundleCase, user: User) -> bool:
    return user.pk in (bundle.applicant_id, bundle.submitted_by_id) or any(
        Role.APPLICANT in roles_on(c, user) for c in bundle.children.all()[:1]
    )


@dataclass(frozen=True)
class Progress:
    children: list[Case]
    done: int
    total: int
    approved: int
    waiting: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def bundle_progress(bundle: BundleCase) -> Progress:
    children = list(bundle.children.select_related("department").order_by("bundle_stage", "pk"))
    return Progress(
        children=children,
        done=sum(1 for c in children if c.stage == Stage.CLOSED),
        total=len(children),
        approved=sum(1 for c in children if c.outcome == "approved"),
        waiting=sum(1 for c in children if c.stage == Stage.WAITING),
    )


def bundle_saving_figures(*, limit: int = 20) -> list[dict[str, Any]]:
    """Supervision: per bundle, its saving (from the catalog now) and how many applications used it."""
    rows = []
    for entry in bundle_entries()[:limit]:
        try:
            plan = bundle_plan(slug=entry.slug)
        except NotFound:
            continue
        rows.append(
            {
                "slug": entry.slug,
                "name": entry.name,
                "saving": plan.saving,
                "applications": BundleCase.objects.filter(slug=entry.slug, submitted_at__isnull=False).count(),
            }
        )
    return rows
