"""Checks on uploaded materials (trust level C): type by content, size, pages, and a scanning hook."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from tongban.common.public import DomainError

MAX_BYTES = 20 * 1024 * 1024
MAX_PDF_PAGES = 200
_SIGNATURES = {b"%PDF-": "application/pdf", b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}
_PDF_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
_EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class UploadRefused(DomainError):
    code = "upload_refused"


def sniff_type(content: bytes) -> str | None:
    return next((kind for magic, kind in _SIGNATURES.items() if content.startswith(magic)), None)


def check_upload(content: bytes, *, field: str = "file") -> str:
    """Return the detected content type, or raise :class:`UploadRefused` saying what to fix."""
    if not content:
        raise UploadRefused(_("The file is empty."), fields={field: _("Choose a file to upload.")})
    if len(content) > MAX_BYTES:
        raise UploadRefused(_("The file is too large."), fields={field: _("Upload a file of at most 20 MB.")})
    kind = sniff_type(content)
    if kind is None:
        raise UploadRefused(_("This file type is not accepted."), fields={field: _("Upload a PDF, JPEG or PNG file.")})
    if kind == "application/pdf":
        pages = len(_PDF_PAGE.findall(content))
        if pages == 0 or pages > MAX_PDF_PAGES:
            raise UploadRefused(
                _("The PDF has no readable pages or too many."),
                fields={field: _("Upload a PDF of 1 to 200 pages.")},
            )
    scanner: Callable[[bytes], None] = import_string(settings.CASES_UPLOAD_SCANNER)
    scanner(content)
    return kind


def signature_scanner(content: bytes) -> None:
    """Default scanning hook: refuses the EICAR test signature. Deployments plug in a real scanner (e.g. clamd)
    by naming a function with the same signature in TONGBAN_UPLOAD_SCANNER."""
    if _EICAR in content:
        raise UploadRefused(_("The file was refused by the malware scan."), fields={"file": _("Upload a clean file.")})
