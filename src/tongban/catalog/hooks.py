"""Listeners told which item codes changed (the search index registers one). Called inside the writing
transaction, so a reader never sees the catalog and its index disagree."""

from __future__ import annotations

from collections.abc import Callable

ItemsChanged = Callable[[list[str]], None]
_LISTENERS: list[ItemsChanged] = []


def on_items_changed(listener: ItemsChanged) -> None:
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def items_changed(codes: list[str]) -> None:
    if not codes:
        return
    for listener in _LISTENERS:
        listener(codes)
