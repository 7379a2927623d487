"""Accounts. The identity issue adds persons, enterprises, agents, staff roles and real-name levels."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
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
