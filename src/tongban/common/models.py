"""Platform bookkeeping shared by every context: clock slots, process heartbeats, demo-data markers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ClockSlot(models.Model):
    """One firing of one schedule. The unique pair makes a second clock process a harmless no-op."""

    schedule = models.CharField(_("schedule"), max_length=100)
    slot_start = models.DateTimeField(_("slot start"))
    enqueued_at = models.DateTimeField(_("enqueued at"), auto_now_add=True)
    task_result_id = models.CharField(_("task result id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("clock slot")
        verbose_name_plural = _("clock slots")
        constraints = [models.UniqueConstraint(fields=["schedule", "slot_start"], name="clock_slot_once")]
        indexes = [models.Index(fields=["-enqueued_at"], name="clock_slot_recent")]

    def __str__(self) -> str:
        return f"{self.schedule}@{self.slot_start.isoformat()}"


class Heartbeat(models.Model):
    """Last sign of life of a background role (``worker``, ``clock``), read by /healthz."""

    role = models.CharField(_("role"), max_length=40, primary_key=True)
    seen_at = models.DateTimeField(_("seen at"))
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.role} {self.seen_at.isoformat()}"


class DemoDataset(models.Model):
    """Marks a demo data set as loaded, so ``make run`` loads it once and not at every start."""

    name = models.CharField(_("name"), max_length=60, primary_key=True)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("demo dataset")
        verbose_name_plural = _("demo datasets")

    def __str__(self) -> str:
        return self.name


class AuditEvent(models.Model):
    """One state change anywhere in the platform: who did what to which object, with before and after.

    Append-only: written by :func:`tongban.common.audit.record_audit` in the same transaction as the change
    it describes, never updated. The actor is kept as an id and a label (not a foreign key) so this bottom
    layer depends on no context and an event outlives the account it names.
    """

    occurred_at = models.DateTimeField(_("occurred at"), db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True)
    actor_label = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=80)
    object_type = models.CharField(_("object type"), max_length=80)
    object_id = models.CharField(_("object id"), max_length=80)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    region_code = models.CharField(_("region code"), max_length=12, blank=True)
    # Tamper evidence: each event extends the hash chain of its partition (see tongban.common.audit).
    partition = models.PositiveSmallIntegerField(_("chain partition"))
    seq = models.BigIntegerField(_("sequence in partition"))
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id", "occurred_at"], name="audit_object")]
        constraints = [models.UniqueConstraint(fields=["partition", "seq"], name="audit_chain_position")]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """The last link of one partition's chain. Writers lock only their partition's head, so concurrent
    changes to different objects do not queue behind one row."""

    partition = models.PositiveSmallIntegerField(_("chain partition"), primary_key=True)
    last_seq = models.BigIntegerField(_("last sequence"), default=0)
    last_hash = models.CharField(_("last hash"), max_length=64)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")

    def __str__(self) -> str:
        return f"{self.partition}#{self.last_seq}"


class AuditCheckpoint(models.Model):
    """A periodic snapshot binding every partition's head into one hash, itself chained to the previous
    checkpoint. Exported (``tongban audit checkpoints``) so an outside party can hold the hashes."""

    created_at = models.DateTimeField(_("created at"))
    heads = models.JSONField(_("partition heads"))  # {"partition": [seq, hash], …}
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.created_at.isoformat()} {self.hash[:12]}"


class Message(models.Model):
    """An in-app message (站内信) to a user; channels (SMS, email) deliver a copy after commit."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    link = models.CharField(_("link"), max_length=300, blank=True)
    topic = models.CharField(_("topic"), max_length=60, blank=True, help_text=_("e.g. case:<number>"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    delivered = models.JSONField(_("delivered through"), default=list, blank=True)
    # The message is its own delivery job (an outbox): pending while delivered_at is empty.
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    delivery_attempts = models.PositiveSmallIntegerField(_("delivery attempts"), default=0)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="message_inbox"),
            models.Index(fields=["id"], name="message_undelivered", condition=models.Q(delivered_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return self.subject
