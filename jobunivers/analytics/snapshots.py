"""The results dashboard as a stored snapshot (ADR 0155): computed by `dashboard_compute` (the same
monitoring figures, track counts and service counts the page used to aggregate on every request), stored
as JSON in `DashboardSnapshot` by `snapshot_store`, read back by `dashboard_from_snapshot`.

The JSON layout is versioned (`FORMAT_VERSION`): a row of another version is never turned into figures
(`from_dict` raises `UnknownFormat`), so the page computes a new snapshot instead of showing wrong numbers.
Bump the version whenever `to_dict` changes.

Aggregates only: counts and shares of the municipality, service labels, track names. The small-cell rule
(counts from 1 to 4 shown as "fewer than 5") is applied where the figures are shown, exactly as before;
the snapshot keeps the counts so the page shows what the live computation would.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from .exposures import ServiceCount
from .models import DashboardSnapshot
from .monitoring import MunicipalityFigures, OutcomeFigures, Share

FORMAT_VERSION = 1
KEEP = 3  # snapshots kept per municipality: the newest, and two before it to compare when a figure jumps


class UnknownFormat(ValueError):
    """A stored snapshot written in a layout this code does not know."""


@dataclass(frozen=True)
class Dashboard:
    """Everything the dashboard page shows, as of `computed_at` (the figures count from `today`)."""

    figures: MunicipalityFigures
    tracks: list[tuple[str, int]]     # (track name, citizens by their newest decision), largest first
    undecided: int                    # citizens with no decided track
    services: list[ServiceCount]      # citizens per service and its rating, by label
    today: datetime.date
    computed_at: datetime.datetime


def dashboard_compute(*, municipality_id: int, today: datetime.date | None = None) -> Dashboard:
    """The live computation: a handful of grouped queries (monitoring.figures, the track counts, the
    exposure registry's service counts). Service labels are computed in the site's language (Danish) so a
    snapshot does not depend on who triggered it; the page translates the fixed labels again
    (exposures.service_label)."""
    from jobunivers.segmentation.selectors import decided_track_counts

    from .exposures import service_counts
    from .monitoring import figures

    computed_at = timezone.now()
    today = today or timezone.localdate(computed_at)
    found = figures(today=today, municipality_ids=[municipality_id])[municipality_id]
    tracks = decided_track_counts(municipality_ids=[municipality_id]).get(municipality_id, [])
    with translation.override(settings.LANGUAGE_CODE):
        services = service_counts(municipality_id)
    return Dashboard(figures=found, tracks=list(tracks),
                     undecided=max(found.citizens - sum(n for _track, n in tracks), 0),
                     services=services, today=today, computed_at=computed_at)


def to_dict(dashboard: Dashboard) -> dict:
    """The JSON layout of FORMAT_VERSION 1 (computed_at and the municipality are columns of the row)."""
    found, outcomes = dashboard.figures, dashboard.figures.outcomes
    return {
        "today": dashboard.today.isoformat(),
        "citizens": found.citizens, "bookings": found.bookings, "held": found.held, "threads": found.threads,
        "outcomes": {"spells": outcomes.spells, "jobs": outcomes.jobs, "reported_jobs": outcomes.reported_jobs,
                     "median_weeks": outcomes.median_weeks,
                     "shares": [[s.months, s.eligible, s.in_job] for s in outcomes.shares.values()]},
        "tracks": [[name, n] for name, n in dashboard.tracks],
        "undecided": dashboard.undecided,
        "services": [{"key": s.key, "label": s.label, "citizens": s.citizens, "rating": s.rating,
                      "ratings": s.ratings, "rating_source": s.rating_source} for s in dashboard.services],
    }


def from_dict(data: dict, *, format_version: int, municipality_id: int,
              computed_at: datetime.datetime) -> Dashboard:
    if format_version != FORMAT_VERSION:
        raise UnknownFormat(f"dashboard snapshot format {format_version}, this code reads {FORMAT_VERSION}")
    try:
        raw = data["outcomes"]
        outcomes = OutcomeFigures(spells=raw["spells"], jobs=raw["jobs"], reported_jobs=raw["reported_jobs"],
                                  median_weeks=raw["median_weeks"],
                                  shares={m: Share(m, eligible, in_job) for m, eligible, in_job in raw["shares"]})
        found = MunicipalityFigures(municipality_id=municipality_id, citizens=data["citizens"], outcomes=outcomes,
                                    bookings=data["bookings"], held=data["held"], threads=data["threads"])
        return Dashboard(figures=found, tracks=[(name, n) for name, n in data["tracks"]], undecided=data["undecided"],
                         services=[ServiceCount(**service) for service in data["services"]],
                         today=datetime.date.fromisoformat(data["today"]), computed_at=computed_at)
    except (KeyError, TypeError, ValueError) as error:
        raise UnknownFormat(f"dashboard snapshot does not match format {FORMAT_VERSION}: {error!r}") from error


def latest_snapshot(municipality_id: int) -> DashboardSnapshot | None:
    return (DashboardSnapshot.all_tenants.filter(municipality_id=municipality_id)
            .order_by("-computed_at", "-id").first())


def stored_figures(*, today: datetime.date) -> dict[int, MunicipalityFigures]:
    """Each municipality's figures from its newest snapshot computed on `today`, for the national comparison and
    the open data (so they agree with the dashboards; beat refreshes them every 15 minutes). A municipality with
    no such snapshot, or only one of an unknown format, is left out: the caller computes it. One query over at
    most KEEP rows per municipality."""
    found: dict[int, MunicipalityFigures] = {}
    for snapshot in (DashboardSnapshot.all_tenants.filter(computed_on=today)
                     .order_by("municipality_id", "-computed_at", "-id")):
        if snapshot.municipality_id in found:
            continue
        dashboard = dashboard_from_snapshot(snapshot)
        if dashboard is not None:
            found[snapshot.municipality_id] = dashboard.figures
    return found


def dashboard_from_snapshot(snapshot: DashboardSnapshot | None) -> Dashboard | None:
    """The snapshot's figures, or None when there is none or it is of an unknown format."""
    if snapshot is None:
        return None
    try:
        return from_dict(snapshot.figures, format_version=snapshot.format_version,
                         municipality_id=snapshot.municipality_id, computed_at=snapshot.computed_at)
    except UnknownFormat:
        return None


def snapshot_store(*, municipality_id: int, today: datetime.date | None = None) -> DashboardSnapshot:
    """Compute the figures and store them; in one transaction the new row is written and all but the newest
    KEEP of the municipality are deleted (retention). The computation runs before the transaction, so no
    write lock is held while it reads."""
    started = time.perf_counter()
    dashboard = dashboard_compute(municipality_id=municipality_id, today=today)
    duration_ms = round(1000 * (time.perf_counter() - started))
    with transaction.atomic():
        snapshot = DashboardSnapshot.all_tenants.create(
            municipality_id=municipality_id, computed_at=dashboard.computed_at, computed_on=dashboard.today,
            format_version=FORMAT_VERSION, figures=to_dict(dashboard), duration_ms=duration_ms)
        older = list(DashboardSnapshot.all_tenants.filter(municipality_id=municipality_id)
                     .order_by("-computed_at", "-id").values_list("pk", flat=True)[KEEP:])
        if older:
            DashboardSnapshot.all_tenants.filter(pk__in=older).delete()
    return snapshot
