"""Reads about municipalities, themes, settings and memberships."""

from __future__ import annotations

import time

from django.db.models import QuerySet

from jobunivers.core.errors import NotFound

from .models import Membership, Municipality, MunicipalitySettings, Theme
from .roles import STAFF_ROLES, Role

_SLUG_CACHE_SECONDS = 30.0
_slug_cache: dict[str, tuple[float, int | None]] = {}


def municipality_id_for_slug(slug: str) -> int | None:
    """Resolve a URL prefix to a municipality id, memoised briefly per process."""
    now = time.monotonic()
    hit = _slug_cache.get(slug)
    if hit is not None and now - hit[0] < _SLUG_CACHE_SECONDS:
        return hit[1]
    municipality_id = Municipality.objects.filter(slug=slug).values_list("id", flat=True).first()
    _slug_cache[slug] = (now, municipality_id)
    return municipality_id


_choices_cache: list[tuple[float, list[tuple[str, str]]]] = []


def municipality_choices() -> list[tuple[str, str]]:
    """(code, name) of every municipality, by name: the job search's filter on every search,
    memoised briefly per process like the slug look-up (and cleared with it)."""
    now = time.monotonic()
    if _choices_cache and now - _choices_cache[0][0] < _SLUG_CACHE_SECONDS:
        return _choices_cache[0][1]
    choices = list(Municipality.objects.order_by("name").values_list("code", "name"))
    _choices_cache[:] = [(now, choices)]
    return choices


def clear_slug_cache() -> None:
    """Forget the memoised slugs and municipality choices (after a municipality changes)."""
    _slug_cache.clear()
    _choices_cache.clear()


def get_municipality(*, municipality_id: int) -> Municipality:
    try:
        return Municipality.objects.select_related("theme", "settings").get(pk=municipality_id)
    except Municipality.DoesNotExist:
        raise NotFound from None


def get_municipality_by_code(*, code: str) -> Municipality:
    try:
        return Municipality.objects.get(code=code)
    except Municipality.DoesNotExist:
        raise NotFound from None


def active_municipalities() -> QuerySet[Municipality]:
    return Municipality.objects.filter(is_active=True).select_related("theme").order_by("name")


def theme_for(municipality: Municipality) -> Theme:
    theme = getattr(municipality, "theme", None)
    if theme is None:
        theme, _ = Theme.objects.get_or_create(
            municipality=municipality, defaults={"display_name": f"Jobcenter {municipality.name}"}
        )
    return theme


def settings_for(municipality: Municipality | int) -> MunicipalitySettings:
    municipality_id: int = municipality.pk if isinstance(municipality, Municipality) else municipality
    settings, _ = MunicipalitySettings.objects.get_or_create(municipality_id=municipality_id)
    return settings


def memberships_of(user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, is_active=True).select_related("municipality")


def membership_for(user, municipality_id: int | None) -> Membership | None:
    """The membership that applies to a request: the municipal one for a municipality page, else national."""
    if not getattr(user, "is_authenticated", False):
        return None
    memberships = list(memberships_of(user))
    if municipality_id is not None:
        for membership in memberships:
            if membership.municipality_id == municipality_id:
                return membership
        return None
    for membership in memberships:
        if membership.municipality_id is None:
            return membership
    return memberships[0] if memberships else None


def staff_of(*, municipality_id: int, roles: frozenset[str] | set[str] = STAFF_ROLES) -> QuerySet[Membership]:
    return Membership.objects.filter(
        municipality_id=municipality_id, role__in=list(roles), is_active=True
    ).select_related("user")


def consultants_of(*, municipality_id: int) -> QuerySet[Membership]:
    return staff_of(municipality_id=municipality_id, roles={Role.PERSONAL_CONSULTANT})
