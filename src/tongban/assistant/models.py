"""The search index (one row per published item, pre-segmented) and the editable synonym table.

The full-text structures live beside the table and are created by migration 0002 for the database in use:
an FTS5 table ``assistant_fts`` on SQLite, a ``tsvector`` column with a GIN index on PostgreSQL.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    code = models.CharField(_("item code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=300)
    department = models.CharField(_("department"), max_length=200)
    title_tokens = models.TextField(_("title tokens"))
    body_tokens = models.TextField(_("body tokens"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self) -> str:
        return self.code


class Synonym(models.Model):
    """A word citizens use (社保卡) and the catalogue's words for it (社会保障卡)."""

    term = models.CharField(_("term"), max_length=50, unique=True)
    expansions = models.CharField(
        _("expansions"), max_length=300, help_text=_("Catalogue words that mean the same, separated by spaces.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("synonym")
        verbose_name_plural = _("synonyms")
        ordering = ["term"]

    def __str__(self) -> str:
        return f"{self.term} → {self.expansions}"
