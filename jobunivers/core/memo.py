"""A bounded, thread-safe memo in process memory: the least recently used entry goes first when it is full.

The per-process caches that rebuild from the database when a version moves (the marketplace's catalogue
snapshots, the employers' occupation histories) keep their entries here, so the locking and the bound are
written once. Whether an entry is still fresh is the caller's question: `get` returns what is stored."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from typing import Generic, TypeVar

V = TypeVar("V")


class BoundedMemo(Generic[V]):
    def __init__(self, max_entries: int | Callable[[], int]):
        self._max_entries = max_entries
        self._entries: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def _limit(self) -> int:
        limit = self._max_entries() if callable(self._max_entries) else self._max_entries
        return max(1, int(limit))

    def get(self, key: Hashable) -> V | None:
        """The stored value, marked as just used; None when there is none."""
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: Hashable, value: V) -> V:
        """Store the value as the most recently used; the least recently used go while over the bound."""
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            limit = self._limit()
            while len(self._entries) > limit:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __iter__(self) -> Iterator[Hashable]:
        """The keys, least recently used first (a copy)."""
        with self._lock:
            return iter(list(self._entries))

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
