"""What other contexts may use from common. Import nothing else from ``tongban.common``."""

from tongban.common import formschema, pdf
from tongban.common.audit import record_audit
from tongban.common.demo import DemoAccount, DemoLoader, register_demo_generator, register_demo_loader
from tongban.common.errors import Conflict, DomainError, NotFound, PermissionDenied, error_payload
from tongban.common.health import health_report
from tongban.common.logging import log_event, redact
from tongban.common.memory import ProcessMemory, forget_everything_remembered
from tongban.common.notifications import mark_read, notify
from tongban.common.rows import insert_rows, kept_cursor, shaped_value_rows, value_rows

__all__ = [
    "Conflict",
    "DemoAccount",
    "DemoLoader",
    "DomainError",
    "NotFound",
    "PermissionDenied",
    "ProcessMemory",
    "error_payload",
    "forget_everything_remembered",
    "formschema",
    "health_report",
    "insert_rows",
    "kept_cursor",
    "log_event",
    "mark_read",
    "notify",
    "pdf",
    "record_audit",
    "redact",
    "register_demo_generator",
    "register_demo_loader",
    "shaped_value_rows",
    "value_rows",
]
