"""The only writers of identity state. One function per state change; keyword-only; each records an
IdentityEvent. Personal data (names, ID numbers, phones) never reaches a log line: ids only."""

from __future__ import annotations

import datetime
import hmac
import logging
import secrets
from collections.abc import Callable, Sequence
from typing import Any

import pyotp
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.common.public import Conflict, DomainError, PermissionDenied, log_event, record_audit
from tongban.identity import crypto
from tongban.identity.channels import get_channel
from tongban.identity.errors import LevelRequired, LoginFailed, TooManyAttempts
from tongban.identity.ids import IdNumberError, normalize_phone, normalize_resident_id, normalize_uscc
from tongban.identity.models import (
    Authorisation,
    Department,
    Enterprise,
    EnterpriseAgent,
    IdentityEvent,
    LoginRecord,
    OneTimeCode,
    Person,
    RateEvent,
    RealNameLevel,
    Region,
    SignInSession,
    StaffAssignment,
    StaffRole,
    TotpDevice,
    User,
)
from tongban.identity.registry import RegistryUnavailable, get_registry

logger = logging.getLogger(__name__)


# --- helpers -----------------------------------------------------------------------------------------
def _event(
    *,
    actor: User | None,
    action: str,
    subject: User | None = None,
    enterprise: Enterprise | None = None,
    **detail: object,
) -> None:
    IdentityEvent.objects.create(
        actor=actor, action=action, subject_user=subject, subject_enterprise=enterprise, detail=detail
    )
    log_event(
        logger,
        f"identity_{action}",
        actor_id=actor.pk if actor else None,
        subject_id=subject.pk if subject else None,
        enterprise_id=enterprise.pk if enterprise else None,
    )


def _phone(value: str) -> str:
    try:
        return normalize_phone(value)
    except IdNumberError as exc:
        raise DomainError(
            _("Enter a mainland mobile number of 11 digits."), fields={"phone": _("Not a mobile number.")}
        ) from exc


def _id_number(value: str) -> str:
    try:
        return normalize_resident_id(value)
    except IdNumberError as exc:
        raise DomainError(
            _("This resident ID number is not valid."),
            fields={"id_number": _("Check the number and its last character.")},
        ) from exc


def client_key(ip: str) -> str:
    """A short keyed hash of the client address: enough to count per address, not to recover it."""
    return crypto.lookup_hash("ip", ip)[:32]


def _count(key: str, *, seconds: int) -> int:
    return RateEvent.objects.filter(key=key, at__gte=timezone.now() - datetime.timedelta(seconds=seconds)).count()


def _hit(key: str) -> None:
    RateEvent.objects.create(key=key, at=timezone.now())


def _retry_message(retry_at: datetime.datetime) -> str:
    minutes = max(1, int((retry_at - timezone.now()).total_seconds() // 60) + 1)
    return _("Too many attempts. Try again in %(minutes)d minutes (at %(time)s).") % {
        "minutes": minutes,
        "time": timezone.localtime(retry_at).strftime("%H:%M"),
    }


def _limit(key: str, *, limit: int, seconds: int) -> None:
    window_start = timezone.now() - datetime.timedelta(seconds=seconds)
    events = RateEvent.objects.filter(key=key, at__gte=window_start).order_by("at")
    if events.count() >= limit:
        first = events.first()
        retry_at = (first.at if first else timezone.now()) + datetime.timedelta(seconds=seconds)
        raise TooManyAttempts(_retry_message(retry_at))


def lockout_until(principal_key: str) -> datetime.datetime | None:
    """When a locked principal (phone/ID/username hash) may try again, or None if not locked."""
    window = settings.IDENTITY_LOCKOUT_SECONDS
    failures = list(
        RateEvent.objects.filter(
            key=f"fail:{principal_key}", at__gte=timezone.now() - datetime.timedelta(seconds=window)
        ).order_by("-at")[: settings.IDENTITY_LOGIN_MAX_FAILURES]
    )
    if len(failures) < settings.IDENTITY_LOGIN_MAX_FAILURES:
        return None
    return failures[0].at + datetime.timedelta(seconds=window)


# --- one-time codes ----------------------------------------------------------------------------------
def otp_request(*, phone: str, purpose: str, ip: str) -> None:
    """Send a six-digit code to ``phone``. Limited per phone and per client address."""
    phone = _phone(phone)
    phone_hash = crypto.lookup_hash("phone", phone)
    with transaction.atomic():
        _limit(f"otp:p:{phone_hash[:40]}", limit=settings.IDENTITY_OTP_PER_PHONE_PER_HOUR, seconds=3600)
        _limit(f"otp:ip:{client_key(ip)}", limit=settings.IDENTITY_OTP_PER_IP_PER_HOUR, seconds=3600)
        _hit(f"otp:p:{phone_hash[:40]}")
        _hit(f"otp:ip:{client_key(ip)}")
        code = f"{secrets.randbelow(1_000_000):06d}"
        otp = OneTimeCode.objects.create(
            phone_hash=phone_hash,
            purpose=purpose,
            code_hash=crypto.lookup_hash("otp", f"{phone_hash}:{code}"),
            expires_at=timezone.now() + datetime.timedelta(seconds=settings.IDENTITY_OTP_TTL_SECONDS),
        )
        body = _("Your Tongban verification code is %(code)s. It is valid for 5 minutes. Do not share it.") % {
            "code": code
        }
        get_channel().send(phone=phone, body=body)
    log_event(logger, "otp_sent", otp_id=otp.pk, purpose=purpose)


def otp_consume(*, phone: str, purpose: str, code: str) -> None:
    """Check and use up the latest code for ``phone``; a wrong code counts against it."""
    phone_hash = crypto.lookup_hash("phone", _phone(phone))
    invalid = DomainError(
        _("The code is wrong or has expired. Request a new one."),
        fields={"code": _("Wrong or expired code.")},
        code="invalid_code",
    )
    with transaction.atomic():
        otp = (
            OneTimeCode.objects.select_for_update()
            .filter(phone_hash=phone_hash, purpose=purpose, consumed_at__isnull=True, expires_at__gt=timezone.now())
            .order_by("-created_at")
            .first()
        )
        if otp is None or otp.attempts >= settings.IDENTITY_OTP_MAX_ATTEMPTS:
            raise invalid
        expected = crypto.lookup_hash("otp", f"{phone_hash}:{code.strip()}")
        if not hmac.compare_digest(expected, otp.code_hash):
            OneTimeCode.objects.filter(pk=otp.pk).update(attempts=otp.attempts + 1)
            log_event(logger, "otp_wrong", otp_id=otp.pk)
            # falls through: the attempt count is committed with this block, then the refusal is raised
        else:
            otp.consumed_at = timezone.now()
            otp.save(update_fields=["consumed_at"])
            return
    raise invalid


# --- persons -----------------------------------------------------------------------------------------
def person_register(*, name: str, id_number: str, phone: str, code: str, password: str) -> User:
    """Create a person account at level L1 (phone verified by ``code``)."""
    name = name.strip()
    if not name:
        raise DomainError(_("Enter your real name."), fields={"name": _("Required.")})
    id_number, phone = _id_number(id_number), _phone(phone)
    try:
        validate_password(password, User(first_name=name))
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), fields={"password": " ".join(exc.messages)}) from exc
    otp_consume(phone=phone, purpose=OneTimeCode.Purpose.REGISTER, code=code)
    try:
        with transaction.atomic():
            user = User(username=f"p{secrets.token_hex(8)}", first_name=name)
            user.set_password(password)
            user.save()
            Person.objects.create(
                user=user,
                name=name,
                id_number_cipher=crypto.encrypt(id_number),
                id_number_hash=crypto.lookup_hash("id", id_number),
                phone_cipher=crypto.encrypt(phone),
                phone_hash=crypto.lookup_hash("phone", phone),
                real_name_level=RealNameLevel.L1,
                level_changed_at=timezone.now(),
            )
            _event(actor=user, action="person_registered", subject=user, level=RealNameLevel.L1)
    except IntegrityError as exc:
        raise Conflict(_("An account with this ID number or phone already exists. Log in instead.")) from exc
    return user


def person_find(*, phone_or_id: str) -> Person | None:
    """Exact-match look-up by phone or resident ID number, through the keyed hashes."""
    value = phone_or_id.strip()
    try:
        return Person.objects.select_related("user").get(phone_hash=crypto.lookup_hash("phone", normalize_phone(value)))
    except (IdNumberError, Person.DoesNotExist):
        pass
    try:
        return Person.objects.select_related("user").get(
            id_number_hash=crypto.lookup_hash("id", normalize_resident_id(value))
        )
    except (IdNumberError, Person.DoesNotExist):
        return None


def person_change_phone(*, user: User, new_phone: str, code: str) -> None:
    new_phone = _phone(new_phone)
    otp_consume(phone=new_phone, purpose=OneTimeCode.Purpose.CHANGE_PHONE, code=code)
    try:
        with transaction.atomic():
            person = Person.objects.select_for_update().get(user=user)
            person.phone_cipher = crypto.encrypt(new_phone)
            person.phone_hash = crypto.lookup_hash("phone", new_phone)
            person.save(update_fields=["phone_cipher", "phone_hash"])
            _event(actor=user, action="phone_changed", subject=user)
    except IntegrityError as exc:
        raise Conflict(_("This phone number belongs to another account.")) from exc


def person_confirm_by_registry(*, user: User) -> int:
    """Raise the person to L2 when the population registry confirms name + ID number.

    The registry is asked outside any transaction (it may be a remote department system behind the data
    exchange, with its own time budget); the level is then raised under a row lock."""
    person = Person.objects.get(user=user)
    if person.real_name_level >= RealNameLevel.L2:
        return person.real_name_level
    try:
        confirmed = get_registry().confirms(
            name=person.name, id_number=crypto.decrypt(person.id_number_cipher), user=user
        )
    except RegistryUnavailable as exc:
        _event(actor=user, action="registry_unavailable", subject=user)
        raise DomainError(
            _("The population registry cannot be reached just now. Please try again in a few minutes."),
            code="registry_unavailable",
        ) from exc
    if not confirmed:
        _event(actor=user, action="registry_check_failed", subject=user)
        raise DomainError(
            _(
                "The population registry does not hold a person with exactly this name and ID number, so your "
                "identity stays at its present level. Check the name and ID number on your account; if they are "
                "right, have your identity confirmed at a service window."
            ),
            code="registry_mismatch",
        )
    with transaction.atomic():
        person = Person.objects.select_for_update().get(user=user)
        if person.real_name_level < RealNameLevel.L2:
            person.real_name_level, person.level_changed_at = RealNameLevel.L2, timezone.now()
            person.save(update_fields=["real_name_level", "level_changed_at"])
            _event(actor=user, action="level_raised", subject=user, level=RealNameLevel.L2)
    return person.real_name_level


@transaction.atomic
def person_confirm_in_person(*, clerk: User, person_user: User) -> None:
    """A window clerk saw the person and their ID card: level L3."""
    if not StaffAssignment.objects.filter(user=clerk, role=StaffRole.WINDOW_CLERK).exists():
        raise PermissionDenied(_("Only a window clerk can confirm a person in person."))
    person = Person.objects.select_for_update().get(user=person_user)
    person.real_name_level, person.level_changed_at = RealNameLevel.L3, timezone.now()
    person.save(update_fields=["real_name_level", "level_changed_at"])
    _event(actor=clerk, action="level_raised", subject=person_user, level=RealNameLevel.L3)


def require_level(user: User, level: int) -> None:
    """Raise LevelRequired unless ``user`` is a person at ``level`` or above (items and actions call this)."""
    person = Person.objects.filter(user_id=user.pk).first()
    if person is None or person.real_name_level < level:
        raise LevelRequired(
            _("This needs real-name level L%(level)d. Raise your level on your account page.") % {"level": level}
        )


# --- logins ------------------------------------------------------------------------------------------
def _resolve_login(identifier: str) -> tuple[str, User | None]:
    """(principal key for lockout, user or None). Phone, resident ID, or a username (staff, demo)."""
    person = person_find(phone_or_id=identifier)
    if person is not None:
        return crypto.lookup_hash("login", person.phone_hash)[:40], person.user
    user = User.objects.filter(username=identifier.strip()).first()
    return crypto.lookup_hash("login", identifier.strip())[:40], user


def login_check_password(*, identifier: str, password: str, ip: str) -> User:
    """Phone/ID/username + password, with per-principal lockout and a per-address limit."""
    principal, user = _resolve_login(identifier)
    return _login_attempt(principal=principal, ip=ip, user=user, ok=lambda u: u.check_password(password))


def login_check_code(*, phone: str, code: str, ip: str) -> User:
    person = person_find(phone_or_id=phone)
    principal = (
        crypto.lookup_hash("login", person.phone_hash)[:40] if person else crypto.lookup_hash("login", phone)[:40]
    )

    def ok(_user: User) -> bool:
        try:
            otp_consume(phone=phone, purpose=OneTimeCode.Purpose.LOGIN, code=code)
        except DomainError:
            return False
        return True

    return _login_attempt(principal=principal, ip=ip, user=person.user if person else None, ok=ok)


def _login_attempt(*, principal: str, ip: str, user: User | None, ok: Callable[[User], bool]) -> User:
    until = lockout_until(principal)
    if until is not None:
        raise TooManyAttempts(_retry_message(until))
    _limit(f"login:ip:{client_key(ip)}", limit=settings.IDENTITY_LOGIN_PER_IP_PER_HOUR, seconds=3600)
    _hit(f"login:ip:{client_key(ip)}")
    if user is None or not user.is_active or not ok(user):
        if user is None:
            User().set_password("x")  # spend the hasher's time, so an unknown login is not faster to refuse
        _hit(f"fail:{principal}")
        log_event(logger, "login_failed", user_id=user.pk if user else None)
        remaining = settings.IDENTITY_LOGIN_MAX_FAILURES - _count(
            f"fail:{principal}", seconds=settings.IDENTITY_LOCKOUT_SECONDS
        )
        if remaining <= 0:
            raise TooManyAttempts(_retry_message(lockout_until(principal) or timezone.now()))
        raise LoginFailed(
            _("The login details are not right. %(remaining)d attempts left before a 15-minute lock.")
            % {"remaining": remaining}
        )
    RateEvent.objects.filter(key=f"fail:{principal}").delete()
    return user


def login_record(*, user: User, method: str, ip: str, session_key: str) -> LoginRecord:
    """Called right after ``django.contrib.auth.login``: history for 'my account', sessions for 'log out everywhere'."""
    client = ".".join(ip.split(".")[:3]) + ".*" if ip.count(".") == 3 else ip.split(":")[0][:20] + ":*"
    record = LoginRecord.objects.create(user=user, method=method, client=client, session_key=session_key)
    log_event(logger, "login_succeeded", user_id=user.pk, method=method)
    return record


def login_ended(*, user: User, session_key: str) -> None:
    LoginRecord.objects.filter(user=user, session_key=session_key, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )
    log_event(logger, "logged_out", user_id=user.pk)


@transaction.atomic
def user_logout_everywhere(*, user: User) -> int:
    records = LoginRecord.objects.select_for_update().filter(user=user, ended_at__isnull=True)
    keys = [key for key in records.values_list("session_key", flat=True) if key]
    deleted, _rows = SignInSession.objects.filter(Q(user=user) | Q(session_key__in=keys)).delete()
    records.update(ended_at=timezone.now())
    _event(actor=user, action="logged_out_everywhere", subject=user, sessions=deleted)
    return deleted


def user_change_password(*, user: User, old_password: str, new_password: str) -> None:
    if not user.check_password(old_password):
        raise DomainError(_("Your current password is not right."), fields={"old_password": _("Not right.")})
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), fields={"new_password": " ".join(exc.messages)}) from exc
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        _event(actor=user, action="password_changed", subject=user)


# --- staff -------------------------------------------------------------------------------------------
def _require_admin(actor: User) -> None:
    if not (actor.is_superuser or StaffAssignment.objects.filter(user=actor, role=StaffRole.ADMINISTRATOR).exists()):
        raise PermissionDenied(_("Only an administrator can manage staff."))


@transaction.atomic
def staff_assign(*, actor: User, user: User, department: Department, role: str) -> StaffAssignment:
    _require_admin(actor)
    if role not in StaffRole.values:
        raise DomainError(_("Unknown role."), fields={"role": _("Unknown role.")})
    assignment, created = StaffAssignment.objects.get_or_create(
        user=user, department=department, role=role, defaults={"assigned_by": actor}
    )
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    if created:
        _event(actor=actor, action="staff_assigned", subject=user, department_id=department.pk, role=role)
    return assignment


@transaction.atomic
def staff_unassign(*, actor: User, assignment_id: int) -> None:
    _require_admin(actor)
    assignment = StaffAssignment.objects.select_for_update().get(pk=assignment_id)
    assignment.delete()
    _event(
        actor=actor,
        action="staff_unassigned",
        subject=assignment.user,
        department_id=assignment.department_id,
        role=assignment.role,
    )


@transaction.atomic
def totp_begin(*, user: User) -> str:
    """Start (or restart, while unconfirmed) enrolment; return the secret for the authenticator app."""
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device is not None and device.confirmed_at is not None:
        raise Conflict(_("An authenticator is already set up."))
    secret = pyotp.random_base32()
    TotpDevice.objects.update_or_create(user=user, defaults={"secret_cipher": crypto.encrypt(secret), "last_step": 0})
    return secret


def _totp_accept(device: TotpDevice, code: str) -> bool:
    totp = pyotp.TOTP(crypto.decrypt(device.secret_cipher))
    now = timezone.now()
    for drift in (0, -1, 1):  # one 30-second step either side for clock skew
        at = now + datetime.timedelta(seconds=30 * drift)
        step = totp.timecode(at)
        if step > device.last_step and hmac.compare_digest(totp.at(at), code.strip()):
            device.last_step = step  # a code is good once: replays are refused
            return True
    return False


def totp_verify(*, user: User, code: str, ip: str) -> None:
    """Second factor for staff (also confirms enrolment). Wrong codes count towards the lockout."""
    principal = crypto.lookup_hash("totp", str(user.pk))[:40]
    until = lockout_until(principal)
    if until is not None:
        raise TooManyAttempts(_retry_message(until))
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=user).first()
        accepted = device is not None and _totp_accept(device, code)
        if device is not None and accepted:
            if device.confirmed_at is None:
                device.confirmed_at = timezone.now()
                _event(actor=user, action="totp_enrolled", subject=user)
            device.save(update_fields=["last_step", "confirmed_at"])
    if not accepted:
        _hit(f"fail:{principal}")
        log_event(logger, "totp_failed", user_id=user.pk)
        raise LoginFailed(_("The authenticator code is not right."), fields={"code": _("Not right.")})
    RateEvent.objects.filter(key=f"fail:{principal}").delete()


def _checksum_passes(code: str) -> bool:
    try:
        normalize_uscc(code)
    except IdNumberError:
        return False
    return True


# --- enterprises, agents, authorisations --------------------------------------------------------------
def enterprise_register(
    *, actor: User, credit_code: str, name: str, legal_representative: User, checksum_override_reason: str = ""
) -> Enterprise:
    """Register an enterprise. A code failing the GB 32100 checksum needs an administrator and a reason."""
    override = bool(checksum_override_reason.strip())
    if override:
        _require_admin(actor)
    elif actor.pk != legal_representative.pk and not actor.is_superuser:
        raise PermissionDenied(_("Only the legal representative can register the enterprise."))
    try:
        code = normalize_uscc(credit_code, allow_bad_checksum=override)
    except IdNumberError as exc:
        raise DomainError(
            _("This unified social credit code is not valid."), fields={"credit_code": _("Not valid.")}
        ) from exc
    if override and _checksum_passes(code):
        raise DomainError(
            _("This credit code passes the GB 32100 checksum: no exception is needed, so none is recorded."),
            fields={"credit_code": _("The legal representative can register this enterprise on their own page.")},
        )
    require_level(legal_representative, RealNameLevel.L2)
    try:
        with transaction.atomic():
            enterprise = Enterprise.objects.create(
                credit_code=code,
                name=name.strip(),
                legal_representative=legal_representative,
                checksum_override_reason=checksum_override_reason.strip(),
                checksum_override_by=actor if override else None,
            )
            _event(actor=actor, action="enterprise_registered", enterprise=enterprise, checksum_override=override)
            if override:
                record_audit(
                    actor=actor, action="identity.enterprise_checksum_override", object_type="identity.enterprise",
                    object_id=enterprise.pk,
                    after={"credit_code": code, "reason": enterprise.checksum_override_reason,
                           "legal_representative_id": legal_representative.pk},
                )  # fmt: skip
    except IntegrityError as exc:
        raise Conflict(_("This enterprise is already registered.")) from exc
    return enterprise


def _future(expires_at: datetime.datetime) -> None:
    if expires_at <= timezone.now():
        raise DomainError(_("The expiry must be in the future."), fields={"expires_at": _("Must be in the future.")})


@transaction.atomic
def enterprise_agent_grant(
    *,
    actor: User,
    enterprise: Enterprise,
    agent: User,
    all_items: bool,
    item_codes: Sequence[str],
    expires_at: datetime.datetime,
) -> EnterpriseAgent:
    if enterprise.legal_representative_id != actor.pk:
        raise PermissionDenied(_("Only the legal representative can authorise agents."))
    _future(expires_at)
    codes = sorted({c.strip() for c in item_codes if c.strip()})
    if not all_items and not codes:
        raise DomainError(_("Choose all items or list at least one item code."), fields={"item_codes": _("Required.")})
    grant = EnterpriseAgent.objects.create(
        enterprise=enterprise,
        agent=agent,
        all_items=all_items,
        item_codes=[] if all_items else codes,
        expires_at=expires_at,
        granted_by=actor,
    )
    _event(actor=actor, action="enterprise_agent_granted", subject=agent, enterprise=enterprise, grant_id=grant.pk)
    return grant


@transaction.atomic
def enterprise_agent_revoke(*, actor: User, grant_id: int) -> None:
    grant = EnterpriseAgent.objects.select_for_update().select_related("enterprise").filter(pk=grant_id).first()
    if grant is None or grant.enterprise.legal_representative_id != actor.pk:
        raise PermissionDenied(_("Only the legal representative can revoke agents."))
    if grant.revoked_at is None:
        grant.revoked_at, grant.revoked_by = timezone.now(), actor
        grant.save(update_fields=["revoked_at", "revoked_by"])
        _event(
            actor=actor,
            action="enterprise_agent_revoked",
            subject=grant.agent,
            enterprise=grant.enterprise,
            grant_id=grant.pk,
        )


@transaction.atomic
def authorisation_grant(
    *, principal: User, agent: User, item_codes: Sequence[str], expires_at: datetime.datetime
) -> Authorisation:
    if agent.pk == principal.pk:
        raise DomainError(_("You cannot authorise yourself."), fields={"agent": _("Choose someone else.")})
    _future(expires_at)
    codes = sorted({c.strip() for c in item_codes if c.strip()})
    if not codes:
        raise DomainError(_("List at least one item code."), fields={"item_codes": _("Required.")})
    authorisation = Authorisation.objects.create(
        principal=principal, agent=agent, item_codes=codes, expires_at=expires_at
    )
    _event(actor=principal, action="authorisation_granted", subject=agent, authorisation_id=authorisation.pk)
    return authorisation


@transaction.atomic
def authorisation_revoke(*, actor: User, authorisation_id: int) -> None:
    authorisation = Authorisation.objects.select_for_update().filter(pk=authorisation_id, principal=actor).first()
    if authorisation is None:
        raise PermissionDenied(_("You can only revoke authorisations you gave."))
    if authorisation.revoked_at is None:
        authorisation.revoked_at = timezone.now()
        authorisation.save(update_fields=["revoked_at"])
        _event(
            actor=actor, action="authorisation_revoked", subject=authorisation.agent, authorisation_id=authorisation.pk
        )


def act_for(
    *, actor: User, item_code: str, principal: User | None = None, enterprise: Enterprise | None = None, action: str
) -> None:
    """Check that ``actor`` may act for ``principal``/``enterprise`` on ``item_code`` and record who acted for whom.

    Other contexts call this (through public.py) before an act on someone else's behalf.
    """
    now = timezone.now()
    if enterprise is not None:
        allowed = enterprise.legal_representative_id == actor.pk or any(
            g.all_items or item_code in g.item_codes
            for g in EnterpriseAgent.objects.filter(
                enterprise=enterprise, agent=actor, revoked_at__isnull=True, expires_at__gt=now
            )
        )
    elif principal is not None:
        allowed = principal.pk == actor.pk or any(
            item_code in a.item_codes
            for a in Authorisation.objects.filter(
                principal=principal, agent=actor, revoked_at__isnull=True, expires_at__gt=now
            )
        )
    else:
        raise DomainError(_("Say for whom the act is done."))
    if not allowed:
        raise PermissionDenied(_("You are not authorised to act for them on this item."))
    _event(actor=actor, action=f"acted:{action}", subject=principal, enterprise=enterprise, item_code=item_code)


# --- regions and departments (master data written by the catalog import) ----------------------------------
def region_ensure(path: list[list[Any]]) -> Region:
    """Create the regions of ``path`` ([[code, name, level], …] from the top) that do not exist yet."""
    parent: Region | None = None
    region: Region | None = None
    for code, name, level in path:
        region, created = Region.objects.get_or_create(
            code=code, defaults={"name": name or code, "level": level, "parent": parent}
        )
        if not created and name and region.name == region.code:
            region.name = name
            region.save(update_fields=["name"])
        parent = region
    if region is None:
        raise ValueError("empty region path")
    return region


def department_ensure(*, code: str, name: str, region: Region) -> Department:
    """The department with ``code``, created (or renamed to ``name``) as the source says."""
    department, created = Department.objects.get_or_create(code=code, defaults={"name": name, "region": region})
    if not created and (department.name != name or department.region_id != region.code):
        department.name = name
        department.region = region
        department.save(update_fields=["name", "region"])
    return department
