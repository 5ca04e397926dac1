"""Reads about municipalities, themes, settings and memberships."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import QuerySet

from jobunivers.core.errors import NotFound

from .models import Membership, Municipality, MunicipalitySettings, Theme
from .roles import STAFF_ROLES, Role

SLUG_CACHE_SECONDS = 30
_SLUGS_KEY = "tenancy:slugs"
_CHOICES_KEY = "tenancy:municipality-choices"


def _slugs() -> dict[str, int]:
    """Every municipality's slug and id, as one entry of Django's cache (shared by the processes,
    cleared when a municipality changes). One entry whatever the requests ask for: an unknown
    first path segment is looked up in it and remembered nowhere, so anonymous input cannot grow
    any process's memory or the cache."""
    slugs = cache.get(_SLUGS_KEY)
    if slugs is None:
        slugs = dict(Municipality.objects.values_list("slug", "id"))
        cache.set(_SLUGS_KEY, slugs, SLUG_CACHE_SECONDS)
    return slugs


def municipality_id_for_slug(slug: str) -> int | None:
    """Resolve a URL prefix to a municipality id (None for anything else)."""
    return _slugs().get(slug)


def municipality_choices() -> list[tuple[str, str]]:
    """(code, name) of every municipality, by name: the job search's filter on every search,
    memoised briefly in Django's cache like the slugs (and cleared with them)."""
    choices = cache.get(_CHOICES_KEY)
    if choices is None:
        choices = list(Municipality.objects.order_by("name").values_list("code", "name"))
        cache.set(_CHOICES_KEY, choices, SLUG_CACHE_SECONDS)
    return choices


def clear_slug_cache() -> None:
    """Forget the memoised slugs and municipality choices (after a municipality changes)."""
    cache.delete_many([_SLUGS_KEY, _CHOICES_KEY])


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
    """The municipality's theme; an unsaved one with the defaults if it has none (reads never write:
    the row is made when the municipality is created, tenancy.signals)."""
    theme = Theme.objects.filter(municipality_id=municipality.pk).first()
    if theme is None:
        theme = Theme(municipality=municipality, display_name=f"Jobcenter {municipality.name}")
    return theme


def settings_for(municipality: Municipality | int) -> MunicipalitySettings:
    """The municipality's settings; an unsaved row with the defaults if it has none (reads never
    write: the row is made when the municipality is created, tenancy.signals, and
    `services.settings_update` saves an unsaved one)."""
    municipality_id: int = municipality.pk if isinstance(municipality, Municipality) else municipality
    settings = MunicipalitySettings.objects.filter(municipality_id=municipality_id).first()
    return settings if settings is not None else MunicipalitySettings(municipality_id=municipality_id)


RETENTION_FIELDS = ("access_log_retention_days", "feed_retention_days", "interaction_retention_days",
                    "notification_retention_days", "dialogue_retention_days", "track_change_retention_days",
                    "marketplace_retention_days", "feedback_retention_days",
                    "outcome_retention_days")


def retention_days(field: str) -> dict[int, int]:
    """Every municipality's retention period `field` (one of RETENTION_FIELDS), its default where the
    municipality has no settings yet. Reads only."""
    if field not in RETENTION_FIELDS:
        raise ValueError(field)
    default = MunicipalitySettings._meta.get_field(field).default  # type: ignore[union-attr]  # a concrete field
    configured = dict(MunicipalitySettings.objects.values_list("municipality_id", field))
    return {mid: configured.get(mid, default) for mid in Municipality.objects.values_list("id", flat=True)}


@dataclass(frozen=True)
class NoticeSettings:
    """What fan-out needs of every municipality: the score a match must reach and how many job
    notices one citizen may get in 24 hours. `default_*` apply to municipalities without a row."""

    thresholds: dict[int, float]
    caps: dict[int, int]
    default_threshold: float
    default_cap: int

    def threshold_of(self, municipality_id: int) -> float:
        return self.thresholds.get(municipality_id, self.default_threshold)

    def cap_of(self, municipality_id: int) -> int:
        return self.caps.get(municipality_id, self.default_cap)


def notice_settings() -> NoticeSettings:
    """Every municipality's job-notice threshold and per-citizen cap, in one query. Reads only."""
    thresholds: dict[int, float] = {}
    caps: dict[int, int] = {}
    for municipality_id, threshold, cap in MunicipalitySettings.objects.values_list(
            "municipality_id", "match_notification_threshold", "job_notices_per_day"):
        thresholds[municipality_id], caps[municipality_id] = threshold, cap
    field = MunicipalitySettings._meta.get_field
    return NoticeSettings(thresholds=thresholds, caps=caps,
                          default_threshold=field("match_notification_threshold").default,  # type: ignore[union-attr]
                          default_cap=field("job_notices_per_day").default)  # type: ignore[union-attr]


def memberships_of(user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, is_active=True).select_related("municipality")


def membership_for(user, municipality_id: int | None) -> Membership | None:
    """The membership that applies to a request: the municipal one for a municipality page, else national."""
    if not getattr(user, "is_authenticated", False):
        return None
    return membership_among(list(memberships_of(user)), municipality_id)


def membership_among(memberships: list[Membership], municipality_id: int | None) -> Membership | None:
    """membership_for, from the user's active memberships as read already."""
    if municipality_id is not None:
        for membership in memberships:
            if membership.municipality_id == municipality_id:
                return membership
        return None
    for membership in memberships:
        if membership.municipality_id is None:
            return membership
    return memberships[0] if memberships else None


def citizen_user_ids() -> QuerySet:
    """Ids of users with a citizen membership anywhere (a subquery, for the operators' admin)."""
    return Membership.objects.filter(role=Role.CITIZEN).values("user_id")


def active_member_user_ids(*, municipality_id: int) -> QuerySet:
    """Ids of users with an active membership of any role in the municipality (a subquery)."""
    return Membership.objects.filter(municipality_id=municipality_id, is_active=True).values("user_id")


def staff_of(*, municipality_id: int, roles: frozenset[str] | set[str] = STAFF_ROLES) -> QuerySet[Membership]:
    return Membership.objects.filter(
        municipality_id=municipality_id, role__in=list(roles), is_active=True
    ).select_related("user")


def consultants_of(*, municipality_id: int) -> QuerySet[Membership]:
    return staff_of(municipality_id=municipality_id, roles={Role.PERSONAL_CONSULTANT})
