# mypy: disable-error-code="import-untyped"
# (django-oauth-toolkit ships no type hints, and the Django plugin loads its models beside these.)
"""Accounts. The identity issue adds persons, enterprises, agents, staff roles and real-name levels."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """One login. ``public_id`` is the opaque id shown to other systems (API, OIDC ``sub``)."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Region(models.Model):
    """An administrative division (GB/T 2260 code: 440000 广东省, 511602 广安区 …), as a tree."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("province")
        CITY = 2, _("city")
        DISTRICT = 3, _("district or county")
        STREET = 4, _("street or township")

    code = models.CharField(_("region code"), max_length=12, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Department(models.Model):
    """A government department or service centre: province → city → district → street, with its region.

    ``code`` is the department's unified social credit code where it has one (the first 18 characters of
    a Guangdong item code), otherwise an organisation or local code.
    """

    code = models.CharField(_("department code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="departments")
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_service_centre = models.BooleanField(_("service centre"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["region_id", "name"]
        indexes = [models.Index(fields=["region", "name"], name="department_region_name")]

    def __str__(self) -> str:
        return self.name


class RealNameLevel(models.IntegerChoices):
    """实名等级. L1 phone verified; L2 name + ID confirmed by the population registry; L3 confirmed in person."""

    NONE = 0, _("not verified")
    L1 = 1, _("L1 phone verified")
    L2 = 2, _("L2 identity confirmed by registry")
    L3 = 3, _("L3 confirmed in person")


class Person(models.Model):
    """A natural person (自然人) behind a user account. ID number and phone are encrypted; ``*_hash`` are
    keyed hashes (HMAC) for exact-match look-up, so the database never holds them in clear text."""

    user = models.OneToOneField(User, verbose_name=_("user"), on_delete=models.CASCADE, primary_key=True)
    name = models.CharField(_("real name"), max_length=100)
    id_number_cipher = models.TextField(_("ID number (encrypted)"))
    id_number_hash = models.CharField(_("ID number look-up hash"), max_length=64, unique=True)
    phone_cipher = models.TextField(_("mobile phone (encrypted)"))
    phone_hash = models.CharField(_("mobile phone look-up hash"), max_length=64, unique=True)
    real_name_level = models.PositiveSmallIntegerField(
        _("real-name level"), choices=RealNameLevel.choices, default=RealNameLevel.NONE
    )
    level_changed_at = models.DateTimeField(_("level changed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return f"person {self.user_id}"


class OneTimeCode(models.Model):
    """A one-time code sent by SMS. Only a keyed hash of the code is kept."""

    class Purpose(models.TextChoices):
        REGISTER = "register", _("registration")
        LOGIN = "login", _("log in")
        CHANGE_PHONE = "change_phone", _("change phone")

    phone_hash = models.CharField(max_length=64)
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    consumed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        indexes = [models.Index(fields=["phone_hash", "purpose", "-created_at"], name="otp_lookup")]

    def __str__(self) -> str:
        return f"otp {self.pk}"


class SmsOutbox(models.Model):
    """Messages waiting for the SMS gateway (the default channel). The phone is encrypted like everywhere."""

    phone_cipher = models.TextField()
    phone_hash = models.CharField(max_length=64, db_index=True)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("SMS outbox message")
        verbose_name_plural = _("SMS outbox")

    def __str__(self) -> str:
        return f"sms {self.pk}"


class RateEvent(models.Model):
    """One counted event (a code sent, a failed login) under a hashed key, for rate limits and lockout.
    In the database so every web process sees the same counts."""

    key = models.CharField(max_length=100)
    at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("rate event")
        verbose_name_plural = _("rate events")
        indexes = [models.Index(fields=["key", "at"], name="rate_event_key_at")]

    def __str__(self) -> str:
        return self.key


class SignInSession(AbstractBaseSession):
    """A browser session (Django's session row) that also names its signed-in user in a column, so that one
    query reads the session and the user for each request (identity.sessions), and 'log out everywhere' can
    end a user's sessions by that column."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    @classmethod
    def get_session_store_class(cls) -> type:
        from tongban.identity.sessions import SessionStore

        return SessionStore


class LoginRecord(models.Model):
    """Login history shown on 'my account'; ``session_key`` lets 'log out everywhere' end every session."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_records")
    at = models.DateTimeField(_("time"), auto_now_add=True)
    method = models.CharField(_("method"), max_length=30)
    client = models.CharField(_("client address"), max_length=60, blank=True)  # truncated, see services
    session_key = models.CharField(max_length=40, blank=True, db_index=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("login record")
        verbose_name_plural = _("login records")
        ordering = ["-at"]
        indexes = [models.Index(fields=["user", "-at"], name="login_record_user_at")]

    def __str__(self) -> str:
        return f"login {self.pk}"


class StaffRole(models.TextChoices):
    WINDOW_CLERK = "window_clerk", _("window clerk")
    HANDLER = "handler", _("handler")
    REVIEWER = "reviewer", _("reviewer")
    APPROVER = "approver", _("approver")
    SUPERVISOR = "supervisor", _("supervisor")
    CATALOG_EDITOR = "catalog_editor", _("catalog editor")
    ADMINISTRATOR = "administrator", _("administrator")


class StaffAssignment(models.Model):
    """A staff member holds a role in a department. Scope is data: the department, its region and below."""

    user = models.ForeignKey(User, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="staff_roles")
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="staff_roles"
    )
    role = models.CharField(_("role"), max_length=30, choices=StaffRole.choices)
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    assigned_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        constraints = [models.UniqueConstraint(fields=["user", "department", "role"], name="staff_assignment_once")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.role}@{self.department_id}"


class TotpDevice(models.Model):
    """A staff member's authenticator app (RFC 6238). ``last_step`` refuses a replayed code."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, primary_key=True, related_name="totp_device")
    secret_cipher = models.TextField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("authenticator")
        verbose_name_plural = _("authenticators")

    def __str__(self) -> str:
        return f"totp {self.user_id}"


class Enterprise(models.Model):
    """A legal person (法人) identified by its unified social credit code, bound to its legal representative."""

    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=200)
    legal_representative = models.ForeignKey(
        User, verbose_name=_("legal representative"), on_delete=models.PROTECT, related_name="enterprises_led"
    )
    checksum_override_reason = models.TextField(_("reason for accepting a failing checksum"), blank=True)
    checksum_override_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self) -> str:
        return self.name


class EnterpriseAgent(models.Model):
    """An agent (经办人) an enterprise authorised, for all items or a list, until an expiry; revocable."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="agents")
    agent = models.ForeignKey(
        User, verbose_name=_("agent"), on_delete=models.CASCADE, related_name="enterprise_agencies"
    )
    all_items = models.BooleanField(_("all items"), default=False)
    item_codes = models.JSONField(_("item codes"), default=list, blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    granted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("enterprise agent")
        verbose_name_plural = _("enterprise agents")
        indexes = [models.Index(fields=["agent", "expires_at"], name="enterprise_agent_active")]

    def __str__(self) -> str:
        return f"agent {self.agent_id} for {self.enterprise_id}"


class Authorisation(models.Model):
    """委托代办: a person lets another act for them on named items until an expiry; revocable."""

    principal = models.ForeignKey(
        User, verbose_name=_("principal"), on_delete=models.CASCADE, related_name="authorisations_given"
    )
    agent = models.ForeignKey(
        User, verbose_name=_("agent"), on_delete=models.CASCADE, related_name="authorisations_received"
    )
    item_codes = models.JSONField(_("item codes"), default=list)
    expires_at = models.DateTimeField(_("expires at"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("authorisation")
        verbose_name_plural = _("authorisations")
        indexes = [models.Index(fields=["agent", "expires_at"], name="authorisation_agent_active")]

    def __str__(self) -> str:
        return f"authorisation {self.pk}"


class IdentityEvent(models.Model):
    """Append-only audit of identity changes and of every act done for someone else (who for whom)."""

    at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(_("action"), max_length=60)
    subject_user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    subject_enterprise = models.ForeignKey(
        Enterprise, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    detail = models.JSONField(_("detail"), default=dict, blank=True)  # ids and codes only, never personal data

    class Meta:
        verbose_name = _("identity event")
        verbose_name_plural = _("identity events")
        ordering = ["-at"]

    def __str__(self) -> str:
        return self.action
