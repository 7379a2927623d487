"""电子证照 tables: license types, licenses, their use log, signing keys and status lists."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HolderKind(models.TextChoices):
    PERSON = "person", _("person")
    ENTERPRISE = "enterprise", _("enterprise")


class LicenseStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    SUSPENDED = "suspended", _("suspended")
    REVOKED = "revoked", _("revoked")
    EXPIRED = "expired", _("expired")


class StatusPurpose(models.TextChoices):
    REVOCATION = "revocation", _("revocation")
    SUSPENSION = "suspension", _("suspension")


class LicenseType(models.Model):
    """A kind of license a department issues (营业执照, 食品经营许可证…)."""

    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    issuing_department = models.ForeignKey(
        "identity.Department", verbose_name=_("issuing department"), on_delete=models.PROTECT, related_name="+"
    )
    holder_kind = models.CharField(_("holder kind"), max_length=12, choices=HolderKind.choices)
    field_schema = models.JSONField(
        _("field schema"), default=dict, blank=True, help_text=_("JSON Schema subset: properties, required.")
    )
    validity_years = models.PositiveSmallIntegerField(
        _("validity (years)"), null=True, blank=True, help_text=_("Empty: valid until revoked.")
    )
    number_format = models.CharField(
        _("number format"), max_length=100, default="{code}-{year}-{seq:08d}", help_text=_("Python format string.")
    )
    replaces_materials = models.JSONField(
        _("replaces materials"), default=list, blank=True, help_text=_("Catalog material names or codes.")
    )
    issued_for_items = models.JSONField(
        _("issued for items"),
        default=list,
        blank=True,
        help_text=_("Catalog item codes whose approved cases produce this license (the result of the case)."),
    )
    next_seq = models.PositiveBigIntegerField(_("next sequence number"), default=1)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("license type")
        verbose_name_plural = _("license types")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class License(models.Model):
    """One issued license. ``credential`` is the signed W3C Verifiable Credential exactly as issued."""

    license_type = models.ForeignKey(LicenseType, verbose_name=_("license type"), on_delete=models.PROTECT)
    number = models.CharField(_("number"), max_length=100, unique=True)
    holder_user = models.ForeignKey(
        "identity.User", verbose_name=_("holder"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    holder_enterprise = models.ForeignKey(
        "identity.Enterprise",
        verbose_name=_("holder enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject = models.JSONField(_("subject fields"), default=dict)
    issued_at = models.DateTimeField(_("issued at"))
    valid_from = models.DateTimeField(_("valid from"))
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=LicenseStatus.choices, default=LicenseStatus.ACTIVE, db_index=True
    )
    status_list_no = models.PositiveIntegerField(_("status list"), default=1)
    status_index = models.PositiveIntegerField(_("status list index"))
    credential = models.JSONField(_("signed credential"))
    case_ref = models.CharField(_("source case"), max_length=64, blank=True, db_index=True)
    reminded_at = models.DateTimeField(_("expiry reminder sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("license")
        verbose_name_plural = _("licenses")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["status_list_no", "status_index"], name="license_status_slot_unique"),
            models.CheckConstraint(
                condition=models.Q(holder_user__isnull=False) | models.Q(holder_enterprise__isnull=False),
                name="license_has_holder",
            ),
        ]
        indexes = [
            models.Index(fields=["holder_user", "status"], name="license_holder_user"),
            models.Index(fields=["holder_enterprise", "status"], name="license_holder_ent"),
            models.Index(fields=["status", "valid_until"], name="license_expiry"),
        ]

    def __str__(self) -> str:
        return self.number


class LicenseUse(models.Model):
    """Append-only, holder-visible log: who verified, attached or was shown a license, and when."""

    class Kind(models.TextChoices):
        VERIFIED = "verified", _("verified")
        ATTACHED = "attached", _("attached to an application")
        SHARED = "shared", _("shown (亮证)")
        ISSUED = "issued", _("issued")
        STATUS = "status", _("status changed")

    occurred_at = models.DateTimeField(_("when"), auto_now_add=True)
    license = models.ForeignKey(License, on_delete=models.CASCADE, related_name="uses")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        "identity.User", verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(_("by (label)"), max_length=200, blank=True)
    case_ref = models.CharField(_("case"), max_length=64, blank=True)
    shared_with = models.CharField(_("shared with"), max_length=200, blank=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("license use")
        verbose_name_plural = _("license uses")
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["license", "occurred_at"], name="license_use_by_license")]

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_at:%Y-%m-%d %H:%M}"


class SigningKey(models.Model):
    """An issuer key. Retired keys stay listed in the DID document so that old signatures keep verifying."""

    key_id = models.CharField(_("key id"), max_length=200, unique=True)  # publicKeyMultibase
    algorithm = models.CharField(_("algorithm"), max_length=20, default="Ed25519")
    public_key = models.BinaryField(_("public key"))
    private_key_encrypted = models.BinaryField(
        _("private key (encrypted)"),
        blank=True,
        default=b"",
        help_text=_("Empty when the key comes from the environment."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.key_id


class StatusList(models.Model):
    """A Bitstring Status List: bit i set means the license at index i is revoked (or suspended)."""

    purpose = models.CharField(_("purpose"), max_length=12, choices=StatusPurpose.choices)
    list_no = models.PositiveIntegerField(_("list number"), default=1)
    bits = models.BinaryField(_("bitstring"))
    next_index = models.PositiveIntegerField(_("next free index"), default=0)
    version = models.PositiveBigIntegerField(_("version"), default=1)
    credential = models.JSONField(_("signed status list credential"), null=True, blank=True)
    credential_version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("status list")
        verbose_name_plural = _("status lists")
        constraints = [models.UniqueConstraint(fields=["purpose", "list_no"], name="status_list_unique")]

    def __str__(self) -> str:
        return f"{self.purpose} {self.list_no}"
