"""The license certificate as a PDF (电子证照 PDF版式文件), for the holder to download, print or pass on.

An A4 page in Chinese with the license's fields, number, issuer, validity and status at the time of printing,
and a QR code that opens the public verification page for this license — where the current status shows (a
printed copy of a license revoked since says "revoked" there). The signed credential itself is embedded as a
PDF file attachment (``<number>.json``), so the PDF carries the verifiable document: take it out and verify it
on the verification page or with ``tongban license verify``.

The QR link is signed with its own salt and does not expire (the paper lasts as long as the license); it names
only the license number, so a link cannot be guessed from a number. Scanning it records a "verified" use in
the holder's log (see ``views.verify_page``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.common.public import pdf
from tongban.identity.public import person_view_for
from tongban.licenses.models import License

_SALT = "tongban.licenses.pdf-qr.v1"
QUERY_PARAMETER = "c"  # /licenses/verify/?c=<token>; the 亮证 QR uses ?t= (minutes)


def qr_token(number: str) -> str:
    """Signed without a timestamp: it never expires, and every print of a license carries the same QR code."""
    return signing.Signer(salt=_SALT).sign_object({"n": number}, compress=True)


def number_from_qr_token(token: str) -> str | None:
    """The license number a certificate's QR token names, or None for anything forged or signed elsewhere."""
    try:
        data = signing.Signer(salt=_SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    number = data.get("n") if isinstance(data, dict) else None
    return number if isinstance(number, str) else None


def verification_link(item: License) -> str:
    return f"{settings.SITE_URL}{reverse('licenses:verify')}?{QUERY_PARAMETER}={qr_token(item.number)}"


@dataclass(frozen=True)
class FieldRow:
    label: str
    value: str


def _field_rows(item: License) -> list[FieldRow]:
    """The subject's fields in the order of the type's schema, labelled with the schema's titles."""
    properties: dict[str, Any] = (item.license_type.field_schema or {}).get("properties") or {}
    names = [name for name in properties if name in item.subject]
    names += [name for name in item.subject if name not in properties]
    rows = []
    for name in names:
        value = item.subject[name]
        if value is None or value == "":
            continue
        title = properties.get(name, {}).get("title") if isinstance(properties.get(name), dict) else None
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        rows.append(FieldRow(label=str(title or name), value=shown))
    return rows


def holder_name(item: License) -> str:
    if item.holder_enterprise_id is not None and item.holder_enterprise is not None:
        return item.holder_enterprise.name
    user = item.holder_user
    if user is None:
        return ""
    person = person_view_for(user, user.pk)
    return person.name if person is not None else (f"{user.last_name}{user.first_name}".strip() or user.username)


def certificate_html(item: License, *, now: datetime | None = None) -> str:
    link = verification_link(item)
    return render_to_string(
        "licenses/certificate_pdf.html",
        {
            "license": item,
            "holder": holder_name(item),
            "fields": _field_rows(item),
            "qr": pdf.qr_svg(link),
            "link": link,
            "printed_at": timezone.localtime(now or timezone.now()),
            "attachment_name": attachment_name(item),
        },
    )


def attachment_name(item: License) -> str:
    return f"{item.number}.json"


def certificate_pdf(item: License, *, fetcher: pdf.OfflineFetcher | None = None) -> bytes:
    """The certificate of ``item`` as PDF bytes, with its signed credential attached."""
    credential = json.dumps(item.credential, ensure_ascii=False, indent=2).encode()
    return pdf.html_to_pdf(
        certificate_html(item),
        attachments=[
            pdf.PdfAttachment(
                name=attachment_name(item),
                content=credential,
                description=_("The signed e-license (W3C Verifiable Credential)"),
            )
        ],
        fetcher=fetcher,
    )
