"""Identity pages. Thin: a form collects input, a service does the work, a selector does the reading."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

import pyotp
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongban.common.public import DomainError
from tongban.identity import forms, selectors, services
from tongban.identity.backends import client_ip
from tongban.identity.models import OneTimeCode, TotpDevice, User

_BACKEND = "tongban.identity.backends.PasswordBackend"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  # login_required ran first
    return user


def _refuse(form: Any, error: DomainError, request: HttpRequest | None = None) -> None:
    if not form.is_bound:  # a refused button (revoke, remove) rather than a form: say it on top
        if request is not None:
            messages.error(request, error.message)
        return
    for field, text in error.fields.items():
        if field in form.fields:
            form.add_error(field, text)
    form.add_error(None, error.message)


def _next(request: HttpRequest, default: str = "identity:account") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def _sign_in(request: HttpRequest, user: User, method: str) -> HttpResponse:
    request.session["identity_login_method"] = method  # read by the user_logged_in receiver (login history)
    login(request, user, backend=_BACKEND)
    if user.is_staff:
        request.session["identity_second_factor"] = "pending"
        query = urlencode({"next": _next(request, "/workbench/")})
        return HttpResponseRedirect(f"{reverse('identity:second_factor')}?{query}")
    return redirect(_next(request))


def _send_code(request: HttpRequest, form: Any, purpose: str) -> None:
    try:
        services.otp_request(phone=str(form.data.get("phone", "")), purpose=purpose, ip=client_ip(request))
    except DomainError as error:
        _refuse(form, error)
    else:
        messages.success(request, _("We sent a six-digit code to your phone. It is valid for 5 minutes."))


def register(request: HttpRequest) -> HttpResponse:
    form = forms.RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "send_code":
            _send_code(request, form, OneTimeCode.Purpose.REGISTER)
        else:
            try:
                user = services.person_register(
                    name=form.cleaned_data["name"],
                    id_number=form.cleaned_data["id_number"],
                    phone=form.cleaned_data["phone"],
                    code=form.cleaned_data["code"],
                    password=form.cleaned_data["password"],
                )
            except DomainError as error:
                _refuse(form, error)
            else:
                messages.success(request, _("Your account is ready. Your real-name level is L1 (phone verified)."))
                return _sign_in(request, user, "register")
    return render(request, "identity/register.html", {"form": form})


def login_password(request: HttpRequest) -> HttpResponse:
    form = forms.PasswordLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_check_password(
                identifier=form.cleaned_data["identifier"],
                password=form.cleaned_data["password"],
                ip=client_ip(request),
            )
        except DomainError as error:
            _refuse(form, error)
        else:
            return _sign_in(request, user, "password")
    return render(request, "identity/login.html", {"form": form, "mode": "password", "next": _next(request, "")})


def login_code(request: HttpRequest) -> HttpResponse:
    form = forms.CodeLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "send_code":
            _send_code(request, form, OneTimeCode.Purpose.LOGIN)
        else:
            try:
                user = services.login_check_code(
                    phone=form.cleaned_data["phone"], code=form.cleaned_data["code"], ip=client_ip(request)
                )
            except DomainError as error:
                _refuse(form, error)
            else:
                return _sign_in(request, user, "sms_code")
    return render(request, "identity/login.html", {"form": form, "mode": "code", "next": _next(request, "")})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        key = request.session.session_key
        services.login_ended(user=_user(request), session_key=key or "")
    logout(request)
    messages.success(request, _("You have logged out."))
    return redirect("portal:home")


@login_required
@require_POST
def logout_everywhere(request: HttpRequest) -> HttpResponse:
    services.user_logout_everywhere(user=_user(request))
    logout(request)
    messages.success(request, _("You have been logged out on every device."))
    return redirect("portal:home")


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    password_form = forms.ChangePasswordForm(request.POST if request.POST.get("action") == "password" else None)
    phone_form = forms.ChangePhoneForm(request.POST if request.POST.get("action", "").startswith("phone") else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "password" and password_form.is_valid():
                services.user_change_password(
                    user=user,
                    old_password=password_form.cleaned_data["old_password"],
                    new_password=password_form.cleaned_data["new_password"],
                )
                update_session_auth_hash(request, user)
                messages.success(request, _("Your password has been changed."))
                return redirect("identity:account")
            if action == "phone_code" and phone_form.is_valid():
                _send_code(request, phone_form, OneTimeCode.Purpose.CHANGE_PHONE)
            elif action == "phone" and phone_form.is_valid():
                services.person_change_phone(
                    user=user, new_phone=phone_form.cleaned_data["phone"], code=phone_form.cleaned_data["code"]
                )
                messages.success(request, _("Your phone number has been changed."))
                return redirect("identity:account")
            elif action == "raise_level":
                services.person_confirm_by_registry(user=user)
                messages.success(request, _("The population registry confirmed your identity: level L2."))
                return redirect("identity:account")
        except DomainError as error:
            target = password_form if action == "password" else phone_form
            if action == "raise_level":
                messages.error(request, error.message)
            else:
                _refuse(target, error)
    context = {
        "person": selectors.person_view_for(user, user.pk),
        "history": selectors.login_history_for(user),
        "password_form": password_form,
        "phone_form": phone_form,
        "current_session": request.session.session_key,
    }
    return render(request, "identity/account.html", context)


def _expiry(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


def _codes(text: str) -> list[str]:
    return [line.strip() for line in text.replace(",", "\n").splitlines() if line.strip()]


def _person_user(phone: str, form: Any) -> User | None:
    person = services.person_find(phone_or_id=phone)
    if person is None:
        form.add_error("agent_phone", _("No registered person has this phone number."))
        return None
    return person.user


@login_required
def authorisations(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = forms.AuthorisationForm(request.POST if request.POST.get("action") == "grant" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "revoke":
                services.authorisation_revoke(actor=user, authorisation_id=int(request.POST.get("id", "0")))
                messages.success(request, _("The authorisation has been revoked."))
                return redirect("identity:authorisations")
            if form.is_valid() and (agent := _person_user(form.cleaned_data["agent_phone"], form)) is not None:
                services.authorisation_grant(
                    principal=user,
                    agent=agent,
                    item_codes=_codes(form.cleaned_data["item_codes"]),
                    expires_at=_expiry(form.cleaned_data["expires_on"]),
                )
                messages.success(request, _("The authorisation has been given."))
                return redirect("identity:authorisations")
        except DomainError as error:
            _refuse(form, error, request)
    context = {
        "given": selectors.authorisations_given_by(user),
        "received": selectors.authorisations_received_by(user),
        "form": form,
        "now": timezone.now(),
    }
    return render(request, "identity/authorisations.html", context)


@login_required
def enterprises(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = forms.EnterpriseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enterprise_register(
                actor=user,
                credit_code=form.cleaned_data["credit_code"],
                name=form.cleaned_data["name"],
                legal_representative=user,
            )
        except DomainError as error:
            _refuse(form, error)
        else:
            messages.success(request, _("The enterprise has been registered with you as legal representative."))
            return redirect("identity:enterprises")
    return render(
        request, "identity/enterprises.html", {"enterprises": selectors.enterprises_visible_to(user), "form": form}
    )


@login_required
def enterprise_agents(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    user = _user(request)
    enterprise = selectors.enterprise_led_by(user, enterprise_id)
    if enterprise is None:
        raise Http404
    form = forms.EnterpriseAgentForm(request.POST if request.POST.get("action") == "grant" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "revoke":
                services.enterprise_agent_revoke(actor=user, grant_id=int(request.POST.get("id", "0")))
                messages.success(request, _("The agent's authorisation has been revoked."))
                return redirect("identity:enterprise_agents", enterprise_id=enterprise.pk)
            if form.is_valid() and (agent := _person_user(form.cleaned_data["agent_phone"], form)) is not None:
                services.enterprise_agent_grant(
                    actor=user,
                    enterprise=enterprise,
                    agent=agent,
                    all_items=form.cleaned_data["all_items"],
                    item_codes=_codes(form.cleaned_data["item_codes"]),
                    expires_at=_expiry(form.cleaned_data["expires_on"]),
                )
                messages.success(request, _("The agent has been authorised."))
                return redirect("identity:enterprise_agents", enterprise_id=enterprise.pk)
        except DomainError as error:
            _refuse(form, error, request)
    context = {
        "enterprise": enterprise,
        "agents": selectors.enterprise_agents_visible_to(user, enterprise),
        "form": form,
        "now": timezone.now(),
    }
    return render(request, "identity/enterprise_agents.html", context)


@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    form = forms.SecondFactorForm(request.POST or None)
    secret = None
    if device is None:
        secret = request.session.get("identity_totp_secret") or services.totp_begin(user=user)
        request.session["identity_totp_secret"] = secret
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_verify(user=user, code=form.cleaned_data["code"], ip=client_ip(request))
        except DomainError as error:
            _refuse(form, error)
        else:
            request.session["identity_second_factor"] = "done"
            request.session.pop("identity_totp_secret", None)
            return redirect(_next(request, "/workbench/"))
    context: dict[str, Any] = {"form": form, "secret": secret, "next": _next(request, "/workbench/")}
    if secret:
        context["otpauth"] = pyotp.TOTP(secret).provisioning_uri(name=user.get_username(), issuer_name="Tongban")
    return render(request, "identity/second_factor.html", context)


@login_required
def enterprise_override(request: HttpRequest) -> HttpResponse:
    """Administrators accept a credit code really issued before GB 32100 that fails its checksum, with the
    reason recorded (on the enterprise, in the identity events and in the audit chain)."""
    user = _user(request)
    if not selectors.is_administrator(user):
        raise Http404
    form = forms.EnterpriseOverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        representative = services.person_find(phone_or_id=form.cleaned_data["representative"])
        if representative is None:
            form.add_error("representative", _("No registered person has this mobile phone or ID number."))
        else:
            try:
                services.enterprise_register(
                    actor=user,
                    credit_code=form.cleaned_data["credit_code"],
                    name=form.cleaned_data["name"],
                    legal_representative=representative.user,
                    checksum_override_reason=form.cleaned_data["reason"],
                )
            except DomainError as error:
                _refuse(form, error)
            else:
                messages.success(request, _("The enterprise has been registered; the reason is recorded."))
                return redirect("identity:enterprise_override")
    context = {"form": form, "accepted": selectors.checksum_overrides_visible_to(user)}
    return render(request, "identity/enterprise_override.html", context)


@login_required
def staff(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not selectors.is_administrator(user):
        raise Http404
    form = forms.StaffAssignForm(request.POST if request.POST.get("action") == "assign" else None)
    departments = selectors.departments_visible_to(user).select_related("region")
    form.fields["department"].widget.choices = [(d.pk, f"{d.name} ({d.region_id})") for d in departments]
    if request.method == "POST":
        try:
            if request.POST.get("action") == "remove":
                services.staff_unassign(actor=user, assignment_id=int(request.POST.get("id", "0")))
                messages.success(request, _("The role has been removed."))
                return redirect("identity:staff")
            if form.is_valid():
                member = User.objects.filter(username=form.cleaned_data["username"]).first()
                department = departments.filter(pk=form.cleaned_data["department"]).first()
                if member is None or department is None:
                    form.add_error(None, _("Unknown user name or department."))
                else:
                    services.staff_assign(
                        actor=user, user=member, department=department, role=form.cleaned_data["role"]
                    )
                    messages.success(request, _("The role has been given."))
                    return redirect("identity:staff")
        except DomainError as error:
            _refuse(form, error, request)
    context = {"assignments": selectors.staff_assignments_visible_to(user), "form": form, "departments": departments}
    return render(request, "identity/staff.html", context)
