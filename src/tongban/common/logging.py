"""Structured logging: an event name plus ids, a request id on every line, and no personal data.

Write ``log_event(logger, "case_submitted", case_id=case.pk)``. Never pass names, ID numbers or phone
numbers; as a last line of defence :class:`PersonalDataRedactionFilter` masks anything shaped like a
resident ID number or a mainland mobile number before a line is written.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# 15- or 18-character resident IDs (last may be X) and 11-digit mainland mobiles starting with 1[3-9].
# Bounded by non-digits only: "ID110105…" or "…1234abc" must not slip through.
_ID_NUMBER = re.compile(r"(?<!\d)(\d{6})\d{8,11}([0-9Xx])(?!\d)")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def redact(text: str) -> str:
    text = _ID_NUMBER.sub(lambda m: f"{m.group(1)}********{m.group(2)}", text)
    return _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)


def log_event(logger: logging.Logger, event: str, level: int = logging.INFO, **fields: object) -> None:
    """Log ``event`` with key/value ``fields`` (ids and counts only)."""
    logger.log(level, event, extra={"event": event, "fields": fields})


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class PersonalDataRedactionFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg, record.args = redact(message), None
        event = getattr(record, "event", None)
        if isinstance(event, str):
            record.event = redact(event)
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            record.fields = {key: redact(str(value)) for key, value in fields.items()}
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def _fields(record: logging.LogRecord) -> dict[str, object]:
    fields = getattr(record, "fields", None)
    return dict(fields) if isinstance(fields, dict) else {}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": getattr(record, "event", record.getMessage()),
            "request_id": getattr(record, "request_id", "-"),
        }
        if not hasattr(record, "event"):
            payload["message"] = record.getMessage()
        payload.update(_fields(record))
        if record.exc_text:
            payload["exception"] = record.exc_text
        return json.dumps(payload, ensure_ascii=False, default=str)


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        stamp = datetime.fromtimestamp(record.created, tz=UTC).strftime("%H:%M:%S")
        parts = [stamp, record.levelname.lower(), record.name, getattr(record, "event", record.getMessage())]
        parts += [f"{key}={value}" for key, value in _fields(record).items()]
        parts.append(f"request_id={getattr(record, 'request_id', '-')}")
        line = " ".join(str(part) for part in parts)
        return f"{line}\n{record.exc_text}" if record.exc_text else line


# --- finding personal data in written logs (the test run's log is checked with this) -----------------------
_ID18 = re.compile(r"(?<!\d)(\d{17}[\dXx])(?!\d)")
_ID15 = re.compile(r"(?<!\d)(\d{15})(?!\d)")
_PHONE = re.compile(r"(?<!\d)(1[3-9]\d{9})(?!\d)")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _id18_checksum_ok(value: str) -> bool:
    total = sum(int(digit) * weight for digit, weight in zip(value[:17], _ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == value[17].upper()


def _id15_plausible(value: str) -> bool:
    """A first-generation number: 6-digit area, a real 19YYMMDD birth date, 3-digit sequence."""
    try:
        date(1900 + int(value[6:8]), int(value[8:10]), int(value[10:12]))
    except ValueError:
        return False
    return True


_WORD = re.compile(r"[0-9A-Za-z]+")
_HEX_TOKEN = re.compile(r"[0-9a-f]{20,}|[0-9A-F]{20,}")


def _inside_hex_token(text: str, start: int, end: int) -> bool:
    """Request ids, hashes and tokens are long hexadecimal words; their digit runs are not numbers."""
    for word in _WORD.finditer(text, max(0, start - 64), min(len(text), end + 64)):
        if word.start() <= start and end <= word.end():
            return bool(_HEX_TOKEN.fullmatch(word.group())) and not word.group().isdigit()
    return False


def personal_data_spans(text: str) -> list[tuple[int, int, str]]:
    """Where ``text`` holds a full resident ID number (18 characters with a valid GB 11643 checksum, or a
    15-digit first-generation number with a real birth date) or a mainland mobile number (``1[3-9]`` + 9
    digits, not part of a longer digit run): ``(start, end, kind)`` for each. Digit runs inside a long
    hexadecimal word (a request id, a hash) are not counted; any other neighbour ("ID110105…") does not hide one."""
    spans = [(m.start(1), m.end(1), "resident_id") for m in _ID18.finditer(text) if _id18_checksum_ok(m.group(1))]
    spans += [(m.start(1), m.end(1), "resident_id") for m in _ID15.finditer(text) if _id15_plausible(m.group(1))]
    spans += [(m.start(1), m.end(1), "mobile") for m in _PHONE.finditer(text)]
    return sorted(span for span in spans if not _inside_hex_token(text, span[0], span[1]))


def mask_spans(text: str, spans: list[tuple[int, int, str]]) -> str:
    """``text`` with every span masked but its first three and last two characters."""
    out, last = [], 0
    for start, end, _kind in spans:
        if start < last:
            continue
        out += [text[last:start], text[start : start + 3], "*" * (end - start - 5), text[end - 2 : end]]
        last = end
    out.append(text[last:])
    return "".join(out)


def find_personal_data(lines: Iterable[str]) -> list[tuple[int, str, str]]:
    """Scan log ``lines``: ``(line number, kinds found, the line masked)`` for every line that leaks."""
    found = []
    for number, line in enumerate(lines, start=1):
        spans = personal_data_spans(line)
        if spans:
            kinds = ",".join(sorted({kind for _s, _e, kind in spans}))
            found.append((number, kinds, mask_spans(line.rstrip("\n"), spans)))
    return found
