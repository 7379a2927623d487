"""Standard service items (事项, GB/T 39554.1), their versions, materials, bundles (一件事) and the audit trail.

An :class:`Item` is the stable identity (its implementation code). Everything a guide shows lives on an
:class:`ItemVersion`; editing creates a draft version and publishing makes it the item's current one, so a
case can keep pointing at the exact version it was submitted under.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tongban.identity.public import Department, Region


class ItemType(models.TextChoices):
    """事项类型. Stored as a stable name; each source maps its own type codes onto it (importing/*.py)."""

    LICENSING = "licensing", _("行政许可")
    BENEFIT = "benefit", _("行政给付")
    CONFIRMATION = "confirmation", _("行政确认")
    REWARD = "reward", _("行政奖励")
    ADJUDICATION = "adjudication", _("行政裁决")
    OTHER_POWER = "other_power", _("其他行政权力")
    PUBLIC_SERVICE = "public_service", _("公共服务")


class LimitUnit(models.TextChoices):
    WORKING_DAYS = "working", _("working days")
    NATURAL_DAYS = "natural", _("calendar days")


class OnlineDepth(models.TextChoices):
    """网办深度."""

    FULLY_ONLINE = "full", _("全程网办")
    AT_MOST_ONCE = "once", _("最多跑一次")
    ON_SITE = "on_site", _("需到现场办理")
    UNKNOWN = "", _("unknown")


class Theme(models.Model):
    """主题分类 (社会保障, 生小孩, 准营准办 …) as published by the source catalogs."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServiceObject(models.Model):
    """服务对象 (自然人, 企业法人 …)."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("service object")
        verbose_name_plural = _("service objects")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    """One standard item as implemented by one department in one region (实施清单的一行)."""

    code = models.CharField(_("implementation code"), max_length=80, unique=True)
    basic_code = models.CharField(_("basic code"), max_length=40, blank=True, db_index=True)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Department, verbose_name=_("implementing department"), on_delete=models.PROTECT, related_name="+"
    )
    source_format = models.CharField(_("imported from"), max_length=20, blank=True)
    is_demo = models.BooleanField(_("demo item"), default=False, help_text=_("Authored for the demo, not official."))
    current_version = models.OneToOneField(
        "ItemVersion",
        verbose_name=_("current version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        ordering = ["code"]
        indexes = [models.Index(fields=["department", "code"], name="item_department_code")]

    def __str__(self) -> str:
        name = self.current_version.name if self.current_version_id and self.current_version else ""
        return f"{name} ({self.code})"


class ItemVersion(models.Model):
    """Everything a guide shows, frozen per version. Only drafts may change."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        SUPERSEDED = "superseded", _("superseded")

    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)

    name = models.CharField(_("name"), max_length=300)
    sub_item_name = models.CharField(_("sub-item (办理项)"), max_length=300, blank=True)
    parent_name = models.CharField(_("main item"), max_length=300, blank=True)
    item_type = models.CharField(_("type"), max_length=20, choices=ItemType.choices)
    service_objects = models.ManyToManyField(ServiceObject, verbose_name=_("service objects"), blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True)
    # The published lists in their published order (the M2M fields above serve browsing and lose order).
    service_object_list = models.JSONField(_("service objects as published"), default=list, blank=True)
    theme_list = models.JSONField(_("themes as published"), default=list, blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    conditions = models.TextField(_("acceptance conditions"), blank=True)
    statutory_limit_days = models.PositiveIntegerField(_("statutory time limit (days)"), null=True, blank=True)
    statutory_limit_unit = models.CharField(
        _("statutory limit unit"), max_length=10, choices=LimitUnit.choices, default=LimitUnit.WORKING_DAYS
    )
    statutory_limit_text = models.CharField(_("statutory time limit as published"), max_length=100, blank=True)
    promised_limit_days = models.PositiveIntegerField(_("promised time limit (days)"), null=True, blank=True)
    promised_limit_unit = models.CharField(
        _("promised limit unit"), max_length=10, choices=LimitUnit.choices, default=LimitUnit.WORKING_DAYS
    )
    promised_limit_text = models.CharField(_("promised time limit as published"), max_length=100, blank=True)
    is_immediate = models.BooleanField(_("即办 (decided on the spot)"), default=False)
    fees = models.TextField(_("fees"), blank=True)
    online_depth = models.CharField(
        _("online depth"), max_length=10, choices=OnlineDepth.choices, default=OnlineDepth.UNKNOWN, blank=True
    )
    visits = models.PositiveSmallIntegerField(_("visits needed"), null=True, blank=True)
    online_url = models.URLField(_("online application address"), max_length=500, blank=True)
    place = models.TextField(_("place"), blank=True)
    consult_phone = models.TextField(_("consultation phone"), blank=True)
    complaint_phone = models.TextField(_("complaint phone"), blank=True)
    faq = models.JSONField(_("FAQ"), default=list, blank=True, help_text=_('[{"q": "…", "a": "…"}]'))
    form_schema = models.JSONField(_("application form (JSON Schema)"), default=dict, blank=True)
    form_ui = models.JSONField(_("form UI hints"), default=dict, blank=True)
    stage_overrides = models.JSONField(_("processing-stage overrides"), default=list, blank=True)
    # 告知承诺制: a non-empty text flags the item for commitment approval; the applicant signs it in place of the
    # materials marked ``substitute="commitment"`` and an officer checks afterwards (事后核查).
    commitment_text = models.TextField(_("commitment text (告知承诺)"), blank=True)
    postcheck_days = models.PositiveSmallIntegerField(
        _("post-check after (working days)"), null=True, blank=True, help_text=_("Empty: the deployment default.")
    )
    source = models.JSONField(_("source record"), default=dict, blank=True, help_text=_("Unmapped source fields."))
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("item version")
        verbose_name_plural = _("item versions")
        ordering = ["item_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="item_version_number_unique")]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"


class Material(models.Model):
    """申请材料, in the order the guide lists them."""

    class Requirement(models.TextChoices):
        REQUIRED = "required", _("required")
        CONDITIONAL = "conditional", _("conditional")

    class Original(models.TextChoices):
        ORIGINAL = "original", _("original")
        COPY = "copy", _("copy")
        BOTH = "both", _("original and copy")
        UNSPECIFIED = "", _("not specified")

    class Substitute(models.TextChoices):
        NONE = "", _("upload")
        E_LICENSE = "e_license", _("e-license")
        SHARED_DATA = "shared_data", _("shared data")
        COMMITMENT = "commitment", _("commitment (告知承诺)")

    version = models.ForeignKey(
        ItemVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="materials"
    )
    position = models.PositiveIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=500)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    media = models.CharField(_("format"), max_length=100, blank=True)
    copies = models.PositiveSmallIntegerField(_("copies"), null=True, blank=True)
    original = models.CharField(_("original or copy"), max_length=10, choices=Original.choices, blank=True, default="")
    requirement = models.CharField(
        _("required"), max_length=12, choices=Requirement.choices, default=Requirement.REQUIRED
    )
    notes = models.TextField(_("notes"), blank=True)
    substitute = models.CharField(
        _("may be replaced by"), max_length=12, choices=Substitute.choices, blank=True, default=""
    )
    substitute_ref = models.CharField(_("e-license type or data resource"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["version_id", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "position"], name="material_position_unique")]

    def __str__(self) -> str:
        return self.name


class Bundle(models.Model):
    """一件事 (GB/T 45836): items around one life or business event, applied for together."""

    class Event(models.TextChoices):
        LIFE = "life", _("life event")
        BUSINESS = "business", _("business event")

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)
    event = models.CharField(_("event kind"), max_length=10, choices=Event.choices)
    summary = models.TextField(_("summary"), blank=True)
    keywords = models.CharField(
        _("keywords"), max_length=500, blank=True, help_text=_("Words citizens use, separated by spaces.")
    )
    shared_fields = models.JSONField(_("shared form fields"), default=list, blank=True)
    promised_days = models.PositiveIntegerField(_("promised days for the bundle"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo bundle"), default=False)
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("bundle (一件事)")
        verbose_name_plural = _("bundles (一件事)")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BundleStep(models.Model):
    """One item of a bundle. Steps with the same ``stage`` run in parallel; stages run in order."""

    bundle = models.ForeignKey(Bundle, verbose_name=_("bundle"), on_delete=models.CASCADE, related_name="steps")
    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    stage = models.PositiveSmallIntegerField(_("stage"), default=1)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("bundle step")
        verbose_name_plural = _("bundle steps")
        ordering = ["bundle_id", "stage", "position"]
        constraints = [models.UniqueConstraint(fields=["bundle", "item"], name="bundle_item_unique")]

    def __str__(self) -> str:
        return f"{self.bundle_id}:{self.item_id}"


class CatalogChange(models.Model):
    """Append-only audit of every catalog write: who did what to which item, version or bundle."""

    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    action = models.CharField(_("action"), max_length=40)
    item_code = models.CharField(_("item code"), max_length=80, blank=True, db_index=True)
    version_number = models.PositiveIntegerField(_("version"), null=True, blank=True)
    bundle_slug = models.CharField(_("bundle"), max_length=60, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("catalog change")
        verbose_name_plural = _("catalog changes")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.item_code or self.bundle_slug}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk:
            raise ValueError("catalog changes are append-only")
        super().save(*args, **kwargs)
