"""The receipt of a submitted case as a PDF (申请回执; 受理回执 once the case is accepted).

What the receipt page says, on A4 in Chinese, to keep or print: the case number, the item and the competent
department, the applicant's name masked (张*, 王*明), the time of submission, every material of the item with
how it was provided (e-license, shared data, copy verified by a clerk, upload, commitment), the due dates once
the case is accepted, and the signed status link as a QR code (the page it opens shows no personal data).

Only the applicant (or their agent) gets it; anyone else gets 404, as on the receipt page. The labels are
translatable strings here rather than in a template file, so ``makemessages`` finds them in this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template import engines
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from tongban.cases import selectors
from tongban.cases.access import applicant_case, request_user, status_link
from tongban.cases.models import Case, Stage
from tongban.common.public import pdf
from tongban.identity.public import User, person_view_for

LABELS: dict[str, Any] = {
    "application": gettext_lazy("Application receipt"),
    "acceptance": gettext_lazy("Acceptance receipt"),
    "number": gettext_lazy("Case number"),
    "item": gettext_lazy("Item"),
    "department": gettext_lazy("Competent department"),
    "applicant": gettext_lazy("Applicant"),
    "submitted": gettext_lazy("Submitted"),
    "status": gettext_lazy("Status"),
    "accepted": gettext_lazy("Accepted on"),
    "statutory": gettext_lazy("Statutory due date"),
    "promised": gettext_lazy("Promised due date"),
    "provisional": gettext_lazy(
        "provisional: it reaches into a year whose holidays are not yet published, and is recomputed when they are"
    ),
    "working_days": gettext_lazy("Due dates count working days on the official calendar."),
    "not_accepted": gettext_lazy(
        "The department checks your application and accepts it, or tells you at once everything that is missing. "
        "From acceptance, the time limit runs in working days."
    ),
    "materials": gettext_lazy("Materials"),
    "position": gettext_lazy("No."),
    "material": gettext_lazy("Material"),
    "provided": gettext_lazy("How it was provided"),
    "trust": gettext_lazy("Trust level"),
    "not_provided": gettext_lazy("not provided"),
    "optional": gettext_lazy("optional"),
    "scan": gettext_lazy("Scan to follow the case"),
    "scan_note": gettext_lazy(
        "The code opens the status link: anyone with it sees the progress of the case without logging in, but no "
        "names or details."
    ),
    "printed": gettext_lazy("Printed on"),
}

# Rendered by Django's template engine, autoescaped; every word on it comes from LABELS or from the case.
TEMPLATE = """<!DOCTYPE html>
<html lang="zh-Hans">
<head><meta charset="utf-8"><title>{{ title }} {{ case.number }}</title>
<style>
  @page { @bottom-center { content: string(number) " · " counter(page) " / " counter(pages); font-size: 8pt;
          color: #555; } }
  h1 { text-align: center; font-size: 20pt; margin: 0 0 2mm; }
  .number { text-align: center; font-size: 15pt; margin: 0 0 6mm; }
  .number strong { string-set: number content(); color: #8b1a1a; }
  table.facts th { width: 28%; color: #555; border-bottom: .2mm solid #ccc; }
  table.facts td { border-bottom: .2mm solid #ccc; }
  table.materials { margin-top: 2mm; font-size: 9.5pt; }
  table.materials th { background: #f0f0f0; border: .2mm solid #bbb; }
  table.materials td { border: .2mm solid #bbb; }
  table.materials th:first-child { width: 8%; }
  table.materials th:last-child { width: 12%; }
  h2 { font-size: 12pt; margin: 6mm 0 1mm; }
  .muted { color: #555; font-size: 9pt; }
  .missing { color: #b00020; }
  .verify { margin-top: 8mm; display: flex; gap: 6mm; align-items: center; page-break-inside: avoid; }
  .verify figure { margin: 0; flex: none; }
  .verify p { margin: 0 0 2mm; font-size: 9.5pt; }
</style></head>
<body>
<h1>{{ title }}</h1>
<p class="number">{{ labels.number }}：<strong>{{ case.number }}</strong></p>
<table class="facts"><tbody>
  <tr><th scope="row">{{ labels.item }}</th><td>{{ case.item_name }}</td></tr>
  <tr><th scope="row">{{ labels.department }}</th><td>{{ case.department.name }}</td></tr>
  <tr><th scope="row">{{ labels.applicant }}</th><td>{{ applicant }}</td></tr>
  <tr><th scope="row">{{ labels.submitted }}</th><td>{{ submitted_at|date:"Y-m-d H:i" }}</td></tr>
  <tr><th scope="row">{{ labels.status }}</th><td>{{ case.get_stage_display }}</td></tr>
  {% if case.accepted_on %}
  <tr><th scope="row">{{ labels.accepted }}</th><td>{{ case.accepted_on|date:"Y-m-d" }}</td></tr>
  {% if case.statutory_due %}<tr><th scope="row">{{ labels.statutory }}</th>
    <td>{{ case.statutory_due|date:"Y-m-d" }}{% if case.due_provisional %}
      <span class="muted">({{ labels.provisional }})</span>{% endif %}</td></tr>{% endif %}
  {% if case.promised_due %}<tr><th scope="row">{{ labels.promised }}</th>
    <td>{{ case.promised_due|date:"Y-m-d" }}{% if case.due_provisional %}
      <span class="muted">({{ labels.provisional }})</span>{% endif %}</td></tr>{% endif %}
  {% endif %}
</tbody></table>
<p class="muted">{% if case.accepted_on %}{{ labels.working_days }}{% else %}{{ labels.not_accepted }}{% endif %}</p>
<h2>{{ labels.materials }}</h2>
<table class="materials">
  <thead><tr><th scope="col">{{ labels.position }}</th><th scope="col">{{ labels.material }}</th>
    <th scope="col">{{ labels.provided }}</th><th scope="col">{{ labels.trust }}</th></tr></thead>
  <tbody>{% for row in materials %}
  <tr><td>{{ row.position }}</td><td>{{ row.name }}</td>
      <td>{% if row.how %}{{ row.how }}{% if row.reference %} {{ row.reference }}{% endif %}{% else %}
        <span class="{% if row.required %}missing{% else %}muted{% endif %}">{{ labels.not_provided }}
        {% if not row.required %} ({{ labels.optional }}){% endif %}</span>{% endif %}</td>
      <td>{{ row.trust|default:"—" }}</td></tr>
  {% endfor %}</tbody>
</table>
{% if qr %}
<div class="verify">
  <figure>{{ qr|safe }}</figure>
  <div><p><strong>{{ labels.scan }}</strong></p><p>{{ labels.scan_note }}</p></div>
</div>
{% endif %}
<p class="muted">{{ labels.printed }} {{ printed_at|date:"Y-m-d H:i" }}</p>
</body>
</html>
"""


@dataclass(frozen=True)
class ReceiptMaterial:
    position: int
    name: str
    required: bool
    how: str
    reference: str
    trust: str


def mask_name(name: str) -> str:
    """Keep the first character and, from three characters on, the last: 张三 → 张*, 王小明 → 王*明."""
    name = name.strip()
    if len(name) <= 1:
        return "*" * len(name)
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def applicant_name(case: Case, viewer: User) -> str:
    """The applicant's real name when the viewer may see it, else the account's name; masked either way."""
    person = person_view_for(viewer, case.applicant_id)
    if person is not None:
        return mask_name(person.name)
    user = case.applicant
    return mask_name(f"{user.last_name}{user.first_name}".strip() or user.get_username())


def _materials(case: Case) -> list[ReceiptMaterial]:
    rows = []
    for row in selectors.material_rows(case):
        held = row.provided
        shown_reference = held is not None and held.source in ("e_license", "shared_data")
        rows.append(
            ReceiptMaterial(
                position=row.position,
                name=row.name,
                required=row.required,
                how=str(held.get_source_display()) if held is not None else "",
                reference=held.reference if held is not None and shown_reference else "",
                trust=held.trust_level if held is not None else "",
            )
        )
    return rows


def receipt_html(case: Case, *, viewer: User, status_link: str, now: datetime | None = None) -> str:
    context = {
        "case": case,
        "title": LABELS["acceptance"] if case.accepted_on else LABELS["application"],
        "labels": LABELS,
        "applicant": applicant_name(case, viewer),
        "submitted_at": timezone.localtime(case.submitted_at) if case.submitted_at else None,
        "materials": _materials(case),
        "qr": pdf.qr_svg(status_link) if status_link else "",
        "printed_at": timezone.localtime(now or timezone.now()),
    }
    return str(engines["django"].from_string(TEMPLATE).render(context))


def receipt_pdf_bytes(
    case: Case, *, viewer: User, status_link: str, fetcher: pdf.OfflineFetcher | None = None
) -> bytes:
    return pdf.html_to_pdf(receipt_html(case, viewer=viewer, status_link=status_link), fetcher=fetcher)


@login_required
@require_GET
def receipt_pdf(request: HttpRequest, case_id: int) -> HttpResponse:
    user = request_user(request)
    case = applicant_case(user, case_id)
    if case.stage == Stage.DRAFT:
        return redirect("cases:draft", case_id=case.pk)
    document = receipt_pdf_bytes(case, viewer=user, status_link=status_link(request, case))
    response = HttpResponse(document, content_type=pdf.PDF_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"receipt-{case.number}.pdf") or ""
    response["Cache-Control"] = "private, no-store"
    return response
