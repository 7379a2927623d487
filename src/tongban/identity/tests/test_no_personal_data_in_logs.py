"""The log lines of every identity flow carry no ID number and no phone number, not even before the
redaction filter (which is only a last line of defence). We grep the raw records at DEBUG level."""

import logging
import re

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from tongban.identity.models import TotpDevice
from tongban.identity.tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
ID = "11010519491231002X"
PHONE = "13912345678"
NEW_PHONE = "13987654321"


def _raw_text(records):
    lines = []
    for record in records:
        lines.append(record.getMessage())
        lines.append(repr(getattr(record, "fields", "")))
        lines.append(repr(record.__dict__.get("args")))
    return "\n".join(lines)


def test_identity_flows_log_no_id_number_or_phone(caplog, last_code):
    caplog.set_level(logging.DEBUG)
    client = Client()
    form = {"name": "张三", "id_number": ID, "phone": PHONE, "password": "a-long-passphrase-1"}
    client.post(reverse("identity:register"), {**form, "action": "send_code"})
    client.post(reverse("identity:register"), {**form, "code": last_code(), "action": "register"})
    client.post(reverse("identity:account"), {"action": "phone_code", "phone": NEW_PHONE})
    client.post(reverse("identity:account"), {"action": "phone", "phone": NEW_PHONE, "code": last_code()})
    client.post(reverse("identity:logout"))
    for password in ("wrong-1", "wrong-2", "a-long-passphrase-1"):
        client.post(reverse("identity:login"), {"identifier": ID, "password": password})
    client.post(reverse("identity:login_code"), {"phone": NEW_PHONE, "action": "send_code"})
    client.post(reverse("identity:login_code"), {"phone": NEW_PHONE, "code": "000000", "action": "login"})
    client.get(f"/api/v1/identity/ids/check?value={ID}")
    client.get("/api/v1/identity/me")
    PersonFactory(id_number="110105199001010010", phone="13900001111")
    staff = UserFactory(username="staff-log", password="staff-password-1", staff=True)
    staff_client = Client()
    staff_client.post(reverse("workbench:login"), {"username": "staff-log", "password": "staff-password-1"})
    staff_client.get(reverse("identity:second_factor"))
    secret = str(staff_client.session.get("identity_totp_secret"))
    staff_client.post(reverse("identity:second_factor"), {"code": pyotp.TOTP(secret).now()})
    assert TotpDevice.objects.get(user=staff).confirmed_at is not None

    text = _raw_text(caplog.records)
    assert "otp_sent" in text and "login_failed" in text and "identity_person_registered" in text  # it did log
    for secret_value in (ID, ID.lower(), PHONE, NEW_PHONE, "13900001111", "110105199001010010", secret):
        assert secret_value not in text
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", text), "something shaped like a mobile number was logged"
    assert not re.search(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])", text), "something shaped like an ID was logged"


def test_the_run_log_checker_finds_and_masks_ids_and_phones():
    """The checker the root conftest runs over the whole test run's log (see /conftest.py)."""
    from tongban.common.logging import find_personal_data

    sample = [
        '{"event": "case_submitted", "case_id": 7}',
        '{"message": "Not Found: /api/v1/identity/ids/check?value=110105198503159996"}',  # demo ID, valid checksum
        '{"event": "otp_sent", "to": "13800138000"}',
        "first generation 110105850315999 still counts",
        "lower-case x: 44011320141005001x",
        "checksum wrong 110105198503159995, too long 1101051985031599961, order 20261122081500123456",
        "a phone inside a longer run 8613800138000 or a timestamp 1763798400000 is not a phone",
        "15 digits without a real birth date 123456991399123",
        '{"request_id": "14123456790f4096886acdccd4dd6c30", "sha": "0a13800138000ffe13800138000aa1b2c3d4e5f6"}',
        "but not a word that only looks like one: ID110105198503159996 or tel13800138000abc",
    ]
    found = find_personal_data(sample)
    assert [(line, kinds) for line, kinds, _masked in found] == [
        (2, "resident_id"), (3, "mobile"), (4, "resident_id"), (5, "resident_id"), (10, "mobile,resident_id")
    ]  # fmt: skip
    masked = "\n".join(text for _line, _kinds, text in found)
    for value in ("110105198503159996", "13800138000", "110105850315999", "44011320141005001x"):
        assert value not in masked
    assert "110*************96" in masked and "138******00" in masked
    assert find_personal_data([]) == []
