"""The only writers of the exchange context: catalog, subscriptions, and every exchange call with its log row.

"No subscription, no data": :func:`exchange_fetch` and :func:`exchange_fetch_many` look up the consumer's
approved subscription before a provider is asked anything. A refusal is logged as ``refused`` (an attempt,
never a delivery) and raised as :class:`SubscriptionRequired`.

Provider calls run outside any database transaction and, for :func:`exchange_fetch_many`, in parallel worker
threads that never touch the ORM: everything they need is prepared first and the log rows are written
afterwards in one insert, so a slow provider holds no connection and no lock.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import logging
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.common.public import Conflict, DomainError, NotFound, PermissionDenied, log_event, record_audit
from tongban.exchange.connectors.base import ConnectorError, ConnectorRequest
from tongban.exchange.connectors.registry import get_connector
from tongban.exchange.models import (
    CallResult,
    Consumer,
    DataResource,
    ExchangeCall,
    ResourceField,
    SubjectKind,
    Subscription,
)
from tongban.exchange.subjects import Subject, subject_for_enterprise, subject_for_person
from tongban.identity.public import (
    Department,
    User,
    machine_client_exists,
    person_user_by_id_number,
    staff_scope,
)

logger = logging.getLogger(__name__)


class SubscriptionRequired(PermissionDenied):
    code = "subscription_required"


# --- catalog -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    sharing: str = ResourceField.Sharing.UNCONDITIONAL
    personal: bool = False


def _require_steward(actor: User, department_id: int | None) -> None:
    """Catalog and subscription decisions belong to the provider department's staff (or an administrator)."""
    if not actor.is_staff or not staff_scope(actor).covers_department(department_id):
        raise PermissionDenied(_("Only staff of the providing department may do this."))


@transaction.atomic
def resource_publish(
    *,
    actor: User,
    provider: Department,
    code: str,
    name: str,
    subject_kind: str,
    path: str,
    fields: Sequence[FieldSpec],
    description: str = "",
    update_frequency: str = DataResource.Frequency.DAILY,
    connector: str = "http",
    base_url: str = "",
    timeout_ms: int | None = None,
) -> DataResource:
    """Publish a resource in the shared catalog with its fields and their sharing classes."""
    _require_steward(actor, provider.pk)
    if DataResource.objects.filter(code=code).exists():
        raise Conflict(_("A resource with this code exists already."), fields={"code": _("Choose another code.")})
    if not fields:
        raise DomainError(_("A resource needs at least one field."), fields={"fields": _("Add a field.")})
    resource = DataResource.objects.create(
        code=code, name=name, description=description, provider=provider, subject_kind=subject_kind,
        update_frequency=update_frequency, connector=connector, base_url=base_url, path=path, timeout_ms=timeout_ms,
    )  # fmt: skip
    ResourceField.objects.bulk_create(
        ResourceField(resource=resource, name=f.name, label=f.label, sharing=f.sharing, personal=f.personal)
        for f in fields
    )
    record_audit(
        actor=actor, action="exchange.resource_published", object_type="exchange.resource", object_id=resource.pk,
        after={"code": code, "provider_id": provider.pk, "fields": [f.name for f in fields]},
        region_code=provider.region_id,
    )  # fmt: skip
    return resource


@transaction.atomic
def consumer_register(*, actor: User, code: str, name: str, department: Department | None = None) -> Consumer:
    """Register a consuming system (a department's, or one of the platform's own uses)."""
    if not actor.is_staff or not staff_scope(actor).everything:
        raise PermissionDenied(_("Only an administrator may register a consumer."))
    if Consumer.objects.filter(code=code).exists():
        raise Conflict(_("A consumer with this code exists already."), fields={"code": _("Choose another code.")})
    consumer = Consumer.objects.create(code=code, name=name, department=department)
    record_audit(
        actor=actor, action="exchange.consumer_registered", object_type="exchange.consumer", object_id=consumer.pk,
        after={"code": code, "department_id": department.pk if department else None},
    )  # fmt: skip
    return consumer


# --- subscriptions -----------------------------------------------------------------------------------------
@transaction.atomic
def subscription_request(
    *,
    actor: User | None,
    consumer: Consumer,
    resource: DataResource,
    purpose: str,
    legal_basis: str,
    fields: Iterable[str] = (),
) -> Subscription:
    """A consumer asks for a resource, for a stated purpose under a legal basis; conditional fields by name."""
    errors = {}
    if not purpose.strip():
        errors["purpose"] = _("State what the data will be used for.")
    if not legal_basis.strip():
        errors["legal_basis"] = _("Name the law or rule that allows this use.")
    requested = sorted(set(fields))
    sharing = dict(resource.fields.values_list("name", "sharing"))
    wrong = [name for name in requested if sharing.get(name) != ResourceField.Sharing.CONDITIONAL]
    if wrong:
        errors["fields"] = _("Only conditionally shared fields can be requested: %(fields)s") % {
            "fields": ", ".join(wrong)
        }
    if errors:
        raise DomainError(_("The subscription request is incomplete."), fields=errors)
    if Subscription.objects.filter(consumer=consumer, resource=resource, status__in=_LIVE).exists():
        raise Conflict(_("This consumer already has a pending or approved subscription to this resource."))
    subscription = Subscription.objects.create(
        consumer=consumer, resource=resource, purpose=purpose.strip(), legal_basis=legal_basis.strip(),
        fields=requested, requested_by=actor,
    )  # fmt: skip
    _audit(actor, "exchange.subscription_requested", subscription, before=None)
    return subscription


_LIVE = (Subscription.Status.REQUESTED, Subscription.Status.APPROVED)


def _audit(actor: User | None, action: str, subscription: Subscription, *, before: str | None) -> None:
    record_audit(
        actor=actor, action=action, object_type="exchange.subscription", object_id=subscription.pk,
        before={"status": before} if before else None,
        after={"status": subscription.status, "consumer_id": subscription.consumer_id,
               "resource_id": subscription.resource_id, "client_id": subscription.client_id},
    )  # fmt: skip


def _decide(
    *, actor: User, subscription_id: int, allowed_from: set[str], to: str, note: str, client_id: str | None = None
) -> Subscription:
    subscription = (
        Subscription.objects.select_for_update().select_related("resource", "consumer").filter(pk=subscription_id)
    ).first()
    if subscription is None:
        raise NotFound(_("No such subscription."))
    _require_steward(actor, subscription.resource.provider_id)
    if subscription.status not in allowed_from:
        raise Conflict(
            _("The subscription is %(status)s; it cannot be changed that way.")
            % {"status": subscription.get_status_display()}
        )
    before = subscription.status
    subscription.status = to
    subscription.decided_by = actor
    subscription.decided_at = timezone.now()
    subscription.decision_note = note
    if client_id and not machine_client_exists(client_id):
        raise DomainError(
            _("No machine client has this client id."),
            fields={"client_id": _("Give the client id an administrator registered for the consumer's system.")},
        )
    if client_id is not None:
        subscription.client_id = client_id
    return _saved(subscription, before)


def _saved(subscription: Subscription, before: str) -> Subscription:
    subscription.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "client_id"])
    _audit(subscription.decided_by, f"exchange.subscription_{subscription.status}", subscription, before=before)
    return subscription


@transaction.atomic
def subscription_approve(*, actor: User, subscription_id: int, client_id: str = "", note: str = "") -> Subscription:
    """The provider approves. ``client_id`` names the consumer's OAuth2 client-credentials application (issued
    by the identity provider); empty means a platform-internal consumer that calls in-process."""
    return _decide(
        actor=actor, subscription_id=subscription_id, allowed_from={Subscription.Status.REQUESTED},
        to=Subscription.Status.APPROVED, note=note, client_id=client_id.strip(),
    )  # fmt: skip


@transaction.atomic
def subscription_refuse(*, actor: User, subscription_id: int, note: str) -> Subscription:
    if not note.strip():
        raise DomainError(_("Give the reason for refusing."), fields={"note": _("Give the reason for refusing.")})
    return _decide(
        actor=actor, subscription_id=subscription_id, allowed_from={Subscription.Status.REQUESTED},
        to=Subscription.Status.REFUSED, note=note.strip(),
    )  # fmt: skip


@transaction.atomic
def subscription_revoke(*, actor: User, subscription_id: int, note: str) -> Subscription:
    return _decide(
        actor=actor, subscription_id=subscription_id, allowed_from={Subscription.Status.APPROVED},
        to=Subscription.Status.REVOKED, note=note.strip(),
    )  # fmt: skip


# --- exchange calls ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Delivery:
    """What one call brought back. ``data`` is set only when ``result == "delivered"``."""

    resource_code: str
    resource_name: str
    provider_name: str
    result: str
    data: dict[str, Any] | None = None
    fetched_at: datetime | None = None
    latency_ms: int = 0
    cached: bool = False
    field_labels: dict[str, str] = field(default_factory=dict)

    @property
    def delivered(self) -> bool:
        return self.result == CallResult.DELIVERED


@dataclass(frozen=True)
class _Plan:
    resource: DataResource
    subscription: Subscription
    allowed: dict[str, str]  # field name → label
    request: ConnectorRequest


def _approved(consumer_code: str, resource_codes: Iterable[str] | None, subject: Subject) -> list[Subscription]:
    rows = Subscription.objects.filter(
        consumer__code=consumer_code, consumer__is_active=True, status=Subscription.Status.APPROVED,
        resource__is_active=True, resource__subject_kind=subject.kind,
    ).select_related("consumer", "resource", "resource__provider")  # fmt: skip
    if resource_codes is not None:
        rows = rows.filter(resource__code__in=list(resource_codes))
    return list(rows.order_by("resource__code").prefetch_related("resource__fields"))


def _plan(subscription: Subscription, subject: Subject, purpose: str, timeout_ms: int | None) -> _Plan:
    resource = subscription.resource
    allowed = {
        f.name: f.label
        for f in resource.fields.all()
        if f.sharing == ResourceField.Sharing.UNCONDITIONAL
        or (f.sharing == ResourceField.Sharing.CONDITIONAL and f.name in subscription.fields)
    }
    budget_ms = timeout_ms or resource.timeout_ms or settings.EXCHANGE_TIMEOUT_MS
    request = ConnectorRequest(
        resource_code=resource.code, base_url=resource.base_url or settings.EXCHANGE_DEMO_URL, path=resource.path,
        subject_kind=subject.kind, subject_ref=subject.provider_ref, consumer_code=subscription.consumer.code,
        purpose=purpose, timeout_s=budget_ms / 1000,
    )  # fmt: skip
    return _Plan(resource=resource, subscription=subscription, allowed=allowed, request=request)


def _call(plan: _Plan) -> tuple[str, dict[str, Any] | None, int]:
    """Run one provider call (in a worker thread: no ORM here). Returns result, shared data, latency."""
    started = time.monotonic()
    try:
        raw = get_connector(plan.resource.connector).fetch(plan.request)
    except ConnectorError as exc:
        return exc.result, None, _ms(started)
    # Only declared, shareable fields leave the exchange; anything else the provider sent is dropped.
    return CallResult.DELIVERED, {k: v for k, v in raw.items() if k in plan.allowed}, _ms(started)


def _ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


def _log_row(
    *, consumer: Consumer, resource: DataResource | None, resource_code: str, subject: Subject, purpose: str,
    result: str, latency_ms: int, subscription_id: int | None, request_id: str,
) -> ExchangeCall:  # fmt: skip
    return ExchangeCall(
        called_at=timezone.now(), region_code=resource.provider.region_id if resource else "",
        consumer_code=consumer.code, consumer_department_id=consumer.department_id, resource_code=resource_code,
        provider_department_id=resource.provider_id if resource else None, subscription_id=subscription_id,
        subject_kind=subject.kind, subject_key=subject.log_key, purpose=purpose[:300], result=result,
        latency_ms=latency_ms, request_id=request_id[:64],
    )  # fmt: skip


@transaction.atomic
def _append(rows: list[ExchangeCall]) -> None:
    ExchangeCall.objects.bulk_create(rows)
    for row in rows:
        log_event(
            logger, "exchange_call", consumer=row.consumer_code, resource=row.resource_code, result=row.result,
            latency_ms=row.latency_ms,
        )  # fmt: skip


def _consumer(code: str) -> Consumer:
    consumer = Consumer.objects.filter(code=code, is_active=True).select_related("department").first()
    if consumer is None:
        raise SubscriptionRequired(_("Unknown consumer %(consumer)s: no data is shared with it.") % {"consumer": code})
    return consumer


def _refuse(consumer: Consumer, codes: Sequence[str], subject: Subject, purpose: str, request_id: str) -> None:
    resources = {r.code: r for r in DataResource.objects.filter(code__in=codes).select_related("provider")}
    _append([
        _log_row(
            consumer=consumer, resource=resources.get(code), resource_code=code, subject=subject, purpose=purpose,
            result=CallResult.REFUSED, latency_ms=0, subscription_id=None, request_id=request_id,
        )
        for code in codes
    ])  # fmt: skip


def _check_purpose(purpose: str) -> str:
    if not purpose.strip():
        raise DomainError(_("Every exchange call states its purpose."), fields={"purpose": _("State the purpose.")})
    return purpose.strip()


def exchange_fetch(
    *,
    consumer: str,
    resource: str,
    subject: Subject,
    purpose: str,
    client_id: str | None = None,
    timeout_ms: int | None = None,
    request_id: str = "",
) -> Delivery:
    """Fetch one resource record about ``subject`` for ``consumer``, logged. Raises
    :class:`SubscriptionRequired` (nothing fetched, logged as refused) without an approved subscription
    — or, when ``client_id`` is given (a machine caller), one issued to that client."""
    purpose = _check_purpose(purpose)
    owner = _consumer(consumer)
    found = _approved(consumer, [resource], subject)
    if found and client_id is not None and found[0].client_id != client_id:
        found = []
    if not found:
        _refuse(owner, [resource], subject, purpose, request_id)
        raise SubscriptionRequired(
            _("%(consumer)s has no approved subscription to %(resource)s: no data was shared.")
            % {"consumer": consumer, "resource": resource}
        )
    plan = _plan(found[0], subject, purpose, timeout_ms)
    result, data, latency = _call(plan)
    _append([_row_for(plan, owner, subject, purpose, result, latency, request_id)])
    return _delivery(plan, result, data, latency)


def _row_for(
    plan: _Plan, owner: Consumer, subject: Subject, purpose: str, result: str, latency: int, request_id: str
) -> ExchangeCall:
    return _log_row(
        consumer=owner, resource=plan.resource, resource_code=plan.resource.code, subject=subject, purpose=purpose,
        result=result, latency_ms=latency, subscription_id=plan.subscription.pk, request_id=request_id,
    )  # fmt: skip


def _delivery(
    plan: _Plan, result: str, data: dict[str, Any] | None, latency: int, *, cached: bool = False,
    fetched_at: datetime | None = None,
) -> Delivery:  # fmt: skip
    return Delivery(
        resource_code=plan.resource.code, resource_name=plan.resource.name, provider_name=plan.resource.provider.name,
        result=result, data=data, latency_ms=latency, cached=cached, field_labels=plan.allowed,
        fetched_at=fetched_at or (timezone.now() if result == CallResult.DELIVERED else None),
    )  # fmt: skip


# The pool is shared by a web process's requests. Calls left running after a page's deadline finish (or time
# out on their own budget) in the background; the page never waits for them.
_pool_lock = threading.Lock()
_pool: concurrent.futures.ThreadPoolExecutor | None = None


def _executor() -> concurrent.futures.ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = concurrent.futures.ThreadPoolExecutor(
                max_workers=settings.EXCHANGE_FETCH_THREADS, thread_name_prefix="exchange"
            )
        return _pool


def _cache_key(consumer: str, resource: str, subject: Subject) -> str:
    digest = hashlib.sha256(subject.log_key.encode()).hexdigest()[:32]
    return f"exchange:v1:{consumer}:{resource}:{digest}"


def exchange_fetch_many(
    *,
    consumer: str,
    subject: Subject,
    purpose: str,
    resources: Sequence[str] | None = None,
    timeout_ms: int | None = None,
    use_cache: bool = True,
    request_id: str = "",
) -> list[Delivery]:
    """Fetch several resources about ``subject`` in parallel, each within its own time budget; the whole call
    returns after the largest budget at the latest. ``resources=None`` means every resource of the subject's
    kind the consumer is subscribed to. Resources named but not subscribed come back ``refused`` (logged so).

    A record fetched less than ``EXCHANGE_CACHE_SECONDS`` ago is reused (``cached=True``) without asking the
    provider again; a reuse is not a new exchange call, so it is not logged again.
    """
    started = time.monotonic()  # budgets count from here: the catalog look-ups below are inside them
    purpose = _check_purpose(purpose)
    owner = _consumer(consumer)
    approved = _approved(consumer, resources, subject)
    plans = [_plan(s, subject, purpose, timeout_ms) for s in approved]
    missing = [code for code in (resources or []) if code not in {p.resource.code for p in plans}]
    if missing:
        _refuse(owner, missing, subject, purpose, request_id)
    deliveries: dict[str, Delivery] = {}
    pending: list[_Plan] = []
    for plan in plans:
        hit = cache.get(_cache_key(consumer, plan.resource.code, subject)) if use_cache else None
        if hit is not None:
            deliveries[plan.resource.code] = _delivery(
                plan, CallResult.DELIVERED, hit[0], 0, cached=True, fetched_at=hit[1]
            )
        else:
            pending.append(plan)
    rows = _fetch_parallel(pending, owner, subject, purpose, request_id, deliveries, use_cache=use_cache, since=started)
    if rows:
        _append(rows)
    refused = [
        Delivery(resource_code=code, resource_name=code, provider_name="", result=CallResult.REFUSED)
        for code in missing
    ]
    return [deliveries[p.resource.code] for p in plans] + refused


def _fetch_parallel(
    plans: list[_Plan], owner: Consumer, subject: Subject, purpose: str, request_id: str,
    deliveries: dict[str, Delivery], *, use_cache: bool, since: float,
) -> list[ExchangeCall]:  # fmt: skip
    if not plans:
        return []
    started = time.monotonic()
    futures = {_executor().submit(_call, plan): plan for plan in plans}
    # Each connector keeps its own budget; the page's wait ends at the largest budget whatever happens (a
    # connector that overruns, an in-process one that cannot be interrupted, a thread that started late).
    wait_s = since + max(p.request.timeout_s for p in plans) - time.monotonic()
    done, _not_done = concurrent.futures.wait(futures, timeout=max(wait_s, 0.0))
    rows = []
    for future, plan in futures.items():
        if future in done:
            result, data, latency = future.result()
        else:
            result, data, latency = CallResult.TIMEOUT, None, _ms(started)
        deliveries[plan.resource.code] = _delivery(plan, result, data, latency)
        rows.append(_row_for(plan, owner, subject, purpose, result, latency, request_id))
        if use_cache and result == CallResult.DELIVERED and settings.EXCHANGE_CACHE_SECONDS > 0:
            entry = (data, deliveries[plan.resource.code].fetched_at)
            cache.set(_cache_key(owner.code, plan.resource.code, subject), entry, settings.EXCHANGE_CACHE_SECONDS)
    return rows


# --- machine consumers (department systems with OAuth2 client credentials) ----------------------------------
MACHINE_SCOPE_PREFIX = "exchange:"


def machine_scope(resource_code: str) -> str:
    """The OAuth2 scope that names one resource: ``exchange:population.household``."""
    return f"{MACHINE_SCOPE_PREFIX}{resource_code}"


def machine_scopes_for(client_id: str) -> list[str]:
    """The scopes a client may hold now: one per approved subscription issued to it (identity's token endpoint
    asks this; registered in ``ExchangeConfig.ready``)."""
    codes = Subscription.objects.filter(
        client_id=client_id, status=Subscription.Status.APPROVED, consumer__is_active=True, resource__is_active=True
    ).values_list("resource__code", flat=True)
    return [machine_scope(code) for code in codes]


def _machine_subject(kind: str, ref: str) -> Subject | None:
    if kind == SubjectKind.ENTERPRISE:
        return subject_for_enterprise(ref)
    if kind == SubjectKind.PERSON:
        user = person_user_by_id_number(ref)
        return subject_for_person(user) if user is not None else None
    raise DomainError(
        _("Say whose data: a person or an enterprise."), fields={"subject_kind": _("Choose person or enterprise.")}
    )


def machine_fetch(
    *, client_id: str, scopes: Iterable[str], resource: str, subject_kind: str, subject_ref: str, purpose: str,
    request_id: str = "",
) -> Delivery:  # fmt: skip
    """A department system's call with a client-credentials token: ``subject_ref`` is the person's resident ID
    number or the enterprise's credit code (never logged). Refused — :class:`SubscriptionRequired`, logged as
    ``refused`` — unless the token carries the resource's scope *and* the client's subscription is approved now
    (a revoked one refuses even a token issued before)."""
    purpose = _check_purpose(purpose)
    known = Subscription.objects.filter(client_id=client_id).select_related("consumer").order_by("-requested_at")
    first = known.first()
    if first is None:
        raise SubscriptionRequired(_("This client holds no subscription: no data is shared with it."))
    owner = first.consumer
    subject = _machine_subject(subject_kind, subject_ref)
    approved = [s for s in _approved(owner.code, [resource], Subject(subject_kind, "", "")) if s.client_id == client_id]
    if machine_scope(resource) not in set(scopes) or not approved:
        unknown = Subject(kind=subject_kind, log_key="", provider_ref="")
        _refuse(owner, [resource], subject or unknown, purpose, request_id)
        raise SubscriptionRequired(
            _(
                "%(consumer)s has no approved subscription to %(resource)s for this client, or the token does not "
                "carry the scope %(scope)s: no data was shared."
            )
            % {"consumer": owner.code, "resource": resource, "scope": machine_scope(resource)}
        )
    if subject is None:
        raise NotFound(_("No person with this resident ID number is known to the platform."))
    return exchange_fetch(
        consumer=owner.code, resource=resource, subject=subject, purpose=purpose, client_id=client_id,
        request_id=request_id,
    )  # fmt: skip


# --- the platform's own consumers --------------------------------------------------------------------------
MYPAGE_CONSUMER = "platform.mypage"
MYPAGE_PURPOSE = "市民主页/企业专属页：本人查看自己的部门记录"  # stored as said; shown to the data subject
PREFILL_CONSUMER = "platform.prefill"


def my_records(*, user: User, subject: Subject, use_cache: bool = True, request_id: str = "") -> list[Delivery]:
    """The department records on the holder's own page, fetched in parallel (per-provider budgets, short
    cache). ``subject`` must be the user themselves or an enterprise they represent (see views)."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Please log in first."))
    return exchange_fetch_many(
        consumer=MYPAGE_CONSUMER, subject=subject, purpose=MYPAGE_PURPOSE, use_cache=use_cache, request_id=request_id
    )
