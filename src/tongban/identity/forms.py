"""Form fields and their labels. Validation of meaning (ID checksum, codes, limits) is in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tongban.identity.models import StaffRole


class PhoneCodeMixin(forms.Form):
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    code = forms.CharField(
        label=_("Verification code (sent by SMS)"), max_length=6, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )  # fmt: skip


class RegisterForm(PhoneCodeMixin):
    name = forms.CharField(label=_("Real name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    id_number = forms.CharField(label=_("Resident ID number"), max_length=20)
    password = forms.CharField(
        label=_("Password (at least 10 characters)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        required=False,
    )
    field_order = ["name", "id_number", "phone", "code", "password"]


class PasswordLoginForm(forms.Form):
    identifier = forms.CharField(
        label=_("Mobile phone, ID number or user name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class CodeLoginForm(PhoneCodeMixin):
    pass


class ChangePasswordForm(forms.Form):
    old_password = forms.CharField(
        label=_("Current password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password = forms.CharField(
        label=_("New password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )


class ChangePhoneForm(PhoneCodeMixin):
    pass


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code from your authenticator app"), max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )  # fmt: skip


class AuthorisationForm(forms.Form):
    agent_phone = forms.CharField(label=_("Agent's mobile phone"), max_length=20)
    item_codes = forms.CharField(label=_("Item codes (one per line)"), widget=forms.Textarea(attrs={"rows": 3}))
    expires_on = forms.DateField(label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"}))


class EnterpriseAgentForm(forms.Form):
    agent_phone = forms.CharField(label=_("Agent's mobile phone"), max_length=20)
    all_items = forms.BooleanField(label=_("All items"), required=False)
    item_codes = forms.CharField(
        label=_("Item codes (one per line), if not all items"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    expires_on = forms.DateField(label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"}))


class EnterpriseForm(forms.Form):
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=30)
    name = forms.CharField(label=_("Enterprise name"), max_length=200)


class EnterpriseOverrideForm(forms.Form):
    """An operator accepts a credit code really issued before GB 32100 that fails its checksum."""

    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=30)
    name = forms.CharField(label=_("Enterprise name"), max_length=200)
    representative = forms.CharField(
        label=_("Legal representative's mobile phone or resident ID number"), max_length=30,
        help_text=_("They must hold a real-name account of level L2."),
    )  # fmt: skip
    reason = forms.CharField(
        label=_("Why the code is accepted (the evidence seen)"), min_length=10, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: business licence issued in 2015 by the Xiamen pilot, seen in the original."),
    )  # fmt: skip


class StaffAssignForm(forms.Form):
    username = forms.CharField(label=_("User name of the staff member"), max_length=150)
    department = forms.IntegerField(label=_("Department"), widget=forms.Select)
    role = forms.ChoiceField(label=_("Role"), choices=StaffRole.choices)
