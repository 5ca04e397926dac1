"""Navigation entries per role. Apps register entries in their own navigation.py.

    from jobunivers.core.navigation import NavItem, register
    register(NavItem(url_name="citizens:plan", label=_("My plan"), roles={"citizen"}, order=20))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

from .memo import BoundedMemo


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Any  # str or a lazy translation
    roles: frozenset[str] | set[str] = field(default_factory=frozenset)
    order: int = 100
    module: str | None = None  # a MunicipalitySettings module that must be enabled


_items: list[NavItem] = []
# Every page's menu, per role, enabled modules, language and municipality (the script prefix): sorting by
# translated label and reversing each entry cost about 2 ms a page. The key is bounded by roles x
# municipalities x languages, not by input; the number of entries registered is part of it.
_menus: BoundedMemo[tuple[dict[str, str], ...]] = BoundedMemo(1024)


def register(item: NavItem) -> None:
    if any(existing.url_name == item.url_name and existing.roles == item.roles for existing in _items):
        return
    _items.append(item)


def items_for(role: str | None, enabled_modules: set[str] | None = None) -> list[dict[str, str]]:
    """The menu entries of a role, in order (read-only dicts: shared between requests)."""
    if role is None:
        return []
    key = (role, frozenset(enabled_modules) if enabled_modules is not None else None, get_language(),
           get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF, len(_items))
    menu = _menus.get(key)
    if menu is None:
        menu = _menus.put(key, tuple(_build(role, enabled_modules)))
    return list(menu)


def _build(role: str, enabled_modules: set[str] | None) -> list[dict[str, str]]:
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
