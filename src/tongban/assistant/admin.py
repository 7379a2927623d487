from __future__ import annotations

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from tongban.assistant import services
from tongban.assistant.models import Synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin[Synonym]):
    list_display = ("term", "expansions", "updated_at")
    search_fields = ("term", "expansions")

    def save_model(self, request: HttpRequest, obj: Synonym, form: ModelForm[Synonym], change: bool) -> None:
        super().save_model(request, obj, form, change)
        services.invalidate()  # this process at once; the others within TONGBAN_SEARCH_RECHECK_SECONDS
