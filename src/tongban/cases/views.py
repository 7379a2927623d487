"""Case pages: the applicant's (apply, draft, receipt, my cases, case, public status link) and the staff's
(case page with its actions, window intake), which the workbench mounts under /workbench/.

Thin on purpose: a form parses the input, one service does the change, and a refusal's ``fields`` go back
next to the fields. Applicant pages answer 404 to anyone but the applicant (or their agent), staff pages to
anyone outside the case's department scope, so a case's existence never leaks.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tongban.cases import commitments, forms, links, provision, selectors, services
from tongban.cases.access import applicant_case, request_user, staff_only, status_link
from tongban.cases.models import Case, CaseMaterial, Stage
from tongban.cases.roles import roles_on
from tongban.cases.workflow import Role
from tongban.catalog.public import item_info
from tongban.common.public import Conflict, DomainError, NotFound, formschema
from tongban.identity.public import StaffRole, User, person_confirm_in_person, person_find, person_view_for, staff_scope

ACTION_LABELS = {
    "submit": gettext_lazy("Application submitted"),
    "accept": gettext_lazy("Accepted; the time limit started"),
    "refuse_acceptance": gettext_lazy("Not accepted"),
    "request_supplement": gettext_lazy("Supplement requested (补正)"),
    "supply": gettext_lazy("Supplement provided"),
    "forward": gettext_lazy("Passed to the next stage"),
    "return": gettext_lazy("Sent back to the previous stage"),
    "reassign": gettext_lazy("Reassigned"),
    "approve": gettext_lazy("Approved"),
    "deny": gettext_lazy("Denied"),
    "suspend": gettext_lazy("Clock stopped"),
    "resume": gettext_lazy("Processing resumed"),
    "extend": gettext_lazy("Time limit extended"),
    "withdraw": gettext_lazy("Withdrawn by the applicant"),
    "release": gettext_lazy("Started: the earlier step of the bundle is done"),
    "cancel": gettext_lazy("Cancelled: an earlier step of the bundle was not approved"),
}
BUTTON_LABELS = {
    "accept": gettext_lazy("Accept"),
    "refuse_acceptance": gettext_lazy("Do not accept"),
    "request_supplement": gettext_lazy("Request supplement"),
    "forward": gettext_lazy("Forward to the next stage"),
    "return": gettext_lazy("Send back"),
    "approve": gettext_lazy("Approve"),
    "deny": gettext_lazy("Deny"),
    "suspend": gettext_lazy("Stop the clock"),
    "resume": gettext_lazy("Resume"),
    "extend": gettext_lazy("Extend the time limit"),
}
ROLE_LABELS: dict[str, Any] = {
    Role.APPLICANT: gettext_lazy("applicant"),
    Role.WINDOW_CLERK: gettext_lazy("service window"),
    Role.HANDLER: gettext_lazy("case handler"),
    Role.REVIEWER: gettext_lazy("reviewer"),
    Role.APPROVER: gettext_lazy("approver"),
    "platform": gettext_lazy("the platform"),
}
QUEUE_PAGE = 50


# --- helpers ----------------------------------------------------------------------------------------------
def _staff_case(user: User, case_id: int) -> Case:
    try:
        case = selectors.case_get_for(user, case_id)
    except NotFound as error:
        raise Http404 from error
    if not selectors.is_staff_on(case, user):
        raise Http404
    return case


def _stage_label(stage: str) -> str:
    return str(Stage(stage).label) if stage in Stage.values else stage


def _timeline(case: Case, *, for_public: bool = False) -> list[dict[str, Any]]:
    return [
        {
            "at": entry.at,
            "label": ACTION_LABELS.get(entry.action, entry.action),
            "stage": _stage_label(entry.to_stage),
            "by": ROLE_LABELS.get(entry.by_role, entry.by_role),
            "comment": entry.comment,
        }
        for entry in selectors.timeline(case, for_public=for_public)
    ]


def _progress(case: Case) -> list[dict[str, Any]]:
    """The parcel-style steps: submitted, each stage of the case's plan, closed; where the case is now."""
    steps = [Stage.SUBMITTED, *case.stage_plan, Stage.CLOSED]
    here = case.resume_stage if case.stage in (Stage.SUPPLEMENT, Stage.SUSPENDED) else case.stage
    current = steps.index(here) if here in steps else -1
    return [
        {"label": _stage_label(step), "done": i < current or case.stage == Stage.CLOSED, "current": i == current}
        for i, step in enumerate(steps)
    ]


def _clock(case: Case) -> dict[str, Any]:
    remaining = selectors.remaining_days(case)
    return {
        "remaining": remaining,
        "overdue": -remaining if remaining is not None and remaining < 0 else 0,
        "stopped": case.suspended_since is not None,
        "provisional": case.due_provisional,
    }


def _materials(case: Case, *, mode: str, errors: dict[int, str] | None = None) -> dict[str, Any]:
    """Context of ``cases/_materials.html``: the list in guide order, the live pre-check, and the controls."""
    rows = selectors.material_rows(case)
    if mode == "supplement":
        asked = {line.position for line in selectors.supplement_checklist(case)}
        rows = [row for row in rows if row.position in asked]
    errors = errors or {}
    checklist = selectors.supplement_checklist(case) if mode == "supplement" else []
    return {
        "case": case,
        "material_items": [{"row": row, "error": errors.get(row.position, "")} for row in rows],
        "missing_errors": bool(errors),
        "missing": services.case_precheck(case),
        "mode": mode,
        "checklist": checklist,
        "checklist_done": all(line.supplied_at for line in checklist),
        "supplement": selectors.open_supplement(case) if mode == "supplement" else None,
        "supply_form": forms.SupplyForm(initial={"expected_version": case.version}, prefix="supply"),
    }


def _material_errors(error: DomainError) -> dict[int, str]:
    return {
        int(field.removeprefix("material_")): str(text)
        for field, text in error.fields.items()
        if field.startswith("material_") and field.removeprefix("material_").isdigit()
    }


# --- applicant: apply, draft, materials, submit -------------------------------------------------------------
@login_required
def apply(request: HttpRequest, item_code: str) -> HttpResponse:
    """GET: what applying means, and any draft to resume. POST: open a new draft for the item."""
    user = request_user(request)
    try:
        info = item_info(code=item_code)
    except DomainError as error:
        raise Http404 from error
    if request.method == "POST":
        try:
            case = services.case_start(applicant=user, actor=user, item_code=item_code)
            services.case_prefill(case_id=case.pk, actor=user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            return redirect("cases:draft", case_id=case.pk)
    context = {"info": info, "draft": selectors.draft_for(user, item_code)}
    return render(request, "cases/apply.html", context)


def _application_form(request: HttpRequest, case: Case, user: User) -> django_forms.Form:
    """The item's own form where its guide has a schema; else the applicant's name and a statement."""
    schema = case.item_snapshot.get("form_schema") or {}
    if formschema.properties(schema):
        initial = {**{k: v for k, v in case.form_data.items() if k != "idempotency_key"}}
        initial["idempotency_key"] = uuid.uuid4().hex
        return forms.SchemaForm(request.POST or None, initial=initial, schema=schema, sources=case.form_sources)
    initial = {
        "applicant_name": case.form_data.get("applicant_name") or case.applicant.get_full_name(),
        "statement": case.form_data.get("statement", ""),
        "idempotency_key": uuid.uuid4().hex,
    }
    if not initial["applicant_name"]:
        initial["applicant_name"] = case.applicant.get_username()
    return forms.ApplicationForm(request.POST or None, initial=initial)


def _form_data(case: Case, form: django_forms.Form) -> dict[str, Any]:
    if isinstance(form, forms.SchemaForm):
        schema = case.item_snapshot.get("form_schema") or {}
        answers = {k: v for k, v in form.cleaned_data.items() if k != "idempotency_key"}
        return formschema.coerce(schema, answers)
    # The name comes from the applicant's account, never from what the browser sent.
    name = case.applicant.get_full_name() or case.applicant.get_username()
    return {"applicant_name": name, "statement": form.cleaned_data["statement"]}


def _format_problems(case: Case, form: django_forms.Form, data: dict[str, Any]) -> bool:
    """Show answers in the wrong format next to their fields when a draft is saved (what is merely missing waits
    for the pre-check, so a half-filled draft can be kept)."""
    schema = case.item_snapshot.get("form_schema") or {}
    filled = {k: v for k, v in data.items() if v not in (None, "")}
    found = {k: m for k, m in formschema.problems(schema, filled).items() if k in form.fields}
    for name, message in found.items():
        form.add_error(name, message)
    return bool(found)


def _precheck_errors(form: django_forms.Form, error: DomainError) -> None:
    """A refused submission: form answers go next to their fields (``form_<name>``), the rest to the summary."""
    for key, text in error.fields.items():
        name = key.removeprefix("form_")
        if name in form.fields and name != "idempotency_key":
            form.add_error(name, str(text).split(": ", 1)[-1])
    form.add_error(None, str(error.message))


def _submit(case: Case, actor: User, data: dict[str, Any], key: str) -> Case:
    """Save the form, then submit. A second click or a retry carries the same key and gets the same case."""
    # An earlier click may have submitted it already: case_submit then answers that case when the key matches.
    with contextlib.suppress(Conflict):
        services.case_update_form(case_id=case.pk, actor=actor, form_data=data)
    return services.case_submit(case_id=case.pk, actor=actor, idempotency_key=key or None)


@login_required
def draft(request: HttpRequest, case_id: int) -> HttpResponse:
    user = request_user(request)
    case = applicant_case(user, case_id)
    if case.stage != Stage.DRAFT and request.method != "POST":
        return redirect("cases:detail", case_id=case.pk)
    form = _application_form(request, case, user)
    material_errors: dict[int, str] = {}
    if request.method == "POST" and form.is_valid():
        data = _form_data(case, form)
        try:
            if _format_problems(case, form, data):
                raise DomainError(_("Some answers are not in the right format; each field says how to fix it."))
            if request.POST.get("action") == "submit":
                case = _submit(case, user, data, form.cleaned_data["idempotency_key"])
                return redirect("cases:receipt", case_id=case.pk)
            services.case_update_form(case_id=case.pk, actor=user, form_data=data)
        except DomainError as error:
            if error.fields:
                _precheck_errors(form, error)
            elif not form.errors:
                form.add_error(None, str(error.message))
            material_errors = _material_errors(error)
        else:
            messages.success(request, _("Your draft is saved. You can come back to it from “My cases”."))
            return redirect("cases:draft", case_id=case.pk)
    elif request.method != "POST":
        services.case_provide_automatically(case_id=case.pk, actor=user)  # held e-licenses, shared data
    case.refresh_from_db()
    context = {"case": case, "form": form, **_materials(case, mode="draft", errors=material_errors)}
    return render(request, "cases/draft.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def material(request: HttpRequest, case_id: int, position: int) -> HttpResponse:
    """Provide one material (upload or commitment); htmx gets the refreshed list and pre-check back."""
    user = request_user(request)
    case = applicant_case(user, case_id)
    return _attach(request, user, case, position, mode="supplement" if case.stage == Stage.SUPPLEMENT else "draft")


def _attach(request: HttpRequest, user: User, case: Case, position: int, *, mode: str) -> HttpResponse:
    form = forms.MaterialForm(request.POST, request.FILES)
    errors: dict[int, str] = {}
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if form.cleaned_data["source"] == CaseMaterial.Source.COMMITMENT and case.item_snapshot.get(
                "commitment_text"
            ):
                # 告知承诺: the item's commitment is signed (time and identity kept) for every proof it replaces.
                commitments.commitment_sign(case_id=case.pk, actor=user)
            else:
                services.case_attach_material(
                    case_id=case.pk,
                    actor=user,
                    position=position,
                    source=form.cleaned_data["source"],
                    content=upload.read() if upload else b"",
                    filename=upload.name if upload else "",
                )
        except DomainError as error:
            errors[position] = " ".join(str(t) for t in error.fields.values()) or str(error.message)
    else:
        errors[position] = " ".join(str(e) for field in form.errors.values() for e in field)
    case.refresh_from_db()
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "cases/_materials.html", _materials(case, mode=mode, errors=errors))
    if errors:
        messages.error(request, errors[position])
    else:
        messages.success(request, _("The material was added."))
    target = {"draft": "cases:draft", "supplement": "cases:detail", "intake": "workbench:intake_case"}[mode]
    return redirect(target, case_id=case.pk)


@login_required
def material_file(request: HttpRequest, case_id: int, position: int) -> FileResponse:
    user = request_user(request)
    applicant_case(user, case_id)
    return _file(user, case_id, position)


def _file(user: User, case_id: int, position: int) -> FileResponse:
    try:
        found: CaseMaterial = selectors.case_material_for(user, case_id, position)
    except NotFound as error:
        raise Http404 from error
    extension = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png", "application/json": ".json"}
    extension_of = extension.get(found.content_type, "")
    name = f"{found.case_id}-{position}{extension_of}"
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=name, content_type=found.content_type)


# --- applicant: receipt, my cases, the case, the status link ---------------------------------------------
@login_required
def receipt(request: HttpRequest, case_id: int) -> HttpResponse:
    case = applicant_case(request_user(request), case_id)
    if case.stage == Stage.DRAFT:
        return redirect("cases:draft", case_id=case.pk)
    context = {"case": case, "status_link": status_link(request, case)}
    return render(request, "cases/receipt.html", context)


@login_required
def my_cases(request: HttpRequest) -> HttpResponse:
    rows = [{"case": c, **_clock(c)} for c in selectors.my_cases(request_user(request), limit=100)]
    return render(request, "cases/my_cases.html", {"rows": rows})


@login_required
def detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """The applicant's case: timeline, stage, clock, what is needed now (补正), the outcome, withdraw."""
    user = request_user(request)
    case = applicant_case(user, case_id)
    if case.stage == Stage.DRAFT:
        return redirect("cases:draft", case_id=case.pk)
    errors: dict[int, str] = {}
    if request.method == "POST":
        action = request.POST.get("action")
        bound: forms.VersionForm = (
            forms.WithdrawForm(request.POST, prefix="withdraw")
            if action == "withdraw"
            else forms.SupplyForm(request.POST, prefix="supply")
        )
        if not bound.is_valid():
            return HttpResponseBadRequest()
        try:
            if action == "withdraw":
                services.case_withdraw(
                    case_id=case.pk,
                    actor=user,
                    expected_version=bound.cleaned_data["expected_version"],
                    comment=bound.cleaned_data["comment"],
                )
                messages.success(request, _("Your application was withdrawn."))
            else:
                services.case_supply(
                    case_id=case.pk, actor=user, expected_version=bound.cleaned_data["expected_version"]
                )
                messages.success(request, _("Thank you. Your application continues; the time limit runs again."))
        except DomainError as error:
            messages.error(request, error.message)
            errors = _material_errors(error)
        else:
            return redirect("cases:detail", case_id=case.pk)
        case.refresh_from_db()
    return render(request, "cases/detail.html", _detail_context(request, case, user, errors))


def _detail_context(request: HttpRequest, case: Case, user: User, errors: dict[int, str]) -> dict[str, Any]:
    actions = selectors.available_actions(case, user)
    supplement = selectors.open_supplement(case)
    return {
        "case": case,
        "timeline": _timeline(case),
        "progress": _progress(case),
        "clock": _clock(case),
        "supplement": supplement,
        "materials": _materials(case, mode="supplement", errors=errors) if supplement else None,
        "can_withdraw": "withdraw" in actions,
        "withdraw_form": forms.WithdrawForm(initial={"expected_version": case.version}, prefix="withdraw"),
        "status_link": status_link(request, case),
        "refusal_checklist": _refusal_checklist(case),
    }


def _refusal_checklist(case: Case) -> list[str]:
    """不予受理 comes with what would make the application acceptable: show it with the reasons."""
    if case.outcome != "not_accepted":
        return []
    event = case.events.filter(action="refuse_acceptance").order_by("-at").first()
    lines = event.data.get("checklist", []) if event else []
    return [str(line.get("name", "")) for line in lines if isinstance(line, dict)]


def status(request: HttpRequest, token: str) -> HttpResponse:
    """The signed public status link: stage and timeline, no names, no comments, no reasons."""
    case_id = links.case_id_from_token(token)
    case = selectors.case_for_status_link(case_id) if case_id is not None else None
    if case is None:
        raise Http404
    context = {
        "case": case,
        "timeline": _timeline(case, for_public=True),
        "progress": _progress(case),
        "clock": _clock(case),
    }
    response = render(request, "cases/status.html", context)
    response["Referrer-Policy"] = "no-referrer"  # the token must not leak to linked sites
    response["X-Robots-Tag"] = "noindex"
    return response


# --- staff: the case page and its actions ------------------------------------------------------------------
def _action_form(action: str, case: Case, data: Any = None) -> django_forms.Form:
    """Each action's form has its own prefix, so the many forms on one page never share an id."""
    initial = {"expected_version": case.version}
    if action == "request_supplement":
        materials = [(row.position, row.name) for row in selectors.material_rows(case)]
        return forms.SupplementForm(data, materials=materials, initial=initial, prefix=action)
    return forms.ACTION_FORMS[action](data, initial=initial, prefix=action)


def _perform(action: str, case: Case, actor: User, form: Any) -> Case:
    data = form.cleaned_data
    common = {"case_id": case.pk, "actor": actor, "expected_version": data["expected_version"]}
    calls: dict[str, Callable[[], Case]] = {
        "accept": lambda: services.case_accept(**common, comment=data["comment"]),
        "refuse_acceptance": lambda: services.case_refuse_acceptance(
            **common, reasons=data["reasons"], checklist=form.checklist_lines()
        ),
        "request_supplement": lambda: services.case_request_supplement(
            **common, reason=data["reason"], checklist=form.checklist_lines()
        ),
        "forward": lambda: services.case_forward(**common, comment=data["comment"]),
        "return": lambda: services.case_return(**common, comment=data["comment"]),
        "approve": lambda: services.case_approve(**common, comment=data["comment"]),
        "deny": lambda: services.case_deny(**common, legal_reasons=data["legal_reasons"]),
        "suspend": lambda: services.case_suspend(**common, kind=data["kind"], reason=data["reason"]),
        "resume": lambda: services.case_resume(**common, comment=data["comment"]),
        "extend": lambda: services.case_extend(**common, days=data["days"], reason=data["reason"]),
    }
    return calls[action]()


@login_required(login_url="workbench:login")
@staff_only
def staff_case(request: HttpRequest, case_id: int) -> HttpResponse:
    user = request_user(request)
    case = _staff_case(user, case_id)
    bound: dict[str, Any] = {}
    conflict = ""
    status_code = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in forms.ACTION_FORMS:
            return HttpResponseBadRequest()
        form = _action_form(action, case, request.POST)
        if form.is_valid():
            try:
                _perform(action, case, user, form)
            except Conflict as error:
                conflict, status_code = str(error.message), 409
                case.refresh_from_db()
                fresh = request.POST.copy()  # keep what the officer typed, against the version now shown
                fresh[f"{action}-expected_version"] = str(case.version)
                bound[action] = _action_form(action, case, fresh)
            except DomainError as error:
                forms.add_errors(form, error)
                bound[action], status_code = form, 400
            else:
                messages.success(request, _("Done: %(action)s.") % {"action": BUTTON_LABELS[action]})
                return redirect("workbench:case", case_id=case.pk)
        else:
            bound[action], status_code = form, 400
    context = _staff_context(case, user, bound, conflict)
    return render(request, "cases/staff_case.html", context, status=status_code)


def _staff_context(case: Case, user: User, bound: dict[str, Any], conflict: str) -> dict[str, Any]:
    actions = [a for a in selectors.available_actions(case, user) if a in forms.ACTION_FORMS]
    action_forms = [
        {"action": a, "label": BUTTON_LABELS[a], "form": bound.get(a) or _action_form(a, case)} for a in actions
    ]
    return {
        "case": case,
        "applicant": case.applicant,
        "materials": [{"row": row, "proof": _proof(row)} for row in selectors.material_rows(case)],
        "answers": _answers(case),
        "false_commitments": len(commitments.commitment_record(applicant_id=case.applicant_id)),
        "timeline": _timeline(case),
        "progress": _progress(case),
        "clock": _clock(case),
        "suspensions": list(case.suspensions.all()),
        "checklist": selectors.supplement_checklist(case),
        "action_forms": action_forms,
        "open_action": next(iter(bound), ""),
        "conflict": conflict,
        "refusal_checklist": _refusal_checklist(case),
    }


def _proof(row: selectors.MaterialRow) -> dict[str, Any]:
    """An e-license verified now, or the shared-data record kept with the case, for the officer's eyes."""
    return provision.proof_of(row.provided) if row.provided is not None else {}


def _answers(case: Case) -> list[dict[str, Any]]:
    """The application form's answers under their titles, with where a pre-filled answer came from."""
    schema = case.item_snapshot.get("form_schema") or {}
    titles = {name: spec.get("title") or name for name, spec in formschema.properties(schema).items()}
    if not titles:
        return []
    return [
        {
            "label": titles[name],
            "value": case.form_data.get(name, ""),
            "source": provision.source_label(case.form_sources[name], for_applicant=False)
            if name in case.form_sources
            else "",
        }
        for name in titles
    ]


@login_required(login_url="workbench:login")
@staff_only
def staff_material_file(request: HttpRequest, case_id: int, position: int) -> FileResponse:
    user = request_user(request)
    _staff_case(user, case_id)
    return _file(user, case_id, position)


# --- staff: window intake (一窗受理) -----------------------------------------------------------------------
def _require_clerk(user: User) -> None:
    if StaffRole.WINDOW_CLERK not in staff_scope(user).roles:
        raise Http404


@login_required(login_url="workbench:login")
@staff_only
def intake(request: HttpRequest) -> HttpResponse:
    """Find the walk-in applicant by phone or ID number, then open the application for them. Both steps
    POST, so a phone or ID number never lands in a URL, a browser history or an access log."""
    clerk = request_user(request)
    _require_clerk(clerk)
    posted = request.POST if request.method == "POST" else None
    starting = posted is not None and posted.get("action") == "start"
    search = forms.PersonSearchForm(posted if not starting else None, prefix="find")
    start = forms.IntakeStartForm(posted if starting else None, prefix="start")
    person = None
    if search.is_valid():
        person = person_find(phone_or_id=search.cleaned_data["phone_or_id"])
        if person is None:
            search.add_error(
                "phone_or_id",
                _("Nobody is registered with this number. Check it, or help the applicant register first."),
            )
        else:
            start = forms.IntakeStartForm(initial={"phone_or_id": search.cleaned_data["phone_or_id"]}, prefix="start")
    if start.is_valid():
        person = person_find(phone_or_id=start.cleaned_data["phone_or_id"])
        case = _intake_start(clerk, person, start)
        if case is not None:
            return redirect("workbench:intake_case", case_id=case.pk)
    view = person_view_for(clerk, person.user_id) if person is not None else None
    context = {"search": search, "start": start, "person": view}
    return render(request, "cases/intake.html", context, status=400 if start.errors or search.errors else 200)


def _intake_start(clerk: User, person: Any, form: forms.IntakeStartForm) -> Case | None:
    if person is None:
        form.add_error("phone_or_id", _("Nobody is registered with this number."))
        return None
    if not form.cleaned_data["identity_checked"]:
        form.add_error("identity_checked", _("Check the resident ID card in person before applying for someone."))
        return None
    try:
        with transaction.atomic():
            # The clerk has just seen the person and their ID card: real-name level L3 (identity records it).
            person_confirm_in_person(clerk=clerk, person_user=person.user)
            case = services.case_start(
                applicant=person.user, actor=clerk, item_code=form.cleaned_data["item_code"].strip(), channel="window"
            )
        return services.case_prefill(case_id=case.pk, actor=clerk)
    except DomainError as error:
        form.add_error("item_code", _("No published item has this code, or its department is not set up."))
        form.add_error(None, str(error.message))
        return None


@login_required(login_url="workbench:login")
@staff_only
def intake_case(request: HttpRequest, case_id: int) -> HttpResponse:
    """The walk-in's application: verified copies, the form, then submit and accept on the spot."""
    clerk = request_user(request)
    _require_clerk(clerk)
    case = _staff_case(clerk, case_id)
    if case.stage != Stage.DRAFT or Role.WINDOW_CLERK not in roles_on(case, clerk):
        return redirect("workbench:case", case_id=case.pk)
    form = _application_form(request, case, clerk)
    if "applicant_name" in form.fields:
        form.fields["applicant_name"].help_text = _("From the applicant's real-name account.")
    errors: dict[int, str] = {}
    if request.method != "POST":
        services.case_provide_automatically(case_id=case.pk, actor=clerk)  # the applicant's e-licenses, shared data
    if request.method == "POST" and form.is_valid():
        try:
            data = _form_data(case, form)
            if _format_problems(case, form, data):
                raise DomainError(_("Some answers are not in the right format; each field says how to fix it."))
            case = _submit(case, clerk, data, form.cleaned_data["idempotency_key"])
            if case.stage == Stage.SUBMITTED:
                case = services.case_accept(case_id=case.pk, actor=clerk, expected_version=case.version)
        except DomainError as error:
            if error.fields:
                _precheck_errors(form, error)
            elif not form.errors:
                form.add_error(None, str(error.message))
            errors = _material_errors(error)
        else:
            messages.success(
                request, _("Case %(number)s is accepted. Give the applicant the receipt.") % {"number": case.number}
            )
            return redirect("workbench:case", case_id=case.pk)
    case.refresh_from_db()
    context = {"case": case, "form": form, **_materials(case, mode="intake", errors=errors)}
    return render(request, "cases/intake_case.html", context, status=400 if form.errors else 200)


@require_POST
@login_required(login_url="workbench:login")
@staff_only
def intake_material(request: HttpRequest, case_id: int, position: int) -> HttpResponse:
    clerk = request_user(request)
    _require_clerk(clerk)
    return _attach(request, clerk, _staff_case(clerk, case_id), position, mode="intake")
