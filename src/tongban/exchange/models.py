"""Data resources, their fields, consumers, subscriptions and the exchange call log."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from tongban.identity.public import Department


class SubjectKind(models.TextChoices):
    PERSON = "person", _("natural person")
    ENTERPRISE = "enterprise", _("enterprise")


class DataResource(models.Model):
    """A data resource a department publishes in the shared catalog (共享目录), identified by its code."""

    class Frequency(models.TextChoices):
        REALTIME = "realtime", _("real time")
        DAILY = "daily", _("daily")
        MONTHLY = "monthly", _("monthly")
        YEARLY = "yearly", _("yearly")

    code = models.CharField(_("resource code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    provider = models.ForeignKey(
        Department, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="exchange_resources"
    )
    subject_kind = models.CharField(_("whose data"), max_length=20, choices=SubjectKind.choices)
    update_frequency = models.CharField(
        _("update frequency"), max_length=20, choices=Frequency.choices, default=Frequency.DAILY
    )
    connector = models.CharField(_("connector"), max_length=40, default="http")
    base_url = models.CharField(_("base URL"), max_length=300, blank=True, help_text=_("Empty: the demo server."))
    path = models.CharField(_("path"), max_length=200)
    timeout_ms = models.PositiveIntegerField(_("timeout (ms)"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("data resource")
        verbose_name_plural = _("data resources")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class ResourceField(models.Model):
    """One field of a resource with its sharing class (共享类型) and whether it is personal data."""

    class Sharing(models.TextChoices):
        UNCONDITIONAL = "unconditional", _("shared unconditionally")
        CONDITIONAL = "conditional", _("shared on condition")
        NOT_SHARED = "not_shared", _("not shared")

    resource = models.ForeignKey(DataResource, on_delete=models.CASCADE, related_name="fields")
    name = models.CharField(_("field"), max_length=80)
    label = models.CharField(_("label"), max_length=200)
    sharing = models.CharField(_("sharing class"), max_length=20, choices=Sharing.choices)
    personal = models.BooleanField(_("personal data"), default=False)

    class Meta:
        verbose_name = _("resource field")
        verbose_name_plural = _("resource fields")
        constraints = [models.UniqueConstraint(fields=["resource", "name"], name="exchange_field_once")]
        ordering = ["resource_id", "pk"]

    def __str__(self) -> str:
        return f"{self.resource_id}.{self.name}"


class Consumer(models.Model):
    """Who calls the exchange: a department system, or one of the platform's own uses (my page, prefill)."""

    code = models.CharField(_("consumer code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("consumer")
        verbose_name_plural = _("consumers")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Subscription(models.Model):
    """A consumer's request for a resource, with purpose and legal basis; the provider approves or refuses.

    ``client_id`` references the OAuth2 client-credentials application the consumer's machine uses; it is a
    plain string so this table does not depend on the identity provider's tables.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")
        REVOKED = "revoked", _("revoked")

    consumer = models.ForeignKey(Consumer, verbose_name=_("consumer"), on_delete=models.PROTECT, related_name="subs")
    resource = models.ForeignKey(
        DataResource, verbose_name=_("resource"), on_delete=models.PROTECT, related_name="subscriptions"
    )
    purpose = models.TextField(_("purpose"))
    legal_basis = models.TextField(_("legal basis"))
    fields = models.JSONField(_("conditional fields requested"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    client_id = models.CharField(_("client id"), max_length=100, blank=True, db_index=True)
    requested_by = models.ForeignKey(
        "identity.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey("identity.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["consumer", "resource"],
                condition=models.Q(status__in=["requested", "approved"]),
                name="exchange_one_live_subscription",
            )
        ]

    def __str__(self) -> str:
        return f"{self.consumer_id}→{self.resource_id} ({self.status})"


class CallResult(models.TextChoices):
    DELIVERED = "delivered", _("delivered")
    REFUSED = "refused", _("refused: no subscription")
    NOT_FOUND = "not_found", _("no record")
    TIMEOUT = "timeout", _("timed out")
    UNAVAILABLE = "unavailable", _("provider unavailable")
    CIRCUIT_OPEN = "circuit_open", _("provider paused after failures")


class ExchangeCall(models.Model):
    """One exchange call, appended and never changed (交换日志).

    Partition-ready: the key is (called_at, id), rows reference nothing by foreign key (codes and ids are
    copied), and every read is by time with region, subject, provider or consumer — so the table can be
    partitioned by month (pg_partman) and co-located by region without a migration of its readers.
    """

    pk = models.CompositePrimaryKey("called_at", "id")
    called_at = models.DateTimeField(_("time"))
    id = models.UUIDField(default=uuid.uuid4, editable=False)
    region_code = models.CharField(_("region code"), max_length=12, blank=True)
    consumer_code = models.CharField(_("consumer"), max_length=80)
    consumer_department_id = models.BigIntegerField(_("consumer department id"), null=True, blank=True)
    resource_code = models.CharField(_("resource"), max_length=80)
    provider_department_id = models.BigIntegerField(_("provider department id"), null=True, blank=True)
    subscription_id = models.BigIntegerField(_("subscription id"), null=True, blank=True)
    subject_kind = models.CharField(_("whose data"), max_length=20, choices=SubjectKind.choices)
    subject_key = models.CharField(_("subject key"), max_length=128)
    purpose = models.CharField(_("purpose"), max_length=300)
    result = models.CharField(_("result"), max_length=20, choices=CallResult.choices)
    latency_ms = models.PositiveIntegerField(_("latency (ms)"), default=0)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("exchange call")
        verbose_name_plural = _("exchange calls")
        indexes = [
            models.Index(fields=["subject_key", "called_at"], name="exchange_call_subject"),
            models.Index(fields=["region_code", "called_at"], name="exchange_call_region"),
            models.Index(fields=["provider_department_id", "called_at"], name="exchange_call_provider"),
            models.Index(fields=["consumer_code", "called_at"], name="exchange_call_consumer"),
            models.Index(fields=["called_at"], name="exchange_call_time"),
        ]

    def __str__(self) -> str:
        return f"{self.consumer_code}→{self.resource_code} {self.result}"
