"""HTML → PDF with WeasyPrint, in Chinese, offline.

One renderer for every PDF the platform hands out (license certificates, case receipts):

- A4 pages and the Noto CJK fonts of Debian's ``fonts-noto-cjk`` (``scripts/setup.sh`` installs it), found
  through fontconfig; no web fonts.
- Nothing is fetched while rendering: :class:`OfflineFetcher` serves ``data:`` URLs only and refuses http(s),
  file and every other scheme (WeasyPrint then leaves the resource out), so a template can neither make the
  server download something nor read a local file. Pictures go inline (the QR code is inline SVG, see
  :func:`qr_svg`).
- Attachments (:class:`PdfAttachment`) are embedded as PDF file attachments, e.g. the signed credential in a
  license certificate, so the PDF carries the verifiable document itself.

WeasyPrint takes about a second to import, so it is imported on the first render, not when Django starts.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import segno

from tongban.common.logging import log_event

# Applied before the document's own styles; templates add their layout. One font face only, Noto Sans CJK SC
# Regular: every further face (bold, serif) is one more CJK font to subset and embed, about +60 ms (idle machine)
# to +120 ms (loaded) per render and +80 KB per file, so emphasis is by size and colour, not weight.
BASE_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm; }
html { font-family: "Noto Sans CJK SC", "Noto Sans CJK", sans-serif; font-size: 10.5pt; line-height: 1.55;
       color: #111; }
h1, h2, h3, th, b, strong { font-weight: normal; }
h1, h2, h3 { line-height: 1.3; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 1.5mm 2mm; }
svg { display: block; }
"""

PDF_CONTENT_TYPE = "application/pdf"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PdfAttachment:
    """A file embedded in the PDF (``name`` is shown by PDF readers; its extension gives the media type)."""

    name: str
    content: bytes
    description: str = ""


class OfflineFetcher:
    """A WeasyPrint URL fetcher that serves ``data:`` URLs only; ``refused`` lists every other URL asked for.

    Duck-typed rather than a subclass of ``weasyprint.urls.URLFetcher`` so that this module does not import
    WeasyPrint; WeasyPrint calls it and reads ``_fail_on_errors`` (False: a refused resource is left out with
    a warning, the rendering goes on).
    """

    _fail_on_errors = False

    def __init__(self) -> None:
        self.refused: list[str] = []

    def __call__(self, url: str) -> Any:
        return self.fetch(url)

    def fetch(self, url: str, headers: Any = None) -> Any:
        if not url.lower().startswith("data:"):
            self.refused.append(url)
            log_event(logger, "pdf_fetch_refused", level=logging.WARNING, scheme=url.partition(":")[0][:20])
            raise ValueError(f"PDF rendering fetches nothing: {url[:200]}")
        from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]  # WeasyPrint has no type hints

        return URLFetcher(allowed_protocols=("data",), allow_redirects=False).fetch(url, headers)


def html_to_pdf(
    html: str,
    *,
    attachments: Sequence[PdfAttachment] = (),
    fetcher: OfflineFetcher | None = None,
) -> bytes:
    """Render ``html`` (a whole document, with ``<html lang>`` and ``<title>``) to PDF bytes.

    ``fetcher`` defaults to a fresh :class:`OfflineFetcher`; pass one to inspect what was refused (tests).
    """
    import weasyprint  # type: ignore[import-untyped]  # WeasyPrint has no type hints

    fetcher = fetcher if fetcher is not None else OfflineFetcher()
    document = weasyprint.HTML(string=html, url_fetcher=fetcher)
    files = [
        weasyprint.Attachment(
            string=item.content,
            name=item.name,
            description=item.description or None,
            relationship="Data",
            url_fetcher=fetcher,
        )
        for item in attachments
    ]
    pdf: bytes = document.write_pdf(
        stylesheets=[weasyprint.CSS(string=BASE_CSS, url_fetcher=fetcher)],
        attachments=files,
        uncompressed_pdf=False,
    )
    return pdf


def qr_svg(data: str, *, scale: int = 3) -> str:
    """A QR code (error correction M) as an inline ``<svg>`` element, for HTML pages and PDFs alike."""
    return str(segno.make(data, error="m").svg_inline(scale=scale, border=2))


__all__ = ["BASE_CSS", "PDF_CONTENT_TYPE", "OfflineFetcher", "PdfAttachment", "html_to_pdf", "qr_svg"]
