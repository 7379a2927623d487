"""Forms of the case pages. They only parse input; every rule lives in the services, whose
``DomainError.fields`` are put back next to the fields by :func:`add_errors`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tongban.cases import provision
from tongban.cases.models import CaseMaterial, SuspensionKind
from tongban.common.public import DomainError, formschema

TEXTAREA = forms.Textarea(attrs={"rows": 4})


def add_errors(form: forms.Form, error: DomainError) -> None:
    """Show a refusal on the form: each field's fix next to it, the message in the summary on top."""
    for field, text in error.fields.items():
        if field in form.fields:
            form.add_error(field, str(text))
    form.add_error(None, str(error.message))


class ApplicationForm(forms.Form):
    """The application form until items carry a form schema: the applicant's name and a statement."""

    applicant_name = forms.CharField(
        label=_("Applicant"),
        max_length=100,
        required=False,  # shown, never trusted: the view takes the name from the account
        help_text=_("Taken from your real-name account."),
    )
    statement = forms.CharField(
        label=_("Application statement (申请说明)"),
        required=False,
        max_length=2000,
        widget=TEXTAREA,
        help_text=_("What you apply for and anything the department should know."),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=80)

    def __init__(self, *args: Any, readonly_name: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if readonly_name:
            self.fields["applicant_name"].widget.attrs["readonly"] = "readonly"


class SchemaForm(forms.Form):
    """The item's own application form, built from its JSON Schema (catalog ``form_schema``). Every field is
    optional here so a draft can be saved half-filled; the pre-check names what the schema requires, and the
    services check the same rules (:mod:`tongban.common.formschema`) for every channel."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=80)

    def __init__(
        self, *args: Any, schema: dict[str, Any], sources: dict[str, dict[str, str]] | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", "form")
        super().__init__(*args, **kwargs)
        needed = formschema.required(schema)
        for name, spec in formschema.properties(schema).items():
            field = _schema_field(spec)
            field.label = str(spec.get("title") or name)
            help_parts = [str(spec["description"])] if spec.get("description") else []
            origin = (sources or {}).get(name)
            if origin:
                help_parts.append(
                    _("Pre-filled from %(provider)s on %(at)s; correct it if it is wrong.")
                    % {
                        "provider": provision.source_label(origin, for_applicant=True),
                        "at": provision.local_minute(origin.get("at", "")),
                    }
                )
            field.help_text = " ".join(help_parts)
            if name in needed:
                field.widget.attrs["aria-required"] = "true"
                field.label = _("%(label)s (required)") % {"label": field.label}
            self.fields[name] = field
        self.order_fields([*formschema.properties(schema), "idempotency_key"])


def _schema_field(spec: dict[str, Any]) -> forms.Field:
    kind = spec.get("type", "string")
    if isinstance(spec.get("enum"), list):
        choices = [("", "—"), *((str(v), str(v)) for v in spec["enum"])]
        return forms.ChoiceField(choices=choices, required=False)
    if kind == "boolean":
        return forms.BooleanField(required=False)
    if kind in {"integer", "number"}:
        return forms.CharField(required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    max_length = spec.get("maxLength") if isinstance(spec.get("maxLength"), int) else None
    fmt = spec.get("format")
    if fmt == "date":
        return forms.CharField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    if fmt == "textarea" or (max_length or 0) > 200:
        return forms.CharField(required=False, widget=TEXTAREA)
    attrs = {"type": "email"} if fmt == "email" else {"type": "tel", "inputmode": "numeric"} if fmt == "phone" else {}
    return forms.CharField(required=False, widget=forms.TextInput(attrs=attrs))


class MaterialForm(forms.Form):
    """Satisfy one listed material: an upload, a signed commitment, or (clerks only) a verified copy."""

    source = forms.ChoiceField(
        label=_("How you provide it"),
        choices=[
            (CaseMaterial.Source.UPLOAD, _("Upload a file")),
            (CaseMaterial.Source.COMMITMENT, _("Sign a commitment instead")),
            (CaseMaterial.Source.CLERK_VERIFIED, _("Copy verified by a clerk")),
        ],
        initial=CaseMaterial.Source.UPLOAD,
    )
    file = forms.FileField(label=_("File (PDF, JPEG or PNG, at most 20 MB)"), required=False)


class VersionForm(forms.Form):
    """Every action posts the version it was shown, so a concurrent change is refused, not overwritten."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    comment = forms.CharField(label=_("Comment (optional)"), required=False, max_length=2000, widget=TEXTAREA)


class ReturnForm(VersionForm):
    comment = forms.CharField(label=_("Why it goes back"), max_length=2000, widget=TEXTAREA)


class RefuseForm(VersionForm):
    comment = None  # type: ignore[assignment]
    reasons = forms.CharField(label=_("Reasons for not accepting"), max_length=4000, widget=TEXTAREA)
    checklist = forms.CharField(
        label=_("What would make it acceptable (one item per line)"), max_length=4000, widget=TEXTAREA
    )

    def checklist_lines(self) -> list[dict[str, str]]:
        text = self.cleaned_data.get("checklist", "")
        return [{"name": line.strip(), "note": ""} for line in text.splitlines() if line.strip()]


class SupplementForm(VersionForm):
    comment = None  # type: ignore[assignment]
    reason = forms.CharField(label=_("What is wrong or missing"), max_length=4000, widget=TEXTAREA)
    checklist = forms.TypedMultipleChoiceField(
        label=_("Materials to supply again"), coerce=int, widget=forms.CheckboxSelectMultiple, required=False
    )
    note = forms.CharField(label=_("What each listed material needs (optional)"), required=False, max_length=500)

    def __init__(self, *args: Any, materials: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.material_names = dict(materials)
        checklist = self.fields["checklist"]
        assert isinstance(checklist, forms.TypedMultipleChoiceField)  # noqa: S101
        checklist.choices = list(materials)

    def checklist_lines(self) -> list[dict[str, Any]]:
        note = self.cleaned_data.get("note", "")
        return [
            {"position": p, "name": self.material_names.get(p, ""), "note": note}
            for p in self.cleaned_data.get("checklist", [])
        ]


class DenyForm(VersionForm):
    comment = None  # type: ignore[assignment]
    legal_reasons = forms.CharField(label=_("Legal reasons for the denial"), max_length=4000, widget=TEXTAREA)


class SuspendForm(VersionForm):
    comment = None  # type: ignore[assignment]
    kind = forms.ChoiceField(
        label=_("Why the clock stops"),
        choices=[(k.value, k.label) for k in SuspensionKind if k != SuspensionKind.SUPPLEMENT],
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=TEXTAREA)


class ExtendForm(VersionForm):
    comment = None  # type: ignore[assignment]
    days = forms.IntegerField(label=_("Working days granted"), min_value=1, max_value=60)
    reason = forms.CharField(label=_("Reason for the extension"), max_length=2000, widget=TEXTAREA)


ACTION_FORMS: dict[str, type[VersionForm]] = {
    "accept": VersionForm,
    "refuse_acceptance": RefuseForm,
    "request_supplement": SupplementForm,
    "forward": VersionForm,
    "return": ReturnForm,
    "approve": VersionForm,
    "deny": DenyForm,
    "suspend": SuspendForm,
    "resume": VersionForm,
    "extend": ExtendForm,
}


class WithdrawForm(VersionForm):
    comment = forms.CharField(label=_("Why you withdraw (optional)"), required=False, max_length=2000, widget=TEXTAREA)


class SupplyForm(VersionForm):
    pass


class PersonSearchForm(forms.Form):
    phone_or_id = forms.CharField(
        label=_("Applicant's mobile number or resident ID number"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class IntakeStartForm(PersonSearchForm):
    item_code = forms.CharField(label=_("Item code"), max_length=80)
    identity_checked = forms.BooleanField(
        label=_("I checked the applicant's resident ID card in person"), required=False
    )
