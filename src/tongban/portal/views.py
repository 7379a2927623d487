"""Citizen-facing pages. Views call services and selectors of the contexts; they never save models."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tongban.catalog.public import bundle_entries, theme_names

HOME_THEMES = 12


def home(request: HttpRequest) -> HttpResponse:
    context = {"bundles": bundle_entries(), "themes": theme_names(limit=HOME_THEMES)}
    return render(request, "portal/home.html", context)
