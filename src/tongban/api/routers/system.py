"""Platform endpoints: health and what this deployment is."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema

from tongban import __version__
from tongban.common.public import health_report

router = Router(tags=["system"])


class HealthOut(Schema):
    status: str
    version: str
    checks: dict[str, dict[str, Any]]
    checked_at: str


class MetaOut(Schema):
    name: str
    version: str
    languages: list[str]
    default_language: str
    time_zone: str


@router.get("/health", response=HealthOut, summary="Database, job queue, worker and clock status")
def health(request: HttpRequest) -> dict[str, Any]:
    return health_report()


@router.get("/meta", response=MetaOut, summary="What this deployment is")
def meta(request: HttpRequest) -> dict[str, Any]:
    return {
        "name": "Tongban 通办",
        "version": __version__,
        "languages": [code for code, _name in settings.LANGUAGES],
        "default_language": settings.LANGUAGE_CODE,
        "time_zone": settings.TIME_ZONE,
    }
