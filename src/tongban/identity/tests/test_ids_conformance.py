"""Every row of the shared conformance vectors behaves as its ``expected`` column says."""

import csv
import datetime
import json

import pytest
from django.conf import settings
from django.core.management import call_command

from tongban.identity.ids import IdNumberError, check, normalize_resident_id, normalize_uscc

TODAY = datetime.date(2026, 11, 22)
_ERRORS = {
    "InvalidLength": "invalid_length",
    "InvalidFormat": "invalid_format",
    "InvalidChecksum": "invalid_checksum",
    "InvalidComponent": "invalid_component",
}


def _rows(name):
    with (settings.SHARED_DATA_DIR / "conformance" / name).open(encoding="utf-8") as handle:
        return [pytest.param(row, id=row["value"]) for row in csv.DictReader(handle)]


@pytest.mark.parametrize("row", _rows("cn_resident_id_vectors.csv"))
def test_resident_id_vector(row):
    expected = row["expected"]
    # valid_checksum_only: only a region-history lookup rejects it, which we deliberately do not do.
    # invalid_library_specific: checksum and date are sound; no GB 11643 rule rejects it, so we accept.
    if expected in {"valid", "valid_checksum_only", "invalid_library_specific"}:
        normalized = normalize_resident_id(row["value"], today=TODAY)
        assert len(normalized) == 18
        if "normalizes to" in row["expected_error"]:
            assert normalized == row["expected_error"].split()[-1]
        assert check(row["value"], today=TODAY).as_dict()["valid"] is True
    else:
        assert expected == "invalid"
        with pytest.raises(IdNumberError) as error:
            normalize_resident_id(row["value"], today=TODAY)
        allowed = {_ERRORS[row["expected_error"]]}
        if row["checksum_ok_mod11_2"] == "False":
            allowed.add("invalid_checksum")  # e.g. 111111…: a bad area code and a bad checksum; either is right
        assert error.value.code in allowed


@pytest.mark.parametrize("row", _rows("cn_uscc_vectors.csv"))
def test_uscc_vector(row):
    expected = row["expected"]
    if expected in {"valid", "valid_after_uppercase"}:
        normalized = normalize_uscc(row["value"])
        if "normalizes to" in row["expected_error"]:
            assert normalized == row["expected_error"].split()[-1]
    elif expected == "invalid_checksum_but_real":
        with pytest.raises(IdNumberError) as error:
            normalize_uscc(row["value"])
        assert error.value.code == "invalid_checksum"
        assert normalize_uscc(row["value"], allow_bad_checksum=True) == row["value"]  # operator override
    else:
        assert expected == "invalid"
        with pytest.raises(IdNumberError) as error:
            normalize_uscc(row["value"])
        assert error.value.code == _ERRORS[row["expected_error"]]


def test_fifteen_digit_number_is_converted_and_future_or_ancient_births_refused():
    assert normalize_resident_id("610104620927690", today=TODAY) == "610104196209276908"
    with pytest.raises(IdNumberError):
        normalize_resident_id("110105" + "20991231" + "002", today=TODAY)  # checksum irrelevant: date first
    with pytest.raises(IdNumberError):
        normalize_resident_id("110105" + "18501231" + "0021", today=TODAY)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "44011320141005001x",
            {"kind": "resident_id", "valid": True, "normalized": "44011320141005001X", "error": None},
        ),
        ("91350100M000100Y43", {"kind": "uscc", "valid": True, "normalized": "91350100M000100Y43", "error": None}),
        ("91110000600037341N", {"kind": "uscc", "valid": False, "normalized": None, "error": "invalid_checksum"}),
        (
            "11010519491231001X",
            {"kind": "resident_id", "valid": False, "normalized": None, "error": "invalid_checksum"},
        ),
        ("hello", {"kind": "unknown", "valid": False, "normalized": None, "error": "invalid_length"}),
    ],
)
def test_ids_check_command_prints_json(capsys, value, expected):
    call_command("ids", "check", value, "--json")
    assert json.loads(capsys.readouterr().out) == expected
