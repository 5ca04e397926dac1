"""Warm a new web worker before it takes requests (config/gunicorn.py's post_worker_init).

Some reads are built once per process and kept in memory: the jobs catalogue and the search's
vocabulary (about 1.5 s on 50,000 postings), the employers' publication history (about 0.4 s).
Without a warm-up the first requests a worker takes after a deploy or restart pay for them, and the
requests queued behind them in the same process wait as long. Apps register what to build here in
their AppConfig.ready(); a warmer that fails is logged and skipped (the first request then builds
it, as before), so a worker always starts.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from .registry import Registry

logger = logging.getLogger(__name__)

warmers: Registry[Callable[[], object]] = Registry("worker warm-up")


def register(name: str, warm: Callable[[], object]) -> None:
    warmers.register(name)(warm)


def warm_worker() -> dict[str, float | None]:
    """Run every registered warmer; per warmer the seconds it took, or None when it failed."""
    took: dict[str, float | None] = {}
    for name, warm in warmers:
        started = time.perf_counter()
        try:
            warm()
        except Exception:  # a warmer never keeps a worker from starting
            logger.exception("worker warm-up %s failed; the first request that needs it builds it", name)
            took[name] = None
            continue
        took[name] = round(time.perf_counter() - started, 3)
    logger.info("worker warmed up: %s", took)
    return took
