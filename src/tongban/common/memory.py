"""What a process remembers between requests: small maps of facts that a row or a signature settles for good
(where a version's snapshot row is, what a verified session text holds, a published item version).

Each map has a size limit and is emptied whole when full: a fact forgotten is read again, never wrong. Every
map registers itself, so a test run can make each process forget everything at once
(:func:`forget_everything_remembered`), as each test starts with a fresh database.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_memories: list[ProcessMemory[object, object]] = []


class ProcessMemory(Generic[K, V]):
    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._facts: dict[K, V] = {}
        _memories.append(self)  # type: ignore[arg-type]  # registered for forgetting only

    def get(self, key: K) -> V | None:
        return self._facts.get(key)

    def remember(self, key: K, value: V) -> None:
        if len(self._facts) >= self._limit:
            self._facts.clear()
        self._facts[key] = value

    def forget(self, *_signal_args: object, **_signal_kwargs: object) -> None:
        """Forget everything (also usable as a signal receiver)."""
        self._facts.clear()

    def __len__(self) -> int:
        return len(self._facts)


def forget_everything_remembered() -> None:
    for memory in _memories:
        memory.forget()
