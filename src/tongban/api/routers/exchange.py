"""The data exchange over HTTP: who used my data, my department records, the shared catalog and usage
statistics (session-authenticated), and the machine endpoint department systems call with an OAuth2
client-credentials token whose scope names the resource (``exchange:<resource code>``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.security import HttpBearer, SessionAuth

from tongban.api.accounts import signed_in_user
from tongban.common.public import DomainError, NotFound
from tongban.exchange import public as exchange
from tongban.identity.public import MachineToken, User, machine_token

router = Router(tags=["exchange"])
session = SessionAuth()


class WhoseIn(Schema):
    enterprise: str = ""


class UsageOut(Schema):
    called_at: datetime
    consumer: str
    consumer_department: str
    resource_code: str
    resource_name: str
    provider_department: str
    purpose: str


class RecordOut(Schema):
    resource_code: str
    resource_name: str
    provider: str
    result: str
    data: dict[str, Any] | None
    fetched_at: datetime | None
    cached: bool


class FieldOut(Schema):
    name: str
    label: str
    sharing: str
    personal: bool


class ResourceOut(Schema):
    code: str
    name: str
    provider: str
    subject_kind: str
    update_frequency: str
    fields: list[FieldOut]


class StatsIn(Schema):
    days: int = 30


class StatOut(Schema):
    resource_code: str
    consumer_code: str
    result: str
    calls: int
    avg_latency_ms: float
    max_latency_ms: int


def _subject(user: User, enterprise: str) -> exchange.Subject:
    code = enterprise.strip().upper()
    if not code:
        return exchange.subject_for_person(user)
    if code not in exchange.enterprise_codes_led_by(user):
        raise NotFound(_("No such enterprise among those you represent."))
    return exchange.subject_for_enterprise(code)


@router.get("/me/usage", response=list[UsageOut], auth=session, summary="Who used my data")
def my_usage(request: HttpRequest, query: Query[WhoseIn]) -> list[dict[str, Any]]:
    user = signed_in_user(request)
    rows = (
        exchange.usage_for_enterprise(user, query.enterprise) if query.enterprise else exchange.usage_for_person(user)
    )
    return [
        {
            "called_at": r.called_at, "consumer": r.consumer_name, "consumer_department": r.consumer_department,
            "resource_code": r.resource_code, "resource_name": r.resource_name,
            "provider_department": r.provider_department, "purpose": r.purpose,
        }
        for r in rows
    ]  # fmt: skip


@router.get("/me/records", response=list[RecordOut], auth=session, summary="My department records")
def my_records(request: HttpRequest, query: Query[WhoseIn]) -> list[dict[str, Any]]:
    user = signed_in_user(request)
    deliveries = exchange.my_records(user=user, subject=_subject(user, query.enterprise))
    return [
        {
            "resource_code": d.resource_code, "resource_name": d.resource_name, "provider": d.provider_name,
            "result": d.result, "data": d.data, "fetched_at": d.fetched_at, "cached": d.cached,
        }
        for d in deliveries
    ]  # fmt: skip


@router.get("/resources", response=list[ResourceOut], auth=session, summary="The shared data catalog")
def resources(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "code": r.code, "name": r.name, "provider": r.provider.name, "subject_kind": r.subject_kind,
            "update_frequency": r.update_frequency,
            "fields": [
                {"name": f.name, "label": f.label, "sharing": f.sharing, "personal": f.personal} for f in r.fields.all()
            ],
        }
        for r in exchange.resources_catalog()
    ]  # fmt: skip


@router.get("/statistics", response=list[StatOut], auth=session, summary="Usage statistics of my departments")
def statistics(request: HttpRequest, query: Query[StatsIn]) -> list[Any]:
    return list(exchange.usage_statistics_for(signed_in_user(request), days=max(1, min(query.days, 366))))


class SubscriptionOut(Schema):
    id: int
    consumer: str
    resource: str
    provider: str
    purpose: str
    legal_basis: str
    fields: list[str]
    status: str
    client_id: str
    requested_at: datetime
    decided_at: datetime | None
    decision_note: str


class DecisionIn(Schema):
    note: str = ""
    client_id: str = ""


def _subscription_out(s: Any) -> dict[str, Any]:
    return {
        "id": s.pk, "consumer": s.consumer.code, "resource": s.resource.code, "provider": s.resource.provider.name,
        "purpose": s.purpose, "legal_basis": s.legal_basis, "fields": s.fields, "status": s.status,
        "client_id": s.client_id, "requested_at": s.requested_at, "decided_at": s.decided_at,
        "decision_note": s.decision_note,
    }  # fmt: skip


@router.get("/subscriptions", response=list[SubscriptionOut], auth=session, summary="Subscriptions of my departments")
def subscriptions(request: HttpRequest) -> list[dict[str, Any]]:
    rows = exchange.subscriptions_visible_to(signed_in_user(request)).order_by("-requested_at")[:500]
    return [_subscription_out(s) for s in rows]


@router.post("/subscriptions/{subscription_id}/approve", response=SubscriptionOut, auth=session)
def approve(request: HttpRequest, subscription_id: int, payload: DecisionIn) -> dict[str, Any]:
    """The provider approves; ``client_id`` names the consumer system's OAuth2 client."""
    decided = exchange.subscription_approve(
        actor=signed_in_user(request), subscription_id=subscription_id, client_id=payload.client_id, note=payload.note
    )
    return _subscription_out(decided)


@router.post("/subscriptions/{subscription_id}/refuse", response=SubscriptionOut, auth=session)
def refuse(request: HttpRequest, subscription_id: int, payload: DecisionIn) -> dict[str, Any]:
    decided = exchange.subscription_refuse(
        actor=signed_in_user(request), subscription_id=subscription_id, note=payload.note
    )
    return _subscription_out(decided)


@router.post("/subscriptions/{subscription_id}/revoke", response=SubscriptionOut, auth=session)
def revoke(request: HttpRequest, subscription_id: int, payload: DecisionIn) -> dict[str, Any]:
    decided = exchange.subscription_revoke(
        actor=signed_in_user(request), subscription_id=subscription_id, note=payload.note
    )
    return _subscription_out(decided)


# --- department systems (OAuth2 client credentials) --------------------------------------------------------
class MachineAuth(HttpBearer):
    """A client-credentials access token from our identity provider (``POST /o/token/``)."""

    def authenticate(self, request: HttpRequest, token: str) -> MachineToken | None:
        return machine_token(token)


class ProviderUnavailable(DomainError):
    status = 503
    code = "provider_unavailable"


class MachineFetchIn(Schema):
    resource: str
    subject_kind: str  # "person" (subject: resident ID number) or "enterprise" (subject: credit code)
    subject: str
    purpose: str


class MachineFetchOut(Schema):
    resource_code: str
    provider: str
    result: str
    data: dict[str, Any]
    fetched_at: datetime | None


@router.post("/machine/fetch", response=MachineFetchOut, auth=MachineAuth(), summary="Fetch a resource (machines)")
def machine_fetch(request: HttpRequest, payload: MachineFetchIn) -> dict[str, Any]:
    """A subscribed department system fetches one resource record about a subject, for a stated purpose.
    403 ``subscription_required`` without an approved subscription issued to this client or without the
    resource's scope on the token (logged as refused); 404 when the provider holds no record; 503 when the
    provider did not answer in time."""
    token = request.auth  # type: ignore[attr-defined]  # set by MachineAuth
    assert isinstance(token, MachineToken)  # noqa: S101
    delivery = exchange.machine_fetch(
        client_id=token.client_id, scopes=token.scopes, resource=payload.resource.strip(),
        subject_kind=payload.subject_kind, subject_ref=payload.subject, purpose=payload.purpose,
    )  # fmt: skip
    if delivery.result == exchange.CallResult.NOT_FOUND:
        raise NotFound(_("The providing department holds no record about this subject."))
    if not delivery.delivered or delivery.data is None:
        raise ProviderUnavailable(_("The providing department did not answer in time. Try again later."))
    return {
        "resource_code": delivery.resource_code, "provider": delivery.provider_name, "result": delivery.result,
        "data": delivery.data, "fetched_at": delivery.fetched_at,
    }  # fmt: skip
