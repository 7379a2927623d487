"""Pages and documents of the licenses context: the DID document, contexts, status lists, the verification
page (paste, upload, a 亮证 scan link, or the QR code of a printed certificate) and the holder's wallet with its
PDF certificate."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tongban.common.public import pdf
from tongban.licenses import pdf as certificate
from tongban.licenses import selectors, services
from tongban.licenses.keys import did_document
from tongban.licenses.models import License, LicenseUse
from tongban.licenses.vc import CONTEXTS_DIR

MAX_UPLOAD = 200_000
_SHOW_SALT = "tongban.licenses.show"


@require_GET
def did_json(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(did_document(), json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def context_v1(request: HttpRequest) -> HttpResponse:
    response = HttpResponse((CONTEXTS_DIR / "tongban-v1.jsonld").read_bytes(), content_type="application/ld+json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def status_list(request: HttpRequest, purpose: str, list_no: int) -> JsonResponse:
    credential = services.status_list_credential(purpose, list_no)
    if credential is None:
        raise Http404
    response = JsonResponse(credential)
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "max-age=60"
    return response


def show_token(number: str) -> str:
    return signing.dumps({"n": number}, salt=_SHOW_SALT, compress=True)


def _from_token(token: str) -> License | None:
    try:
        data = signing.loads(token, salt=_SHOW_SALT, max_age=settings.LICENSE_SHOW_TOKEN_MINUTES * 60)
    except signing.BadSignature:
        return None
    return License.objects.filter(number=data.get("n", "")).first()


@require_http_methods(["GET", "POST"])
def verify_page(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"text": ""}
    document: Any = None
    shown: License | None = None
    token = request.GET.get("t", "")
    printed_token = request.GET.get(certificate.QUERY_PARAMETER, "")
    printed: License | None = None
    if token:
        shown = _from_token(token)
        if shown is None:
            context["token_invalid"] = True
        else:
            document = shown.credential
    elif printed_token:
        number = certificate.number_from_qr_token(printed_token)
        printed = License.objects.filter(number=number).first() if number is not None else None
        if printed is None:
            context["token_invalid"] = True
        else:
            document = printed.credential
    elif request.method == "POST":
        upload = request.FILES.get("file")
        text = upload.read(MAX_UPLOAD + 1).decode("utf-8", "replace") if upload else request.POST.get("text", "")
        context["text"] = text[:MAX_UPLOAD]
        try:
            document = json.loads(text) if len(text) <= MAX_UPLOAD else None
        except json.JSONDecodeError:
            context["result"] = {"valid": False, "reasons": ["malformed:not_json"]}
    if document is not None:
        result = selectors.verify_database(document)
        context["result"] = result
        context["document"] = document
        subject = document.get("credentialSubject") if isinstance(document, dict) else None
        context["subject"] = subject if isinstance(subject, dict) else None
        number = context["subject"].get("licenseNumber") if context["subject"] else None
        item = shown or printed or (License.objects.filter(number=number).first() if isinstance(number, str) else None)
        if item is not None and (result["valid"] or shown is not None or printed is not None):
            anonymous_label = "QR code of the PDF" if printed is not None else "verification page"
            services.license_use_record(
                license=item,
                kind=LicenseUse.Kind.SHARED if shown is not None else LicenseUse.Kind.VERIFIED,
                actor=request.user if request.user.is_authenticated else None,
                actor_label="" if request.user.is_authenticated else anonymous_label,
            )
    return render(request, "licenses/verify.html", context)


@login_required
def wallet(request: HttpRequest) -> HttpResponse:
    items = selectors.licenses_held_by(request.user)  # type: ignore[arg-type]  # login_required
    return render(request, "licenses/wallet.html", {"licenses": items})


def _held(request: HttpRequest, number: str) -> License:
    item = selectors.licenses_held_by(request.user).filter(number=number).first()  # type: ignore[arg-type]
    if item is None:
        raise Http404
    return item


@login_required
def wallet_detail(request: HttpRequest, number: str) -> HttpResponse:
    item = _held(request, number)
    return render(
        request,
        "licenses/detail.html",
        {
            "license": item,
            "uses": selectors.license_uses_for(item)[:100],
            "credential_json": json.dumps(item.credential, ensure_ascii=False, indent=2),
        },
    )


@login_required
def wallet_credential(request: HttpRequest, number: str) -> HttpResponse:
    item = _held(request, number)
    response = JsonResponse(item.credential, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{item.number}.json"'
    return response


@login_required
@require_GET
def wallet_pdf(request: HttpRequest, number: str) -> HttpResponse:
    """The license certificate as a PDF, with the signed credential attached and a QR code to verify it.

    Not recorded in the usage log: downloading is the holder's own act, and none of the log's kinds (verified,
    attached, shown) describes it; whoever later scans the printed QR code is recorded as "verified".
    """
    item = _held(request, number)
    response = HttpResponse(certificate.certificate_pdf(item), content_type=pdf.PDF_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{item.number}.pdf") or ""
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def wallet_show(request: HttpRequest, number: str) -> HttpResponse:
    """亮证: a QR code valid for a few minutes; scanning it opens the verification page for this license."""
    item = _held(request, number)
    link = f"{settings.SITE_URL}/licenses/verify/?t={show_token(item.number)}"
    qr = segno.make(link, error="m").svg_inline(scale=5)
    expires = timezone.now() + timedelta(minutes=settings.LICENSE_SHOW_TOKEN_MINUTES)
    return render(request, "licenses/show.html", {"license": item, "qr": qr, "link": link, "expires": expires})
