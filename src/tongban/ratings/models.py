"""好差评 (GB/T 39734 一次一评): ratings of cases and window visits, and the rectification of bad ones."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    VERY_SATISFIED = 5, _("very satisfied")  # 非常满意
    SATISFIED = 4, _("satisfied")  # 满意
    FAIRLY_SATISFIED = 3, _("fairly satisfied")  # 基本满意
    DISSATISFIED = 2, _("dissatisfied")  # 不满意
    VERY_DISSATISFIED = 1, _("very dissatisfied")  # 非常不满意


BAD_LEVELS = (Level.DISSATISFIED, Level.VERY_DISSATISFIED)


class WindowVisit(models.Model):
    """A citizen served at a service-centre window, with or without a case (一次一评 of the visit).

    The clerk records it; the citizen gets a link (and QR code) carrying ``token``, valid until ``expires_at``,
    and may rate the visit once. The clerk's pages show whether it was rated, never how or by whom.
    """

    department = models.ForeignKey(
        "identity.Department", verbose_name=_("department served"), on_delete=models.PROTECT, related_name="+"
    )
    service_centre = models.ForeignKey(
        "identity.Department",
        verbose_name=_("service centre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    window = models.CharField(_("window"), max_length=40)
    region_code = models.CharField(_("region code"), max_length=12)
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("window clerk"), on_delete=models.PROTECT, related_name="+"
    )
    item_code = models.CharField(_("item code"), max_length=80, blank=True)
    item_name = models.CharField(_("item"), max_length=300, blank=True)
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    token = models.CharField(_("rating link token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("served at"), default=timezone.now)
    expires_at = models.DateTimeField(_("rating link valid until"))

    class Meta:
        verbose_name = _("window visit")
        verbose_name_plural = _("window visits")
        indexes = [models.Index(fields=["clerk", "-created_at"], name="visit_clerk_time")]

    def __str__(self) -> str:
        return f"visit {self.pk} ({self.window})"


class Rating(models.Model):
    """One rating per case (or per window visit). Staff read it through selectors that leave out the rater."""

    class Kind(models.TextChoices):
        CASE = "case", _("case")
        WINDOW_VISIT = "window_visit", _("window visit")

    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices, default=Kind.CASE)
    case = models.OneToOneField(
        "cases.Case", verbose_name=_("case"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    visit = models.OneToOneField(
        WindowVisit, verbose_name=_("window visit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="rating",
    )  # fmt: skip
    department = models.ForeignKey(
        "identity.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("region code"), max_length=12)
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("rater"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("rated at"), default=timezone.now)
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)
    excluded = models.BooleanField(
        _("excluded after appeal"), default=False, help_text=_("Upheld as malicious on appeal; not counted.")
    )

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        indexes = [models.Index(fields=["department", "created_at"], name="rating_department_time")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="case", case__isnull=False, visit__isnull=True)
                | models.Q(kind="window_visit", visit__isnull=False, case__isnull=True),
                name="rating_of_a_case_or_a_visit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.case_id or self.visit_id}: {self.level}"


class RectificationPolicy(models.Model):
    """Working-day deadlines for following up bad ratings, per region (local rules differ; defaults 1/5/15)."""

    region_code = models.CharField(_("region code"), max_length=12, unique=True)
    contact_days = models.PositiveSmallIntegerField(_("contact the rater within (working days)"), default=1)
    rectify_days = models.PositiveSmallIntegerField(_("rectify within (working days)"), default=5)
    complex_days = models.PositiveSmallIntegerField(_("complex cases within (working days)"), default=15)

    class Meta:
        verbose_name = _("rectification policy")
        verbose_name_plural = _("rectification policies")

    def __str__(self) -> str:
        return f"{self.region_code}: {self.contact_days}/{self.rectify_days}/{self.complex_days}"


class TicketState(models.TextChoices):
    OPEN = "open", _("open")
    CONTACTED = "contacted", _("rater contacted")
    RECTIFYING = "rectifying", _("rectifying")
    RESOLVED = "resolved", _("resolved")
    EXPLAINED = "explained", _("explained")
    CONFIRMED = "confirmed", _("confirmed by the rater")
    DISPUTED = "disputed", _("disputed by the rater")
    UNDER_APPEAL = "under_appeal", _("under appeal")
    CLOSED_ON_APPEAL = "closed_on_appeal", _("closed on appeal")


OPEN_TICKET_STATES = (TicketState.OPEN, TicketState.CONTACTED, TicketState.RECTIFYING, TicketState.DISPUTED)


class RectificationTicket(models.Model):
    rating = models.OneToOneField(Rating, verbose_name=_("rating"), on_delete=models.PROTECT, related_name="ticket")
    department = models.ForeignKey(
        "identity.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("region code"), max_length=12)
    state = models.CharField(_("state"), max_length=16, choices=TicketState.choices, default=TicketState.OPEN)
    is_complex = models.BooleanField(_("complex"), default=False)
    opened_on = models.DateField(_("opened on"))
    contact_due = models.DateField(_("contact due"))
    rectify_due = models.DateField(_("rectification due"))
    due_provisional = models.BooleanField(_("provisional due dates"), default=False)
    contacted_at = models.DateTimeField(_("contacted at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution = models.TextField(_("what was done"), blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    appeal_reason = models.TextField(_("appeal reason"), blank=True)
    version = models.PositiveIntegerField(_("edit version"), default=0)

    class Meta:
        verbose_name = _("rectification ticket")
        verbose_name_plural = _("rectification tickets")
        indexes = [models.Index(fields=["department", "state", "rectify_due"], name="ticket_queue")]

    def __str__(self) -> str:
        return f"ticket {self.pk} ({self.state})"


class TicketEvent(models.Model):
    ticket = models.ForeignKey(RectificationTicket, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=30)
    from_state = models.CharField(_("from"), max_length=16, blank=True, choices=TicketState.choices)
    to_state = models.CharField(_("to"), max_length=16, choices=TicketState.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        ordering = ["ticket_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.action}"
