"""Cases (办件): one application of one item by one applicant, its materials, its history and its clock.

Large tables carry ``region_code`` (the region of the item's implementing department) so a distributed
PostgreSQL can shard and co-locate by it later; the queue, "my cases" and the deadline sweep each have an
index shaped for their query. A case keeps a snapshot of the item version it was submitted under, so later
catalog edits never change what an applicant applied for.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("awaiting acceptance")  # 申请, 待受理
    HANDLING = "handling", _("handling")  # 承办
    REVIEW = "review", _("review")  # 审核
    APPROVAL = "approval", _("approval")  # 批准
    SUPPLEMENT = "supplement", _("awaiting supplement")  # 补正: waiting for the applicant
    SUSPENDED = "suspended", _("suspended")  # 听证、检验检测、专家评审: clock stopped
    WAITING = "waiting", _("waiting for an earlier step")  # 一件事: a later step, released when its turn comes
    CLOSED = "closed", _("closed")  # 办结


OPEN_STAGES = (Stage.SUBMITTED, Stage.HANDLING, Stage.REVIEW, Stage.APPROVAL, Stage.SUPPLEMENT, Stage.SUSPENDED)


class Outcome(models.TextChoices):
    APPROVED = "approved", _("approved")  # 准予
    DENIED = "denied", _("denied")  # 不予许可
    NOT_ACCEPTED = "not_accepted", _("not accepted")  # 不予受理
    WITHDRAWN = "withdrawn", _("withdrawn")  # 撤回
    CANCELLED = "cancelled", _("not started: an earlier step was not approved")  # 一件事 only


class Warning(models.TextChoices):
    """Supervision light by remaining working days (thresholds in settings.CASE_WARNING_DAYS)."""

    NONE = "", _("no time limit")
    GREEN = "green", _("on time")
    YELLOW = "yellow", _("due soon")
    RED = "red", _("overdue")


class Channel(models.TextChoices):
    ONLINE = "online", _("online")
    WINDOW = "window", _("service window")


class SuspensionKind(models.TextChoices):
    SUPPLEMENT = "supplement", _("supplement (补正)")
    HEARING = "hearing", _("hearing (听证)")
    TESTING = "testing", _("inspection or testing (检验检测)")
    EXPERT_REVIEW = "expert_review", _("expert review (专家评审)")


class ItemSnapshot(models.Model):
    """The item version a case was submitted under, stored once and shared by all its cases.

    Published catalog versions never change (editing makes a new version), so (code, version) names one text.
    """

    item_code = models.CharField(_("item code"), max_length=80)
    version = models.PositiveIntegerField(_("item version"))
    data = models.JSONField(_("item as published"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("item snapshot")
        verbose_name_plural = _("item snapshots")
        constraints = [models.UniqueConstraint(fields=["item_code", "version"], name="item_snapshot_once")]

    def __str__(self) -> str:
        return f"{self.item_code} v{self.version}"


class Case(models.Model):
    number = models.CharField(_("case number"), max_length=40, unique=True, null=True, blank=True)
    region_code = models.CharField(_("region code"), max_length=12)
    item_code = models.CharField(_("item code"), max_length=80)
    item_version = models.PositiveIntegerField(_("item version"))
    item_name = models.CharField(_("item"), max_length=300)
    # No single-column index on these four: every insert and every change of an indexed column pays for each
    # index, and none of these was ever read alone — the department's and the applicant's reads go through the
    # composite indexes below (led by the same column), and snapshots and submitters are only looked up when
    # one is deleted, which PROTECT refuses anyway while cases point to it.
    snapshot = models.ForeignKey(
        ItemSnapshot,
        verbose_name=_("item as applied for"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    department = models.ForeignKey(
        "identity.Department",
        verbose_name=_("competent department"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        help_text=_("The applicant, an authorised agent, or the window clerk."),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    # NULL, not "", when absent: the unique constraint below must ignore cases submitted without a key.
    idempotency_key = models.CharField(_("idempotency key"), max_length=80, null=True, blank=True)  # noqa: DJ001
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.DRAFT)
    stage_plan = models.JSONField(_("stages"), default=list)  # e.g. ["handling", "review", "approval"]
    resume_stage = models.CharField(_("stage to resume"), max_length=12, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=14, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(_("reasons"), blank=True)
    form_data = models.JSONField(_("form"), default=dict, blank=True)
    # Where prefilled answers came from: {field: {"source": "identity"|"<resource code>", "provider": …, "at": iso}}
    form_sources = models.JSONField(_("form sources"), default=dict, blank=True)
    # Legal clock (法定/承诺时限), in working days counted from acceptance; suspensions and extensions move it.
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    statutory_due = models.DateField(_("statutory due date"), null=True, blank=True)
    promised_due = models.DateField(_("promised due date"), null=True, blank=True)
    due = models.DateField(
        _("due date"), null=True, blank=True, help_text=_("The promised due date, or the statutory one if none.")
    )
    warning = models.CharField(_("warning"), max_length=6, choices=Warning.choices, blank=True, default="")
    due_provisional = models.BooleanField(
        _("provisional due date"), default=False, help_text=_("Reaches into a year whose holidays are unpublished.")
    )
    suspended_days = models.PositiveIntegerField(_("working days suspended"), default=0)
    extended_days = models.PositiveIntegerField(_("working days of extension"), default=0)
    suspended_since = models.DateField(_("suspended since"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("edit version"), default=0)  # guards concurrent officer actions
    # 一件事: the bundle application this case is one step of, and that step's stage (stages run in order).
    parent = models.ForeignKey(
        "cases.BundleCase",
        verbose_name=_("bundle application"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    bundle_stage = models.PositiveSmallIntegerField(_("bundle stage"), null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(
                fields=["submitted_by", "idempotency_key"],
                name="case_idempotency_once",
                condition=models.Q(idempotency_key__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["department", "stage", "due"], name="case_queue"),
            models.Index(fields=["applicant", "-created_at"], name="case_applicant"),
            # The deadline sweep, and an administrator's queue read one open stage at a time (selectors.
            # _in_index_order); with id, a stage whose cases have no due date yet is read in order, not sorted.
            models.Index(fields=["stage", "due", "id"], name="case_stage_queue"),
            models.Index(fields=["region_code", "submitted_at"], name="case_region_time"),
            # Supervision: a department's month, received and completed.
            models.Index(fields=["department", "submitted_at"], name="case_department_received"),
            models.Index(fields=["department", "closed_at"], name="case_department_closed"),
            models.Index(fields=["department", "warning", "due"], name="case_department_warning"),
            # The staff queue: open cases of a department by due date (see selectors.staff_queue).
            models.Index(
                fields=["department", "due", "id"], name="case_open_queue", condition=models.Q(stage__in=OPEN_STAGES)
            ),
            # "My cases": those an agent or clerk submitted for someone else (selectors.my_case_rows).
            models.Index(
                F("submitted_by"),
                F("created_at").desc(),
                F("id").desc(),
                name="case_on_behalf",
                condition=~models.Q(submitted_by=F("applicant")),
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"draft {self.pk}"

    @property
    def item_snapshot(self) -> dict[str, Any]:
        data: dict[str, Any] = self.snapshot.data
        return data

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


class CaseMaterial(models.Model):
    """How one listed material is satisfied (国办函〔2016〕108号 trust levels A–D)."""

    class Source(models.TextChoices):
        E_LICENSE = "e_license", _("e-license (A)")
        CLERK_VERIFIED = "clerk_verified", _("copy verified by a clerk (B)")
        UPLOAD = "upload", _("upload (C)")
        COMMITMENT = "commitment", _("signed commitment (D)")
        SHARED_DATA = "shared_data", _("shared data (exempt from submission)")

    TRUST = {"e_license": "A", "shared_data": "A", "clerk_verified": "B", "upload": "C", "commitment": "D"}

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="materials")
    position = models.PositiveIntegerField(_("position in the guide"))
    name = models.CharField(_("name"), max_length=500)
    source = models.CharField(_("satisfied by"), max_length=16, choices=Source.choices)
    trust_level = models.CharField(_("trust level"), max_length=1)
    reference = models.CharField(_("reference"), max_length=200, blank=True, help_text=_("License or data resource."))
    file = models.FileField(_("file"), upload_to="cases/%Y/%m/", blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("case material")
        verbose_name_plural = _("case materials")
        constraints = [models.UniqueConstraint(fields=["case", "position"], name="case_material_once")]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.position} {self.source}"


class CaseEvent(models.Model):
    """The append-only history of a case: the parcel-style timeline and the officers' record."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    role = models.CharField(_("role"), max_length=20)
    action = models.CharField(_("action"), max_length=30)
    from_stage = models.CharField(_("from"), max_length=12, blank=True)
    to_stage = models.CharField(_("to"), max_length=12)
    comment = models.TextField(_("comment"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["case_id", "at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="case_event_timeline")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"


class Suspension(models.Model):
    """A stop of the legal clock: 补正 (waiting for the applicant), 听证, 检验检测 or 专家评审."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="suspensions")
    kind = models.CharField(_("kind"), max_length=14, choices=SuspensionKind.choices)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    working_days = models.PositiveIntegerField(_("working days"), default=0)
    reason = models.TextField(_("reason"))
    checklist = models.JSONField(
        _("what is needed"), default=list, blank=True
    )  # 一次性告知: [{"position", "name", "note"}]

    class Meta:
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        ordering = ["case_id", "started_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.started_on}"


class CaseNumberSequence(models.Model):
    """One lane of the daily counter behind case numbers ``<region>-<yyyymmdd>-<lane><sequence>``.

    Up to ten lanes per region and day (ADR 0010), so concurrent submissions do not queue on one row: each
    takes the lowest lane no other open transaction holds. Every lane counts 1, 2, 3 … without gaps."""

    region_code = models.CharField(max_length=12)
    day = models.DateField()
    lane = models.PositiveSmallIntegerField(default=0)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region_code", "day", "lane"], name="case_number_lane_once"),
            models.CheckConstraint(condition=models.Q(lane__lte=9), name="case_number_lane_one_digit"),
        ]

    def __str__(self) -> str:
        return f"{self.region_code}-{self.day:%Y%m%d} lane {self.lane}: {self.last}"


# --- 一件事: bundle applications ------------------------------------------------------------------------------
class BundleStatus(models.TextChoices):
    OPEN = "open", _("in progress")
    COMPLETED = "completed", _("completed: every service approved")
    PARTLY = "partly", _("finished: not every service was approved")


class BundleCase(models.Model):
    """One application for a bundle (一件事): the parent of one child :class:`Case` per step and department.

    Not a ``Case`` itself, so it never sits in a department's queue or in a department's figures; its children
    do. Its row is the lock that makes "the last child to finish completes the bundle" happen exactly once.
    """

    number = models.CharField(_("bundle application number"), max_length=40, unique=True)
    slug = models.CharField(_("bundle"), max_length=60)
    name = models.CharField(_("name"), max_length=100)
    region_code = models.CharField(_("region code"), max_length=12)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    idempotency_key = models.CharField(_("idempotency key"), max_length=80, null=True, blank=True)  # noqa: DJ001
    status = models.CharField(_("status"), max_length=10, choices=BundleStatus.choices, default=BundleStatus.OPEN)
    form_data = models.JSONField(_("shared form"), default=dict, blank=True)
    # What applying together saves, from the catalog at submission (see cases.bundles.saving_of).
    saving = models.JSONField(_("saving"), default=dict, blank=True)
    steps = models.JSONField(_("steps"), default=list, blank=True)  # [{"code", "name", "stage", "department"}]
    results = models.JSONField(_("results delivered"), default=list, blank=True)  # [{"number", "type", "case"}]
    outcome_note = models.TextField(_("outcome"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    version = models.PositiveIntegerField(_("edit version"), default=0)

    class Meta:
        verbose_name = _("bundle application")
        verbose_name_plural = _("bundle applications")
        constraints = [
            models.UniqueConstraint(
                fields=["submitted_by", "idempotency_key"],
                name="bundle_idempotency_once",
                condition=models.Q(idempotency_key__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["applicant", "-created_at"], name="bundle_applicant"),
            models.Index(fields=["slug", "submitted_at"], name="bundle_slug_time"),
        ]

    def __str__(self) -> str:
        return self.number


# --- 告知承诺: commitments and post-checks --------------------------------------------------------------------
class CaseCommitment(models.Model):
    """The applicant's signed commitment (告知承诺) in place of the proofs the item lets it replace."""

    case = models.OneToOneField(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="commitment")
    text = models.TextField(_("commitment text"))
    materials = models.JSONField(_("materials replaced"), default=list)  # [{"position", "name"}]
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signed by"), on_delete=models.PROTECT, related_name="+"
    )
    signer_name = models.CharField(_("signer's name"), max_length=100)
    real_name_level = models.CharField(_("real-name level when signing"), max_length=4, blank=True)
    signed_at = models.DateTimeField(_("signed at"))

    class Meta:
        verbose_name = _("signed commitment")
        verbose_name_plural = _("signed commitments")

    def __str__(self) -> str:
        return f"{self.case_id} {self.signed_at:%Y-%m-%d}"


class PostCheckStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    PASSED = "passed", _("passed")
    FAILED = "failed", _("failed: the commitment was untrue")


class PostCheck(models.Model):
    """事后核查: checking a commitment-approved case some working days after the result was issued."""

    case = models.OneToOneField(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="postcheck")
    department = models.ForeignKey(
        "identity.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("region code"), max_length=12)
    due_on = models.DateField(_("check on or before"))
    due_provisional = models.BooleanField(_("provisional date"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=PostCheckStatus.choices, default=PostCheckStatus.SCHEDULED
    )
    licenses = models.JSONField(_("results under check"), default=list, blank=True)  # license numbers
    findings = models.TextField(_("findings"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    created_at = models.DateTimeField(_("scheduled at"), auto_now_add=True)
    version = models.PositiveIntegerField(_("edit version"), default=0)

    class Meta:
        verbose_name = _("post-check")
        verbose_name_plural = _("post-checks")
        indexes = [models.Index(fields=["department", "status", "due_on"], name="postcheck_queue")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.status} {self.due_on}"


class CommitmentBreach(models.Model):
    """A false commitment found by a post-check, kept on the applicant's record (staff of later cases see it)."""

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="+")
    postcheck = models.OneToOneField(
        PostCheck, verbose_name=_("post-check"), on_delete=models.PROTECT, related_name="breach"
    )
    item_name = models.CharField(_("item"), max_length=300)
    commitment_text = models.TextField(_("commitment text"))
    findings = models.TextField(_("findings"))
    licenses_revoked = models.JSONField(_("licenses revoked"), default=list, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("false commitment")
        verbose_name_plural = _("false commitments")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["applicant", "-recorded_at"], name="breach_applicant")]

    def __str__(self) -> str:
        return f"{self.applicant_id} {self.case_id}"
