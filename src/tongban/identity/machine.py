"""Machine clients: department systems that call our APIs with OAuth2 client credentials (no user).

An administrator registers a client (:func:`machine_client_register`; the secret is shown once and stored
hashed with the fast client-secret hasher). Which scopes a client may ask for is not identity's knowledge:
higher contexts register a *scope source* (``register_machine_scopes``) — the exchange grants
``exchange:<resource code>`` for each approved subscription issued to the client — and the token endpoint
(``TongbanOAuth2Validator``) issues only scopes some source grants. A caller's bearer token is read back with
:func:`machine_token`.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import AccessToken, Application

from tongban.common.public import DomainError, PermissionDenied, log_event, record_audit
from tongban.identity import crypto
from tongban.identity.ids import IdNumberError, normalize_resident_id
from tongban.identity.models import Person, User
from tongban.identity.selectors import is_administrator

logger = logging.getLogger(__name__)

ScopeSource = Callable[[str], Iterable[str]]
_scope_sources: list[ScopeSource] = []


def register_machine_scopes(source: ScopeSource) -> None:
    """``source(client_id)`` names the scopes that client may currently hold (idempotent registration)."""
    if source not in _scope_sources:
        _scope_sources.append(source)


def machine_scopes_for(client_id: str) -> frozenset[str]:
    return frozenset(scope for source in _scope_sources for scope in source(client_id))


@dataclass(frozen=True)
class MachineClient:
    client_id: str
    client_secret: str  # shown once, at registration; only its hash is stored
    name: str


@transaction.atomic
def machine_client_register(*, actor: User, name: str) -> MachineClient:
    """Register a department system's client-credentials client (administrators only)."""
    if not is_administrator(actor):
        raise PermissionDenied(_("Only an administrator may register a machine client."))
    if not name.strip():
        raise DomainError(_("Name the system."), fields={"name": _("Name the system.")})
    secret = generate_client_secret()
    application = Application.objects.create(
        name=name.strip()[:255], client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS, client_secret=secret, hash_client_secret=True,
        skip_authorization=True,
    )  # fmt: skip
    record_audit(
        actor=actor, action="identity.machine_client_registered", object_type="oauth2.application",
        object_id=application.pk, after={"client_id": application.client_id, "name": application.name},
    )  # fmt: skip
    log_event(logger, "machine_client_registered", actor_id=actor.pk, application_id=application.pk)
    return MachineClient(client_id=application.client_id, client_secret=secret, name=application.name)


def machine_client_exists(client_id: str) -> bool:
    found = Application.objects.filter(
        client_id=client_id, authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS
    )
    return bool(found.exists())


@dataclass(frozen=True)
class MachineToken:
    client_id: str
    scopes: frozenset[str]


def machine_token(raw: str) -> MachineToken | None:
    """The client and scopes of a valid client-credentials access token; None for anything else (unknown,
    expired, or a token issued to a user)."""
    if not raw:
        return None
    checksum = hashlib.sha256(raw.encode()).hexdigest()
    token = AccessToken.objects.select_related("application").filter(token_checksum=checksum).first()
    if token is None or token.user_id is not None or token.application is None or token.expires <= timezone.now():
        return None
    if token.application.authorization_grant_type != Application.GRANT_CLIENT_CREDENTIALS:
        return None
    return MachineToken(client_id=token.application.client_id, scopes=frozenset(token.scope.split()))


def person_user_by_id_number(value: str) -> User | None:
    """The platform account of the person with this resident ID number (exact match through the keyed hash)."""
    try:
        number = normalize_resident_id(value.strip())
    except IdNumberError:
        return None
    person = Person.objects.select_related("user").filter(id_number_hash=crypto.lookup_hash("id", number)).first()
    return person.user if person else None
