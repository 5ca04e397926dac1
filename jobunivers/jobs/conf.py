"""Deployment settings of the jobs app, from Django settings or the environment (see .env.example)."""

import os

from django.conf import settings


def _setting(name: str, default: str) -> str:
    return getattr(settings, name, None) or os.environ.get(name) or default


def map_tile_url() -> str:
    """The tile URL template; the same setting makes the content security policy (config/settings/base.py)."""
    return settings.JOBS_MAP_TILE_URL


def map_attribution() -> str:
    return settings.JOBS_MAP_ATTRIBUTION


def feeds() -> str:
    return _setting("JOBS_FEEDS", "")


def feed_timeout() -> float:
    return float(_setting("JOBS_FEED_TIMEOUT", "30"))
