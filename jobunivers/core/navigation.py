"""Navigation entries per role. Apps register entries in their own navigation.py.

    from jobunivers.core.navigation import NavItem, register
    register(NavItem(url_name="citizens:plan", label=_("My plan"), roles={"citizen"}, order=20))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Any  # str or a lazy translation
    roles: frozenset[str] | set[str] = field(default_factory=frozenset)
    order: int = 100
    module: str | None = None  # a MunicipalitySettings module that must be enabled


_items: list[NavItem] = []


def register(item: NavItem) -> None:
    if any(existing.url_name == item.url_name and existing.roles == item.roles for existing in _items):
        return
    _items.append(item)


def items_for(role: str | None, enabled_modules: set[str] | None = None) -> list[dict[str, str]]:
    if role is None:
        return []
    result = []
    for item in sorted(_items, key=lambda i: (i.order, str(i.label))):
        if role not in item.roles:
            continue
        if item.module and enabled_modules is not None and item.module not in enabled_modules:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        result.append({"url": url, "label": str(item.label), "url_name": item.url_name})
    return result
