"""Registry of demo-data contributors. Each app may have a demo.py that registers one.

Contributors run in `order`, once each (core.DemoDataLoad), with a fixed seed,
inside a transaction. Everything they make is marked as demo data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DemoContributor:
    name: str
    order: int
    run: Callable[..., None]
    # Runs on every `manage.py demo`, not once: for personas that must start afresh each time
    # (the citizen on their first day). It must be idempotent and leave the same state each run.
    every_run: bool = False


_contributors: dict[str, DemoContributor] = {}


def register(name: str, order: int, *, every_run: bool = False) -> Callable[[Callable[..., None]], Callable[..., None]]:
    def decorator(func: Callable[..., None]) -> Callable[..., None]:
        _contributors[name] = DemoContributor(name=name, order=order, run=func, every_run=every_run)
        return func

    return decorator


def contributors() -> list[DemoContributor]:
    return sorted(_contributors.values(), key=lambda c: (c.order, c.name))
