"""The working-day calendar as data: which years are published, and the dates that break the weekday rule."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    """A year whose official holiday arrangement has been published and loaded.

    Dates in a year without a row here are *provisional*: the legal clock still answers, flagged as such,
    and recomputes when the year is loaded.
    """

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    source = models.CharField(_("source"), max_length=500, help_text=_("The notice that published it."))
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        verbose_name = _("published year")
        verbose_name_plural = _("published years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A date that breaks the Monday–Friday rule: a holiday (off) or a make-up working day (调休上班)."""

    date = models.DateField(_("date"), primary_key=True)
    is_workday = models.BooleanField(_("working day"), help_text=_("Checked for a make-up working day (调休)."))
    name = models.CharField(_("holiday"), max_length=60)

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}"
