"""Citizen-facing pages. Views call services and selectors of the contexts; they never save models."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")
