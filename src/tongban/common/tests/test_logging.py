import json
import logging
import sys

from hypothesis import given
from hypothesis import strategies as st

from tongban.common.logging import (
    JsonFormatter,
    KeyValueFormatter,
    PersonalDataRedactionFilter,
    log_event,
    redact,
)


def _record(message: str, **fields: object) -> logging.LogRecord:
    record = logging.LogRecord("t", logging.INFO, __file__, 1, message, None, None)
    record.event = message
    record.fields = fields
    record.request_id = "req-12345678"
    return record


def test_redacts_resident_id_numbers_and_mobiles():
    text = "id 11010519491231002X and 110105491231002 phone 13812345678, code 12345"
    masked = redact(text)
    assert "11010519491231002X" not in masked and "110105491231002" not in masked
    assert "13812345678" not in masked
    assert "110105********X" in masked and "138****5678" in masked
    assert "12345" in masked  # short numbers are not personal data


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_every_mobile_number_is_masked(phone: str) -> None:
    assert phone not in redact(f"sms to {phone} sent")


def test_filter_masks_message_fields_and_exceptions():
    record = _record("lookup 110105194912310021", phone="13900001111", case_id=7)
    try:
        raise ValueError("bad id 110105194912310021")
    except ValueError:
        record.exc_info = sys.exc_info()
    PersonalDataRedactionFilter().filter(record)
    line = JsonFormatter().format(record)
    assert "110105194912310021" not in line and "13900001111" not in line
    payload = json.loads(line)
    assert payload["case_id"] == "7" and payload["request_id"] == "req-12345678"


def test_key_value_format_is_event_then_fields(caplog):
    logger = logging.getLogger("tongban.test")
    with caplog.at_level(logging.INFO, logger="tongban.test"):
        log_event(logger, "case_submitted", case_id=42)
    record = caplog.records[-1]
    record.request_id = "abc12345"
    line = KeyValueFormatter().format(record)
    assert "case_submitted case_id=42 request_id=abc12345" in line
