"""Pages for 一件事 and 告知承诺: the applicant's bundle application and bundle page, their commitment record;
the officers' post-check queue and decision, and an applicant's record for staff handling a later case.

Thin like :mod:`tongban.cases.views`: a form parses, one service acts, a refusal's ``fields`` go back next to
the fields. Applicant pages answer 404 to anyone but the applicant; staff pages to anyone outside the scope.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongban.cases import bundles, commitments, forms, selectors
from tongban.cases.access import request_user, staff_only
from tongban.cases.models import BundleCase, PostCheck, PostCheckStatus, Stage
from tongban.common.public import DomainError, NotFound, formschema
from tongban.identity.public import User

MAX_FILE_FIELDS = 40


# --- applicant: apply for a bundle ------------------------------------------------------------------------------
def _material_rows(plan: bundles.BundlePlan, errors: dict[int, str]) -> list[dict[str, Any]]:
    hints = {
        "e_license": gettext_lazy("Taken from your e-licenses when you hold one; otherwise upload it."),
        "shared_data": gettext_lazy("Fetched from shared government data when it can be; otherwise upload it."),
    }
    return [
        {
            "material": m,
            "error": errors.get(m.key, ""),
            "used_by": [plan.steps[i - 1].name for i in m.positions],
            "hint": hints.get(m.substitute, ""),
        }
        for m in plan.materials
    ]


def _uploads(request: HttpRequest, plan: bundles.BundlePlan) -> list[dict[str, Any]]:
    given = []
    for material in plan.materials[:MAX_FILE_FIELDS]:
        upload = request.FILES.get(f"material_{material.key}")
        if upload is not None:
            given.append({"key": material.key, "source": "upload", "content": upload.read(), "filename": upload.name})
    return given


@login_required
def bundle_apply(request: HttpRequest, slug: str) -> HttpResponse:
    """One form, one material list, one submission for the whole bundle."""
    user = request_user(request)
    try:
        plan = bundles.bundle_plan(slug=slug)
    except NotFound as error:
        raise Http404 from error
    initial: dict[str, Any] = {"idempotency_key": uuid.uuid4().hex}
    full_name = user.get_full_name()
    for name, spec in formschema.properties(plan.schema).items():
        if spec.get("x-prefill") == "identity.name" and full_name:
            initial[name] = full_name
    form = forms.SchemaForm(request.POST or None, initial=initial, schema=plan.schema)
    material_errors: dict[int, str] = {}
    committed = request.POST.getlist("commit") if request.method == "POST" else []
    if request.method == "POST" and form.is_valid():
        answers = {k: v for k, v in form.cleaned_data.items() if k != "idempotency_key"}
        try:
            bundle, _created = bundles.bundle_apply(
                applicant=user,
                actor=user,
                slug=slug,
                form_data=answers,
                materials=_uploads(request, plan),
                commit_for=committed,
                idempotency_key=form.cleaned_data["idempotency_key"] or uuid.uuid4().hex,
            )
        except DomainError as error:
            material_errors = _errors(form, error)
        else:
            messages.success(request, _("Your application was received. Each department now handles its part."))
            return redirect("cases:bundle", bundle_id=bundle.pk)
    context = {
        "plan": plan,
        "form": form,
        "materials": _material_rows(plan, material_errors),
        "material_errors": material_errors,
        "committed": committed,
    }
    return render(request, "cases/bundle_apply.html", context, status=400 if form.errors else 200)


def _errors(form: django_forms.Form, error: DomainError) -> dict[int, str]:
    """Form answers next to their fields, materials next to theirs, everything else in the summary."""
    material_errors: dict[int, str] = {}
    for key, text in error.fields.items():
        kind, _sep, name = key.partition("_")
        if kind == "form" and name in form.fields:
            form.add_error(name, str(text).split(": ", 1)[-1])
        elif kind == "material" and name.isdigit():
            material_errors[int(name)] = str(text)
        else:
            form.add_error(None, str(text))
    form.add_error(None, str(error.message))
    return material_errors


# --- applicant: the bundle page, my bundles, my record ---------------------------------------------------------
def _bundle_for(user: User, bundle_id: int) -> BundleCase:
    try:
        bundle = bundles.bundle_get_for(user, bundle_id)
    except NotFound as error:
        raise Http404 from error
    if user.pk not in (bundle.applicant_id, bundle.submitted_by_id):
        raise Http404
    return bundle


def bundle_context(bundle: BundleCase) -> dict[str, Any]:
    progress = bundles.bundle_progress(bundle)
    rows = []
    for child in progress.children:
        remaining = selectors.remaining_days(child)
        postcheck = PostCheck.objects.filter(case=child).first()
        rows.append(
            {
                "case": child,
                "remaining": remaining,
                "overdue": -remaining if remaining is not None and remaining < 0 else 0,
                "needs_you": child.stage == Stage.SUPPLEMENT,
                "postcheck": postcheck,
            }
        )
    return {"bundle": bundle, "progress": progress, "rows": rows, "saving": bundle.saving}


@login_required
def bundle_detail(request: HttpRequest, bundle_id: int) -> HttpResponse:
    bundle = _bundle_for(request_user(request), bundle_id)
    return render(request, "cases/bundle_detail.html", bundle_context(bundle))


@login_required
def my_bundles(request: HttpRequest) -> HttpResponse:
    rows = [{"bundle": b, "progress": bundles.bundle_progress(b)} for b in bundles.my_bundles(request_user(request))]
    return render(request, "cases/bundle_list.html", {"rows": rows})


@login_required
def my_record(request: HttpRequest) -> HttpResponse:
    """The applicant's own record of false commitments (what staff of later cases also see)."""
    record = commitments.commitment_record(applicant_id=request_user(request).pk)
    return render(request, "cases/postcheck_record.html", {"record": record, "for_staff": False})


# --- staff: post-checks -------------------------------------------------------------------------------------------
class DecideForm(django_forms.Form):
    expected_version = django_forms.IntegerField(widget=django_forms.HiddenInput, min_value=0)
    result = django_forms.ChoiceField(
        label=gettext_lazy("Result of the check"),
        choices=[
            ("passed", gettext_lazy("Passed: the commitment is true")),
            ("failed", gettext_lazy("Failed: the commitment is untrue (the result will be revoked)")),
        ],
        widget=django_forms.RadioSelect,
    )
    findings = django_forms.CharField(
        label=gettext_lazy("Findings"),
        required=False,
        max_length=4000,
        widget=forms.TEXTAREA,
        help_text=gettext_lazy("What was checked and found. Required when the check fails."),
    )


@login_required(login_url="workbench:login")
@staff_only
def postcheck_queue(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    context = {
        "scheduled": commitments.postcheck_queue(user),
        "decided": commitments.postcheck_queue(user, status=PostCheckStatus.FAILED, limit=20)
        + commitments.postcheck_queue(user, status=PostCheckStatus.PASSED, limit=20),
    }
    return render(request, "cases/postcheck_queue.html", context)


@login_required(login_url="workbench:login")
@staff_only
def postcheck_decide(request: HttpRequest, postcheck_id: int) -> HttpResponse:
    user = request_user(request)
    try:
        check = commitments.postcheck_get_for(user, postcheck_id)
    except NotFound as error:
        raise Http404 from error
    form = DecideForm(request.POST or None, initial={"expected_version": check.version})
    if request.method == "POST" and form.is_valid():
        try:
            commitments.postcheck_decide(
                postcheck_id=check.pk,
                actor=user,
                passed=form.cleaned_data["result"] == "passed",
                findings=form.cleaned_data["findings"],
                expected_version=form.cleaned_data["expected_version"],
            )
        except DomainError as error:
            forms.add_errors(form, error)
        else:
            messages.success(request, _("The post-check is recorded."))
            return redirect("workbench:postchecks")
    commitment = getattr(check.case, "commitment", None)
    context = {"check": check, "case": check.case, "commitment": commitment, "form": form}
    return render(request, "cases/postcheck_decide.html", context, status=400 if form.errors else 200)


@login_required(login_url="workbench:login")
@staff_only
def applicant_record(request: HttpRequest, case_id: int) -> HttpResponse:
    """For staff handling a case: the applicant's false commitments on earlier cases."""
    try:
        case, record = commitments.commitment_record_for_case(request_user(request), case_id)
    except NotFound as error:
        raise Http404 from error
    return render(request, "cases/postcheck_record.html", {"record": record, "for_staff": True, "case": case})
