"""Deployment settings of the jobs app, from Django settings or the environment (see .env.example)."""

import os

from django.conf import settings

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'


def _setting(name: str, default: str) -> str:
    return getattr(settings, name, None) or os.environ.get(name) or default


def map_tile_url() -> str:
    return _setting("JOBS_MAP_TILE_URL", OSM_TILES)


def map_attribution() -> str:
    return _setting("JOBS_MAP_ATTRIBUTION", OSM_ATTRIBUTION)


def feeds() -> str:
    return _setting("JOBS_FEEDS", "")


def feed_timeout() -> float:
    return float(_setting("JOBS_FEED_TIMEOUT", "30"))
