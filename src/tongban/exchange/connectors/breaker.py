"""A circuit breaker per provider endpoint, shared by the threads of one process.

After ``failures`` consecutive failures the circuit opens: calls fail at once (no waiting on a dead
system, so my page stays fast) until ``cooldown`` has passed; then one trial call is let through
(half-open). Its success closes the circuit, its failure opens it again for another cooldown.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.conf import settings


@dataclass
class _State:
    failures: int = 0
    opened_at: float | None = None
    trial_running: bool = False


class CircuitBreaker:
    def __init__(self, *, failures: int, cooldown_s: float) -> None:
        self.threshold = failures
        self.cooldown_s = cooldown_s
        self._states: dict[str, _State] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        with self._lock:
            state = self._states.setdefault(key, _State())
            if state.opened_at is None:
                return True
            if time.monotonic() - state.opened_at < self.cooldown_s or state.trial_running:
                return False
            state.trial_running = True  # half-open: exactly one trial call
            return True

    def success(self, key: str) -> None:
        with self._lock:
            self._states[key] = _State()

    def failure(self, key: str) -> None:
        with self._lock:
            state = self._states.setdefault(key, _State())
            state.failures += 1
            state.trial_running = False
            if state.failures >= self.threshold:
                state.opened_at = time.monotonic()

    def is_open(self, key: str) -> bool:
        with self._lock:
            state = self._states.get(key)
            return state is not None and state.opened_at is not None

    def reset(self) -> None:
        with self._lock:
            self._states.clear()


_default: CircuitBreaker | None = None
_default_lock = threading.Lock()


def default_breaker() -> CircuitBreaker:
    """The process-wide breaker (one state per provider endpoint), sized from settings."""
    global _default
    with _default_lock:
        if _default is None:
            _default = CircuitBreaker(
                failures=settings.EXCHANGE_BREAKER_FAILURES, cooldown_s=settings.EXCHANGE_BREAKER_COOLDOWN_SECONDS
            )
        return _default
