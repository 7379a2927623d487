"""Resident ID numbers (GB 11643) and unified social credit codes (GB 32100): pure functions, no database.

Why not ``stdnum.cn.ric.validate``: it also requires that the six-digit area code existed in the birth year
(per its own table), which rejects real citizens whose number was issued by a district created later
(docs in ../shared/docs/dependencies.md §5). We check format, checksum, a real past birth date, a plausible
age and a known province prefix ourselves. The credit code uses ``stdnum.cn.uscc`` as is.

Conformance notes (tests/test_ids_conformance.py): ``invalid_library_specific`` rows are *accepted*, since
their checksum and date are sound and no rule of GB 11643 rejects them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal

from stdnum import exceptions as stdnum_errors
from stdnum.cn import uscc as stdnum_uscc

_RIC_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]
_RIC_CHECK = "10X98765432"
# GB/T 2260 province-level prefixes, plus 81/82/83 for Hong Kong, Macau and Taiwan residence permits.
_PROVINCES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
    ]
)
MAX_AGE_YEARS = 150


class IdNumberError(ValueError):
    """``code`` is machine-readable: invalid_length, invalid_format, invalid_checksum, invalid_component."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class CheckResult:
    kind: Literal["resident_id", "uscc", "unknown"]
    valid: bool
    normalized: str | None
    error: str | None

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "valid": self.valid, "normalized": self.normalized, "error": self.error}


def _compact(value: str) -> str:
    return "".join(value.split()).replace("-", "").upper()


def resident_id_check_char(first17: str) -> str:
    return _RIC_CHECK[sum(int(d) * w for d, w in zip(first17, _RIC_WEIGHTS, strict=True)) % 11]


def _birth_date(text: str, today: datetime.date) -> datetime.date:
    try:
        born = datetime.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError as exc:
        raise IdNumberError("invalid_component") from exc
    if born > today or today.year - born.year > MAX_AGE_YEARS:
        raise IdNumberError("invalid_component")
    return born


def normalize_resident_id(value: str, *, today: datetime.date | None = None) -> str:
    """Return the 18-character form (upper-case X; 15-digit numbers converted) or raise IdNumberError."""
    today = today or datetime.date.today()  # noqa: DTZ011  # a birth date is a calendar date, not an instant
    number = _compact(value)
    if len(number) == 15:
        if not number.isdigit():
            raise IdNumberError("invalid_format")
        _birth_date("19" + number[6:12], today)
        number = number[:6] + "19" + number[6:]
        number += resident_id_check_char(number)
    if len(number) != 18:
        raise IdNumberError("invalid_length")
    if not number[:17].isdigit() or number[17] not in "0123456789X":
        raise IdNumberError("invalid_format")
    if number[:2] not in _PROVINCES:
        raise IdNumberError("invalid_component")
    _birth_date(number[6:14], today)
    if resident_id_check_char(number[:17]) != number[17]:
        raise IdNumberError("invalid_checksum")
    return number


def resident_id_birth_date(number: str) -> datetime.date:
    return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def normalize_uscc(value: str, *, allow_bad_checksum: bool = False) -> str:
    """Return the compact upper-case code or raise IdNumberError.

    ``allow_bad_checksum`` is for codes really issued before GB 32100 that fail its checksum; only an
    operator recording a reason may pass it (see ``enterprise_register``).
    """
    code = _compact(value)
    try:
        return str(stdnum_uscc.validate(code))
    except stdnum_errors.InvalidLength as exc:
        raise IdNumberError("invalid_length") from exc
    except stdnum_errors.InvalidChecksum as exc:
        if allow_bad_checksum:
            return code
        raise IdNumberError("invalid_checksum") from exc
    except stdnum_errors.InvalidFormat as exc:
        raise IdNumberError("invalid_format") from exc
    except stdnum_errors.ValidationError as exc:
        raise IdNumberError("invalid_component") from exc


def check(value: str, *, today: datetime.date | None = None) -> CheckResult:
    """Guess the kind from the shape, then validate: what ``tongban ids check`` prints."""
    compact = _compact(value)
    if len(compact) == 15:
        kind: Literal["resident_id", "uscc", "unknown"] = "resident_id"
    elif len(compact) == 18:
        looks_resident = compact[:17].isdigit() and compact[17] in "0123456789X" and compact[:2] in _PROVINCES
        kind = "resident_id" if looks_resident else "uscc"
    else:
        return CheckResult("unknown", False, None, "invalid_length")
    try:
        normalized = normalize_resident_id(compact, today=today) if kind == "resident_id" else normalize_uscc(compact)
    except IdNumberError as exc:
        if kind == "resident_id":
            # Many credit codes are all digits and some start like a province; try that reading too.
            try:
                return CheckResult("uscc", True, normalize_uscc(compact), None)
            except IdNumberError:
                pass
        return CheckResult(kind, False, None, exc.code)
    return CheckResult(kind, True, normalized, None)


def mask_resident_id(number: str) -> str:
    """``110105194912310021`` → ``1101**********0021``."""
    if len(number) < 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_phone(phone: str) -> str:
    """``13812345678`` → ``138****5678``."""
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def normalize_phone(value: str) -> str:
    """A mainland mobile number: 11 digits starting 1[3-9]; ``+86``/spaces/dashes are dropped."""
    digits = "".join(ch for ch in value if ch.isdigit() or ch == "+")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if len(digits) != 11 or not digits.isdigit() or digits[0] != "1" or digits[1] not in "3456789":
        raise IdNumberError("invalid_format")
    return digits
