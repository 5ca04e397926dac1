"""Slots on the citizen's start page that later apps fill without this app importing them.

A higher app (matching, notifications, dialogue) registers a slot, typically from its AppConfig.ready():

    from jobunivers.citizens.registry import HomeSlot, register_home_slot

    register_home_slot(HomeSlot(
        key="recommended_jobs", title=_("Jobs for you"), order=30,
        template_name="matching/_home_recommended.html",
        context=lambda request, citizen: {"jobs": ...},   # return None to hide the slot
    ))

Known keys with a placeholder until an app fills them: "recommended_jobs", "messages".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

PLACEHOLDER_KEYS = ("recommended_jobs", "messages")
LEAD_ORDER = 20  # slots ordered before this come first on the page (the personal diagnosis), the rest last


@dataclass(frozen=True)
class HomeSlot:
    key: str
    title: Any  # str or a lazy translation
    order: int
    template_name: str
    context: Callable[[Any, Any], dict | None]
    simple: bool = True  # also shown on the simpler start page for citizens who asked for more support


_slots: dict[str, HomeSlot] = {}


def register_home_slot(slot: HomeSlot) -> HomeSlot:
    existing = _slots.get(slot.key)
    if existing is not None and existing != slot:
        raise ValueError(f"home slot {slot.key!r} is already registered")
    _slots[slot.key] = slot
    return slot


def unregister_home_slot(key: str) -> None:
    _slots.pop(key, None)


def home_slots() -> list[HomeSlot]:
    return sorted(_slots.values(), key=lambda s: (s.order, s.key))


def render_slots(request, citizen, *, simple: bool) -> list[dict]:
    """The filled slots for this citizen. A slot that fails is left out (and logged), never the page."""
    from .selectors import profiles_read_once

    rendered = []
    with profiles_read_once():  # several slots read the citizen's profile: once per page
        for slot in home_slots():
            if simple and not slot.simple:
                continue
            try:
                context = slot.context(request, citizen)
            except Exception:  # a later app's bug must not take the citizen's start page down
                logger.exception("home slot %s failed", slot.key)
                continue
            if context is None:
                continue
            rendered.append({"key": slot.key, "title": str(slot.title), "template_name": slot.template_name,
                             "context": context, "leads": slot.order < LEAD_ORDER})
    return rendered
