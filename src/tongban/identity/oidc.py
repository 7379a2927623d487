"""The OpenID Connect provider's claims: ``sub`` is the user's opaque public id, never the database key.

Client-credentials tokens (department systems, no user) carry only the scopes a registered scope source grants
that client now (see :mod:`tongban.identity.machine`); they never get the user scopes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator

from tongban.identity import crypto
from tongban.identity.ids import mask_resident_id
from tongban.identity.machine import machine_scopes_for
from tongban.identity.models import Person, RealNameLevel


def _person(request: Any) -> Person | None:
    return Person.objects.filter(user_id=request.user.pk).first()


def _level(request: Any) -> int:
    person = _person(request)
    return int(person.real_name_level) if person else int(RealNameLevel.NONE)


def _masked_id(request: Any) -> str | None:
    person = _person(request)
    return mask_resident_id(crypto.decrypt(person.id_number_cipher)) if person and person.id_number_cipher else None


class TongbanOAuth2Validator(OAuth2Validator):  # type: ignore[misc]  # django-oauth-toolkit ships no types
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "real_name_level": "profile",
        "id_number_masked": "id_number",
    }

    def get_claim_dict(self, request: Any) -> dict[str, Callable[[Any], Any]]:
        return {
            "sub": lambda r: str(r.user.public_id),
            "name": lambda r: r.user.get_full_name() or r.user.get_username(),
            "preferred_username": lambda r: r.user.get_username(),
            "real_name_level": _level,
            "id_number_masked": _masked_id,
        }

    def get_discovery_claims(self, request: Any) -> list[str]:
        return ["sub", "name", "preferred_username", "real_name_level", "id_number_masked"]

    def validate_scopes(self, client_id: str, scopes: list[str], client: Any, request: Any, *a: Any, **k: Any) -> bool:
        if request.grant_type == "client_credentials":
            return bool(scopes) and set(scopes) <= machine_scopes_for(client.client_id)
        return bool(super().validate_scopes(client_id, scopes, client, request, *a, **k))

    def get_default_scopes(self, client_id: str, request: Any, *args: Any, **kwargs: Any) -> list[str]:
        if request.grant_type == "client_credentials":
            return sorted(machine_scopes_for(request.client.client_id))  # all it may hold, when none is named
        return list(super().get_default_scopes(client_id, request, *args, **kwargs))

    def is_pkce_required(self, client_id: str, request: Any) -> bool:
        return True  # for every client, confidential ones included
