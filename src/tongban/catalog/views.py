"""Guide pages (办事指南): browse by department, theme and service object; item pages; bundles. Thin views."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from tongban.catalog import selectors
from tongban.catalog.models import ItemVersion
from tongban.common.public import NotFound

PER_PAGE = 30


def index(request: HttpRequest) -> HttpResponse:
    department = request.GET.get("department") or None
    theme = request.GET.get("theme") or None
    service_object = request.GET.get("object") or None
    q = (request.GET.get("q") or "").strip()[:100]
    filtered = bool(department or theme or service_object or q)
    page = None
    if filtered:
        items = selectors.items_browse(department=department, theme=theme, service_object=service_object, q=q)
        page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    departments = selectors.department_counts()
    department_name = next((name for code, name, _r, _n in departments if code == department), department)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalog/index.html",
        {
            "page": page,
            "filtered": filtered,
            "department": department,
            "department_name": department_name,
            "theme": theme,
            "service_object": service_object,
            "q": q,
            "querystring": query.urlencode(),
            "departments": departments,
            "themes": selectors.theme_counts(),
            "service_objects": selectors.service_object_counts(),
            "bundles": selectors.bundles(),
        },
    )


def _version(code: str, number: str | None) -> ItemVersion:
    try:
        return selectors.item_version(code=code, number=int(number) if number and number.isdigit() else None)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def item_detail(request: HttpRequest, code: str) -> HttpResponse:
    version = _version(code, request.GET.get("version"))
    return render(
        request,
        "catalog/item_detail.html",
        {"version": version, "item": version.item, "versions": selectors.item_versions(code=code)},
    )


def item_print(request: HttpRequest, code: str) -> HttpResponse:
    version = _version(code, request.GET.get("version"))
    return render(request, "catalog/item_print.html", {"version": version, "item": version.item})


def bundle_list(request: HttpRequest) -> HttpResponse:
    bundles = [(b, selectors.bundle_saving(selectors.bundle_get(slug=b.slug))) for b in selectors.bundles()]
    return render(request, "catalog/bundle_list.html", {"bundles": bundles})


def bundle_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        bundle = selectors.bundle_get(slug=slug)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    stages: dict[int, list[object]] = {}
    for step in bundle.steps.all():
        stages.setdefault(step.stage, []).append(step)
    return render(
        request,
        "catalog/bundle_detail.html",
        {
            "bundle": bundle,
            "stages": sorted(stages.items()),
            "saving": selectors.bundle_saving(bundle),
            "materials": selectors.bundle_materials(bundle),
        },
    )
