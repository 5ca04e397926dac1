"""Helpers for tests in every app: URLs under a municipality, signed-in clients, leak cases."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.test import Client


def murl(municipality, name: str, **kwargs: Any) -> str:
    """URL of a named view under a municipality's prefix."""
    from jobunivers.tenancy.routing import municipal_reverse

    return municipal_reverse(municipality.slug, name, kwargs=kwargs or None)


def nurl(name: str, **kwargs: Any) -> str:
    """URL of a national (unprefixed) view."""
    from jobunivers.tenancy.routing import national_reverse

    return national_reverse(name, kwargs=kwargs or None)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@dataclass(frozen=True)
class LeakCase:
    """A URL that shows one object of a municipality.

    `build(world)` creates the object in world.other (municipality B) and
    returns the URL kwargs. Every member of world.home (A), whatever their
    role, must get 404 for it under A's prefix.
    """

    url_name: str
    build: Callable[[Any], dict[str, Any]]
    method: str = "get"
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ListLeakCase:
    """A URL that lists a municipality's objects: `build(world)` puts a marker text into B's data
    and returns it (with URL kwargs, if any); no member of A may see it under A's prefix."""

    url_name: str
    build: Callable[[Any], tuple[str, dict[str, Any]]]
