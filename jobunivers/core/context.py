"""The tenant context: which municipality the current request or task acts for.

Set by tenancy.middleware for requests and by `tenant_context()` in tasks and
commands. Tenant-owned models refuse to query without it (fail closed).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_current_municipality_id: ContextVar[int | None] = ContextVar("current_municipality_id", default=None)


class TenantContextMissing(RuntimeError):
    """A tenant-owned model was queried with no municipality in context."""


def current_municipality_id() -> int | None:
    return _current_municipality_id.get()


def require_municipality_id() -> int:
    municipality_id = _current_municipality_id.get()
    if municipality_id is None:
        raise TenantContextMissing(
            "No municipality in context. Use tenant_context(municipality) or the model's all_tenants manager."
        )
    return municipality_id


@contextmanager
def tenant_context(municipality: Any) -> Iterator[None]:
    """Run the block as `municipality` (a Municipality, its id, or None to clear)."""
    municipality_id = getattr(municipality, "pk", municipality)
    token = _current_municipality_id.set(municipality_id)
    try:
        yield
    finally:
        _current_municipality_id.reset(token)
