"""Video meeting links come from a provider plug-in (contrib/<provider>/), chosen per municipality
in BookingSettings.video_provider. A provider turns a booking into a link; it never calls out
during a booking, so a provider that is down cannot make booking fail."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Protocol

from jobunivers.core.registry import Registry


class VideoProvider(Protocol):
    #: True when staff paste the link themselves (no link is made when the citizen books).
    pasted: bool

    def link_for(self, *, booking_uid: str, pasted_link: str = "") -> str: ...


providers: Registry[type[VideoProvider]] = Registry("video provider")


def load_contrib() -> None:
    from . import contrib

    for module in pkgutil.iter_modules(contrib.__path__):
        importlib.import_module(f"{contrib.__name__}.{module.name}")


def provider(name: str) -> VideoProvider:
    return providers.get(name if name in providers else "room")()
