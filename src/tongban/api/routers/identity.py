"""API endpoints of the identity context. Thin: parse, call the context's public services/selectors, shape.

Session-authenticated (the portal's own pages call them); department systems sign users in over OIDC.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status
from ninja.security import SessionAuth

from tongban.api.accounts import signed_in_user
from tongban.common.public import NotFound
from tongban.identity import public as identity

router = Router(tags=["identity"])
session = SessionAuth()


class IdCheckOut(Schema):
    kind: str
    valid: bool
    normalized: str | None
    error: str | None


class MeOut(Schema):
    public_id: str
    username: str
    name: str
    id_number_masked: str | None
    phone_masked: str | None
    real_name_level: int
    is_staff: bool


class LoginOut(Schema):
    at: datetime.datetime
    method: str
    client: str
    ended_at: datetime.datetime | None


class AuthorisationOut(Schema):
    id: int
    principal_public_id: str
    agent_public_id: str
    item_codes: list[str]
    expires_at: datetime.datetime
    revoked_at: datetime.datetime | None


class AuthorisationIn(Schema):
    agent_phone: str
    item_codes: list[str]
    expires_at: datetime.datetime


class EnterpriseOut(Schema):
    id: int
    credit_code: str
    name: str
    is_legal_representative: bool


class StaffScopeOut(Schema):
    department_ids: list[int]
    region_codes: list[str]
    roles: list[str]
    everything: bool


@router.get("/ids/check", response=IdCheckOut, summary="Validate a resident ID number or a credit code")
def ids_check(request: HttpRequest, value: str) -> dict[str, object]:
    return identity.ids_check(value).as_dict()


@router.get("/me", response=MeOut, auth=session, summary="The logged-in account (ID and phone masked)")
def me(request: HttpRequest) -> dict[str, Any]:
    user = signed_in_user(request)
    person = identity.person_view_for(user, user.pk)
    return {
        "public_id": str(user.public_id),
        "username": user.get_username(),
        "name": person.name if person else user.get_full_name(),
        "id_number_masked": person.id_number if person else None,
        "phone_masked": person.phone if person else None,
        "real_name_level": person.real_name_level if person else 0,
        "is_staff": user.is_staff,
    }


class LevelOut(Schema):
    real_name_level: int


@router.post("/me/real-name/registry", response=LevelOut, auth=session, summary="Confirm name and ID (registry)")
def confirm_by_registry(request: HttpRequest) -> dict[str, int]:
    """Real-name level 2: the population registry (through the data exchange) confirms name + ID number. Refused
    with ``registry_mismatch`` (400) when it does not, ``registry_unavailable`` when it gives no verdict."""
    user = signed_in_user(request)
    if identity.person_view_for(user, user.pk) is None:
        raise NotFound(_("This account is not a natural person's."))
    return {"real_name_level": identity.person_confirm_by_registry(user=user)}


class MachineClientIn(Schema):
    name: str


class MachineClientOut(Schema):
    client_id: str
    client_secret: str
    name: str


@router.post(
    "/machine-clients", response={201: MachineClientOut}, auth=session, summary="Register a department system (admin)"
)
def machine_client_register(request: HttpRequest, payload: MachineClientIn) -> Status[dict[str, str]]:
    """An administrator registers a department system's OAuth2 client-credentials client. The secret is in this
    answer only (stored hashed); a provider then names the client id when approving a subscription."""
    client = identity.machine_client_register(actor=signed_in_user(request), name=payload.name)
    return Status(201, {"client_id": client.client_id, "client_secret": client.client_secret, "name": client.name})


@router.get("/me/logins", response=list[LoginOut], auth=session, summary="My login history")
def my_logins(request: HttpRequest) -> list[Any]:
    return identity.login_history_for(signed_in_user(request))


def _authorisation(a: Any) -> dict[str, Any]:
    return {
        "id": a.pk,
        "principal_public_id": str(a.principal.public_id),
        "agent_public_id": str(a.agent.public_id),
        "item_codes": a.item_codes,
        "expires_at": a.expires_at,
        "revoked_at": a.revoked_at,
    }


@router.get(
    "/authorisations", response=list[AuthorisationOut], auth=session, summary="Authorisations I gave or received"
)
def authorisation_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = signed_in_user(request)
    rows = list(identity.authorisations_given_by(user).select_related("principal")) + list(
        identity.authorisations_received_by(user).select_related("agent")
    )
    return [_authorisation(a) for a in rows]


@router.get("/authorisations/{authorisation_id}", response=AuthorisationOut, auth=session, summary="One authorisation")
def authorisation_detail(request: HttpRequest, authorisation_id: int) -> dict[str, Any]:
    found = identity.authorisation_visible_to(signed_in_user(request), authorisation_id)
    if found is None:
        raise NotFound(_("No such authorisation."))
    return _authorisation(found)


@router.post("/authorisations", response={201: AuthorisationOut}, auth=session, summary="Authorise someone (委托代办)")
def authorisation_create(request: HttpRequest, payload: AuthorisationIn) -> Status[dict[str, Any]]:
    agent = identity.person_find(phone_or_id=payload.agent_phone)
    if agent is None:
        raise NotFound(_("No registered person has this phone number."), fields={"agent_phone": _("Unknown.")})
    created = identity.authorisation_grant(
        principal=signed_in_user(request),
        agent=agent.user,
        item_codes=payload.item_codes,
        expires_at=payload.expires_at,
    )
    return Status(201, _authorisation(created))


@router.post("/authorisations/{authorisation_id}/revoke", response={204: None}, auth=session, summary="Revoke it")
def authorisation_revoke(request: HttpRequest, authorisation_id: int) -> Status[None]:
    identity.authorisation_revoke(actor=signed_in_user(request), authorisation_id=authorisation_id)
    return Status(204, None)


@router.get("/enterprises", response=list[EnterpriseOut], auth=session, summary="Enterprises I lead or act for")
def enterprise_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = signed_in_user(request)
    return [
        {
            "id": e.pk,
            "credit_code": e.credit_code,
            "name": e.name,
            "is_legal_representative": e.legal_representative_id == user.pk,
        }
        for e in identity.enterprises_visible_to(user)
    ]


@router.get("/staff/scope", response=StaffScopeOut, auth=session, summary="What the logged-in staff member may see")
def my_staff_scope(request: HttpRequest) -> dict[str, Any]:
    scope = identity.staff_scope(signed_in_user(request))
    return {
        "department_ids": sorted(scope.department_ids),
        "region_codes": sorted(scope.region_codes),
        "roles": sorted(scope.roles),
        "everything": scope.everything,
    }
