"""Whose data: the subject key the exchange log and providers use, behind a plugin (``SubjectResolver``).

Today the default resolver keys a person by their user account: the log keeps ``u:<public_id>`` (opaque,
stable) and the demo server is asked by ``username`` (demo subjects). An enterprise is keyed by its unified
social credit code (not personal data). Switching to resident-ID keys later is one class: a resolver whose
``person`` returns ``log_key`` = identity's keyed hash of the ID number (only through the function identity
will export for it) and ``provider_ref`` = the ID number itself (sent to the provider, never logged or
stored here); point ``TONGBAN_EXCHANGE_SUBJECT_RESOLVER`` at it. Old log rows keep their old keys, so a
"who used my data" reader then asks for both keys (``Subject.aliases``).
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from tongban.exchange.models import SubjectKind
from tongban.identity.public import User


@dataclass(frozen=True)
class Subject:
    """``log_key`` goes into the exchange log; ``provider_ref`` is what a provider looks the subject up by."""

    kind: str
    log_key: str
    provider_ref: str
    aliases: tuple[str, ...] = field(default=())

    @property
    def log_keys(self) -> tuple[str, ...]:
        return (self.log_key, *self.aliases)


class SubjectResolver(abc.ABC):
    @abc.abstractmethod
    def person(self, user: User) -> Subject:
        """The subject for a natural person's own data."""

    @abc.abstractmethod
    def enterprise(self, credit_code: str) -> Subject:
        """The subject for an enterprise, by its unified social credit code."""


class UserSubjectResolver(SubjectResolver):
    def person(self, user: User) -> Subject:
        return Subject(kind=SubjectKind.PERSON, log_key=f"u:{user.public_id}", provider_ref=user.get_username())

    def enterprise(self, credit_code: str) -> Subject:
        code = credit_code.strip().upper()
        return Subject(kind=SubjectKind.ENTERPRISE, log_key=f"e:{code}", provider_ref=code)


@cache
def _resolver(path: str) -> SubjectResolver:
    resolver: SubjectResolver = import_string(path)()
    return resolver


def subject_resolver() -> SubjectResolver:
    return _resolver(settings.EXCHANGE_SUBJECT_RESOLVER)


def subject_for_person(user: User) -> Subject:
    return subject_resolver().person(user)


def subject_for_enterprise(credit_code: str) -> Subject:
    return subject_resolver().enterprise(credit_code)
