"""The only scoped readers of the exchange: a person reads only their own usage log, an enterprise's legal
representative only the enterprise's, department staff only their departments' statistics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Avg, Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.common.public import NotFound, PermissionDenied
from tongban.exchange.models import CallResult, Consumer, DataResource, ExchangeCall, Subscription
from tongban.exchange.subjects import Subject, subject_for_enterprise, subject_for_person
from tongban.identity.public import Department, User, enterprises_visible_to, staff_scope


@dataclass(frozen=True)
class UsageRow:
    """One delivered call as the data subject sees it: who (department and system), when, what, why."""

    called_at: datetime
    consumer_name: str
    consumer_department: str
    resource_code: str
    resource_name: str
    provider_department: str
    purpose: str


def _usage(subject: Subject, *, limit: int, since: datetime | None) -> list[UsageRow]:
    rows = ExchangeCall.objects.filter(subject_key__in=subject.log_keys, result=CallResult.DELIVERED)
    if since is not None:
        rows = rows.filter(called_at__gte=since)
    calls = list(rows.order_by("-called_at")[:limit])
    consumers = {c.code: c for c in Consumer.objects.filter(code__in={c.consumer_code for c in calls})}
    resources = dict(DataResource.objects.filter(code__in={c.resource_code for c in calls}).values_list("code", "name"))
    dept_ids = {c.consumer_department_id for c in calls} | {c.provider_department_id for c in calls}
    departments = dict(Department.objects.filter(pk__in=dept_ids - {None}).values_list("pk", "name"))
    return [
        UsageRow(
            called_at=c.called_at,
            consumer_name=consumers[c.consumer_code].name if c.consumer_code in consumers else c.consumer_code,
            consumer_department=departments.get(c.consumer_department_id or 0, "") or _("Tongban platform"),
            resource_code=c.resource_code,
            resource_name=resources.get(c.resource_code, c.resource_code),
            provider_department=departments.get(c.provider_department_id or 0, ""),
            purpose=c.purpose,
        )
        for c in calls
    ]


def usage_for_person(user: User, *, limit: int = 200, since: datetime | None = None) -> list[UsageRow]:
    """Who used my data: every delivered call about ``user`` (never anyone else's)."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Please log in first."))
    return _usage(subject_for_person(user), limit=limit, since=since)


def usage_for_enterprise(
    user: User, credit_code: str, *, limit: int = 200, since: datetime | None = None
) -> list[UsageRow]:
    """Who used the enterprise's data; only its legal representative may read this."""
    led = enterprises_visible_to(user).filter(legal_representative_id=user.pk, credit_code=credit_code.upper())
    if not user.is_authenticated or not led.exists():
        raise NotFound(_("No such enterprise among those you represent."))
    return _usage(subject_for_enterprise(credit_code), limit=limit, since=since)


def enterprise_codes_led_by(user: User) -> list[str]:
    rows = enterprises_visible_to(user).filter(legal_representative_id=user.pk)
    return list(rows.values_list("credit_code", flat=True))


@dataclass(frozen=True)
class UsageStat:
    resource_code: str
    consumer_code: str
    result: str
    calls: int
    avg_latency_ms: float
    max_latency_ms: int


def _department_scope(user: User) -> Q:
    if not user.is_authenticated or not user.is_staff:
        raise PermissionDenied(_("Usage statistics are for department staff."))
    scope = staff_scope(user)
    if scope.everything:
        return Q()
    if not scope.department_ids:
        raise PermissionDenied(_("You hold no role in a department."))
    ids = list(scope.department_ids)
    return Q(provider_department_id__in=ids) | Q(consumer_department_id__in=ids)


def usage_statistics_for(user: User, *, days: int = 30) -> list[UsageStat]:
    """Calls per resource, consumer and result over the last ``days``, for the departments ``user`` may see
    (as provider or consumer). Reads only indexed columns of the log."""
    since = timezone.now() - timedelta(days=days)
    rows = (
        ExchangeCall.objects.filter(_department_scope(user), called_at__gte=since)
        .values("resource_code", "consumer_code", "result")
        .annotate(calls=Count("id"), avg_latency=Avg("latency_ms"), max_latency=Max("latency_ms"))
        .order_by("resource_code", "consumer_code", "result")
    )
    return [
        UsageStat(
            resource_code=row["resource_code"], consumer_code=row["consumer_code"], result=row["result"],
            calls=row["calls"], avg_latency_ms=round(float(row["avg_latency"] or 0), 1),
            max_latency_ms=int(row["max_latency"] or 0),
        )
        for row in rows
    ]  # fmt: skip


def resources_catalog() -> QuerySet[DataResource]:
    """The shared catalog is public inside the platform: codes, providers, fields and sharing classes."""
    return DataResource.objects.filter(is_active=True).select_related("provider").prefetch_related("fields")


def subscriptions_visible_to(user: User) -> QuerySet[Subscription]:
    """Staff see subscriptions to or from their departments (administrators: all)."""
    rows = Subscription.objects.select_related("consumer", "resource", "resource__provider")
    return rows.filter(_subscription_scope(user))


def _subscription_scope(user: User) -> Q:
    scope = _department_scope(user)
    if not scope:
        return Q()
    ids = list(staff_scope(user).department_ids)
    return Q(resource__provider_id__in=ids) | Q(consumer__department_id__in=ids)
