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
from datetime import UTC, datetime
from typing import Any

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# 15- or 18-character resident IDs (last may be X) and 11-digit mainland mobiles starting with 1[3-9].
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8,11}([0-9Xx])(?![0-9A-Za-z])")
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
