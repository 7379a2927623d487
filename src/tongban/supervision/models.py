"""Per-department per-day sums of the case figures, so a month's supervision page reads ~30 rows, not its cases.

Rows for finished days are written by ``refresh_department_days`` (a periodic job); the days after the last
refresh — always including today — are counted live from the case rows when a page asks.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DepartmentDay(models.Model):
    """One department's cases received and completed on one local (Asia/Shanghai) day."""

    department = models.ForeignKey(
        "identity.Department", verbose_name=_("department"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    received = models.PositiveIntegerField(_("received"), default=0)
    online = models.PositiveIntegerField(_("received online"), default=0)
    window = models.PositiveIntegerField(_("received at a window"), default=0)
    completed = models.PositiveIntegerField(_("completed"), default=0)
    approved = models.PositiveIntegerField(_("approved"), default=0)
    on_time = models.PositiveIntegerField(_("completed on time"), default=0)
    handled = models.PositiveIntegerField(_("completed after acceptance"), default=0)
    handled_working_days = models.IntegerField(_("working days spent, summed"), default=0)
    promised = models.PositiveIntegerField(_("completed with a promised limit"), default=0)
    promised_days = models.PositiveIntegerField(_("promised working days, summed"), default=0)

    class Meta:
        verbose_name = _("department day")
        verbose_name_plural = _("department days")
        constraints = [models.UniqueConstraint(fields=["department", "day"], name="department_day_once")]

    def __str__(self) -> str:
        return f"{self.department_id} {self.day}"


class RefreshState(models.Model):
    """How far ``DepartmentDay`` rows are complete, and for which working-day calendar they were counted."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    through = models.DateField(_("complete through"), null=True, blank=True)
    calendar_fingerprint = models.CharField(_("calendar fingerprint"), max_length=64, blank=True)
    refreshed_at = models.DateTimeField(_("refreshed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("refresh state")
        verbose_name_plural = _("refresh states")

    def __str__(self) -> str:
        return f"{self.name} through {self.through}"
