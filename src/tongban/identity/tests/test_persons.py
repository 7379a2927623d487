"""Persons: registration with an SMS code, encryption at rest, look-up, levels, logins, limits, lockout."""

import datetime

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from tongban.common.public import Conflict, DomainError, PermissionDenied
from tongban.identity import crypto, services
from tongban.identity.demo_data import DEMO_PERSONS
from tongban.identity.errors import LevelRequired, LoginFailed, TooManyAttempts
from tongban.identity.models import IdentityEvent, OneTimeCode, Person, RateEvent, RealNameLevel, SmsOutbox, User
from tongban.identity.tests.factories import PersonFactory, StaffAssignmentFactory, UserFactory, demo_id_number

pytestmark = pytest.mark.django_db
ID = "11010519491231002X"
PHONE = "13912345678"
IP = "10.1.2.3"


def _register(last_code, *, id_number=ID, phone=PHONE, name="张三"):
    services.otp_request(phone=phone, purpose=OneTimeCode.Purpose.REGISTER, ip=IP)
    return services.person_register(
        name=name, id_number=id_number, phone=phone, code=last_code(), password="a-long-passphrase-1"
    )


def test_registration_stores_id_and_phone_encrypted_and_finds_them_by_keyed_hash(last_code):
    user = _register(last_code, id_number="11010519491231002x", phone="+86 139-1234-5678")
    person = Person.objects.get(user=user)
    assert person.real_name_level == RealNameLevel.L1
    assert crypto.decrypt(person.id_number_cipher) == ID  # lower-case x normalised
    assert crypto.decrypt(person.phone_cipher) == PHONE
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM identity_person")
        raw = repr(cursor.fetchall())
    assert ID not in raw and PHONE not in raw and "49123100" not in raw
    assert services.person_find(phone_or_id=PHONE) == person
    assert services.person_find(phone_or_id=ID.lower()) == person
    assert services.person_find(phone_or_id="13900000000") is None
    assert user.password.startswith("md5$") or user.check_password("a-long-passphrase-1")
    assert IdentityEvent.objects.filter(action="person_registered", subject_user=user).count() == 1


def test_sms_outbox_holds_the_code_but_the_phone_only_encrypted(last_code):
    services.otp_request(phone=PHONE, purpose=OneTimeCode.Purpose.REGISTER, ip=IP)
    message = SmsOutbox.objects.get()
    assert crypto.decrypt(message.phone_cipher) == PHONE and PHONE not in message.phone_cipher
    code = last_code()
    assert OneTimeCode.objects.get().code_hash != code  # only a keyed hash of the code is stored


def test_registration_refuses_a_wrong_code_and_creates_nothing():
    services.otp_request(phone=PHONE, purpose=OneTimeCode.Purpose.REGISTER, ip=IP)
    with pytest.raises(DomainError) as refusal:
        services.person_register(name="张三", id_number=ID, phone=PHONE, code="000000", password="a-long-passphrase-1")
    assert refusal.value.code == "invalid_code"
    assert not Person.objects.exists() and not User.objects.exists()
    assert OneTimeCode.objects.get().attempts == 1  # the wrong try is counted although the call failed


def test_a_code_stops_working_after_too_many_wrong_tries(last_code):
    services.otp_request(phone=PHONE, purpose=OneTimeCode.Purpose.REGISTER, ip=IP)
    good = last_code()
    for _ in range(5):
        with pytest.raises(DomainError):
            services.otp_consume(phone=PHONE, purpose=OneTimeCode.Purpose.REGISTER, code="000000")
    with pytest.raises(DomainError):
        services.otp_consume(phone=PHONE, purpose=OneTimeCode.Purpose.REGISTER, code=good)


def test_registration_refuses_invalid_ids_and_duplicates(last_code):
    with pytest.raises(DomainError) as refusal:
        services.person_register(name="张三", id_number="11010519491231001X", phone=PHONE, code="1", password="x")
    assert "id_number" in refusal.value.fields
    _register(last_code)
    with pytest.raises(Conflict):
        _register(last_code, phone="13912345679")  # same ID number, other phone
    assert Person.objects.count() == 1


@override_settings(IDENTITY_OTP_PER_PHONE_PER_HOUR=2)
def test_codes_are_rate_limited_per_phone_with_a_retry_time():
    for _ in range(2):
        services.otp_request(phone=PHONE, purpose=OneTimeCode.Purpose.LOGIN, ip=IP)
    with pytest.raises(TooManyAttempts) as refusal:
        services.otp_request(phone=PHONE, purpose=OneTimeCode.Purpose.LOGIN, ip="10.9.9.9")
    assert refusal.value.status == 429
    assert "分钟" in refusal.value.message or "minutes" in refusal.value.message
    assert SmsOutbox.objects.count() == 2  # the refused request sent nothing
    services.otp_request(phone="13912345670", purpose=OneTimeCode.Purpose.LOGIN, ip=IP)  # another phone is fine


@override_settings(IDENTITY_OTP_PER_IP_PER_HOUR=3)
def test_codes_are_rate_limited_per_client_address():
    for n in range(3):
        services.otp_request(phone=f"1391234560{n}", purpose=OneTimeCode.Purpose.LOGIN, ip=IP)
    with pytest.raises(TooManyAttempts):
        services.otp_request(phone="13912345699", purpose=OneTimeCode.Purpose.LOGIN, ip=IP)


def test_login_by_phone_or_id_and_password():
    person = PersonFactory(id_number=ID, phone=PHONE, user__password="a-long-passphrase-1")
    assert services.login_check_password(identifier=PHONE, password="a-long-passphrase-1", ip=IP) == person.user
    assert services.login_check_password(identifier=ID, password="a-long-passphrase-1", ip=IP) == person.user
    with pytest.raises(LoginFailed):
        services.login_check_password(identifier=PHONE, password="wrong", ip=IP)


def test_login_by_phone_and_code(last_code):
    person = PersonFactory(phone=PHONE)
    services.otp_request(phone=PHONE, purpose=OneTimeCode.Purpose.LOGIN, ip=IP)
    assert services.login_check_code(phone=PHONE, code=last_code(), ip=IP) == person.user
    with pytest.raises(LoginFailed):
        services.login_check_code(phone=PHONE, code=last_code(), ip=IP)  # used up


def test_lockout_after_repeated_failures_says_when_to_retry_and_then_lifts():
    person = PersonFactory(phone=PHONE, user__password="a-long-passphrase-1")
    for remaining in (4, 3, 2, 1):
        with pytest.raises(LoginFailed) as refusal:
            services.login_check_password(identifier=PHONE, password="wrong", ip=IP)
        assert str(remaining) in refusal.value.message
    with pytest.raises(TooManyAttempts):
        services.login_check_password(identifier=PHONE, password="wrong", ip=IP)
    # Locked: even the right password is refused, with the time to come back.
    with pytest.raises(TooManyAttempts) as locked:
        services.login_check_password(identifier=PHONE, password="a-long-passphrase-1", ip="10.7.7.7")
    assert ":" in locked.value.message  # HH:MM
    RateEvent.objects.filter(key__startswith="fail:").update(at=timezone.now() - datetime.timedelta(minutes=16))
    assert services.login_check_password(identifier=PHONE, password="a-long-passphrase-1", ip=IP) == person.user
    assert not RateEvent.objects.filter(key__startswith="fail:").exists()  # success clears the count


def test_level_two_from_the_demo_registry_and_level_three_only_from_a_window_clerk():
    demo = DEMO_PERSONS[0]
    person = PersonFactory(name=demo.name, id_number=demo.id_number, phone=demo.phone)
    stranger = PersonFactory(id_number=demo_id_number(7))
    assert services.person_confirm_by_registry(user=person.user) == RealNameLevel.L2
    with pytest.raises(DomainError):
        services.person_confirm_by_registry(user=stranger.user)
    stranger.refresh_from_db()
    assert stranger.real_name_level == RealNameLevel.L1
    handler = StaffAssignmentFactory().user
    with pytest.raises(PermissionDenied):
        services.person_confirm_in_person(clerk=handler, person_user=person.user)
    clerk = StaffAssignmentFactory(clerk=True).user
    services.person_confirm_in_person(clerk=clerk, person_user=person.user)
    person.refresh_from_db()
    assert person.real_name_level == RealNameLevel.L3
    assert IdentityEvent.objects.filter(action="level_raised", actor=clerk, subject_user=person.user).exists()


def test_require_level():
    person = PersonFactory()
    services.require_level(person.user, RealNameLevel.L1)
    with pytest.raises(LevelRequired) as refusal:
        services.require_level(person.user, RealNameLevel.L2)
    assert refusal.value.code == "real_name_level_required" and refusal.value.status == 403
    with pytest.raises(LevelRequired):
        services.require_level(UserFactory(), RealNameLevel.L1)  # no person at all


def test_change_phone_needs_a_code_sent_to_the_new_phone(last_code):
    person = PersonFactory(phone=PHONE)
    services.otp_request(phone="13912340000", purpose=OneTimeCode.Purpose.CHANGE_PHONE, ip=IP)
    services.person_change_phone(user=person.user, new_phone="13912340000", code=last_code())
    assert services.person_find(phone_or_id="13912340000") == Person.objects.get(pk=person.pk)
    assert services.person_find(phone_or_id=PHONE) is None


def test_argon2_is_the_password_hasher_in_production_settings():
    from tongban.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "tongban.identity.hashers.ClientSecretHasher" in base.PASSWORD_HASHERS


def test_a_weak_password_is_refused_before_the_code_is_used(last_code):
    services.otp_request(phone=PHONE, purpose=OneTimeCode.Purpose.REGISTER, ip=IP)
    with pytest.raises(DomainError) as refusal:
        services.person_register(name="张三", id_number=ID, phone=PHONE, code=last_code(), password="12345")
    assert "password" in refusal.value.fields
    assert OneTimeCode.objects.get().consumed_at is None and not Person.objects.exists()
