"""An experiment's results page, production path (issue 19, "experiment results p95 <= 1 s on both databases at
117,000 citizens"): staff open `journeys:experiment_result` over HTTP through Django's test client, which shows the
stored result (journeys.snapshots, docs/adr/0160); and, reported apart with no goal, the refresh that computes and
stores it (`snapshots.result_refresh`, what the nightly task and "Beregn igen" run): every assigned citizen's
notices, job log, bookings and unemployment spells read, and analytics.experiment_stats run (SRM, intervals,
sequential, Bayesian, Holm, CUPED).

Data: bench_analytics' data set (its own database "analytics", bench_analytics._data(): 117,000 citizens with
register spells of unemployment, bookings, ...), and, made once, a published journey whose step-1 experiment has
two arms (50/50) and a 10 % holdout with every citizen of the municipality assigned a year ago (so the 13- and
26-week outcomes are observable), by journeys' own assignment hash.

Scale: BENCH_ANALYTICS_SCALE (default 1), e.g. 0.01 for a quick check; the data set's slug follows it.
"""

from __future__ import annotations

import datetime
import time

from bench.harness import analyze, bare_baseline, database_label, emit, p95, setup, summary, timed_requests

PAGE_SAMPLES = 300
REFRESHES = 3
GOAL_PAGE_P95_SECONDS = 1.0
BATCH = 5000
ASSIGNED_DAYS_AGO = 365


def _experiment(municipality, slug: str):
    """The published journey's running experiment with every citizen of the municipality assigned (made once)."""
    from django.db import transaction
    from django.utils import timezone

    from jobunivers.accounts.models import User
    from jobunivers.citizens.models import Citizen
    from jobunivers.core.bulk import insert_rows_ignoring_conflicts
    from jobunivers.journeys import services
    from jobunivers.journeys.assignment import arm_for
    from jobunivers.journeys.models import Assignment, Experiment, JourneyVersion
    from jobunivers.segmentation.models import Track
    from jobunivers.segmentation.services import tracks_ensure_defaults
    from jobunivers.tenancy.services import membership_grant

    key = f"{slug}-experiment"
    experiment = Experiment.all_tenants.filter(municipality=municipality, key=key).first()
    if experiment is None:
        admin, created = User.objects.get_or_create(username=f"{slug}-journey-admin", defaults={"password": "!"})
        if created:
            membership_grant(user=admin, role="municipality_admin", municipality=municipality)
        tracks_ensure_defaults(municipality_id=municipality.pk)
        track = Track.all_tenants.filter(municipality=municipality).order_by("support_level").first()
        journey = services.journey_create(actor=admin, municipality_id=municipality.pk, name="Resultatforløb",
                                          why="Benchmark", track_key=track.key)
        version = JourneyVersion.all_tenants.get(journey=journey)
        services.step_save(actor=admin, version=version, data={"kind": "message", "title": "Velkommen",
                                                               "body": "Tekst", "wait_days": 0, "condition": "none"})
        services.experiment_save(actor=admin, version=version, key=key, name="Kort eller lang velkomst",
                                 step_position=1, holdout_percent=10, variants=[
                                     {"key": "a", "name": "Kort", "weight": 50, "title": "Velkommen"},
                                     {"key": "b", "name": "Lang", "weight": 50, "title": "Velkommen til"}])
        services.version_publish(actor=admin, version=version)
        experiment = Experiment.all_tenants.get(municipality=municipality, key=key)
    ids = list(Citizen.all_tenants.filter(municipality=municipality).order_by("id").values_list("id", flat=True))
    if Assignment.all_tenants.filter(experiment=experiment).count() < len(ids):
        assigned_at = timezone.now() - datetime.timedelta(days=ASSIGNED_DAYS_AGO)
        weights = [("a", 50), ("b", 50)]
        for start in range(0, len(ids), BATCH):
            with transaction.atomic():
                insert_rows_ignoring_conflicts(Assignment, [
                    {"municipality_id": municipality.pk, "experiment_id": experiment.pk, "citizen_id": cid,
                     "assigned_at": assigned_at,
                     "arm": arm_for(experiment_key=key, citizen_id=cid, holdout_percent=10, weights=weights)}
                    for cid in ids[start:start + BATCH]])
    return experiment, len(ids)


def _staff_client(municipality, slug: str):
    """A job-journey assistant with a verified second factor, as in bench_analytics."""
    from bench.harness import staff_client
    from jobunivers.accounts.models import User
    from jobunivers.tenancy.services import membership_grant

    staff, created = User.objects.get_or_create(username=f"{slug}-experiment-assistant", defaults={"password": "!"})
    if created:
        membership_grant(user=staff, role="job_journey_assistant", municipality=municipality)
    return staff_client(staff)


def main() -> None:
    from bench.harness import own_database

    own_database("analytics")
    setup()
    from bench import bench_analytics

    municipality = bench_analytics._data()
    experiment, citizens = _experiment(municipality, bench_analytics.SLUG)
    analyze()
    from jobunivers.core.testing import murl
    from jobunivers.journeys import snapshots
    from jobunivers.journeys.models import ResultSnapshot

    # (b) the refresh: compute and store, through the service the task and "Beregn igen" call
    refresh_seconds = []
    for _n in range(REFRESHES):
        started = time.perf_counter()
        outcome = snapshots.result_refresh(experiment_id=experiment.pk)
        refresh_seconds.append(time.perf_counter() - started)
        if outcome != "stored":
            raise AssertionError(f"the refresh did not store a result: {outcome}")
    newest = ResultSnapshot.all_tenants.filter(experiment=experiment).order_by("-computed_at", "-id").first()
    if newest.units != citizens or newest.analysis is None:
        raise AssertionError(f"the stored result counts {newest.units} citizens of {citizens}")
    # (a) the page over HTTP as staff, reading the stored result
    client = _staff_client(municipality, bench_analytics.SLUG)
    base = bare_baseline(client, n=PAGE_SAMPLES)
    page_url = murl(municipality, "journeys:experiment_result", experiment_id=experiment.pk)
    page = client.get(page_url).content.decode()
    if 'data-testid="computed"' not in page or 'data-testid="srm-passed"' not in page:
        raise AssertionError("the results page shows no stored result with a passed split check")
    stored_before = ResultSnapshot.all_tenants.filter(experiment=experiment).count()
    page_times = timed_requests(client, [page_url] * PAGE_SAMPLES, warmup_paths=["/bare/"])
    if ResultSnapshot.all_tenants.filter(experiment=experiment).order_by("-computed_at", "-id").first() != newest \
            or ResultSnapshot.all_tenants.filter(experiment=experiment).count() != stored_before:
        raise AssertionError("the page computed a result while it was timed")
    emit("experiment", {
        "db": database_label(), "scale": bench_analytics.SCALE, "citizens": citizens, "units": newest.units,
        "comparisons": page.count('data-testid="comparison"'),
        **summary(page_times, prefix="page"), **summary(base, prefix="bare"),
        "ratio_p95": round(p95(page_times) / p95(base), 2),
        "experiment_refresh_s": [round(s, 2) for s in refresh_seconds],
        "stored_seconds": newest.seconds, "stored_json_bytes": len(str(newest.analysis)),
        "goal_page_p95_s": GOAL_PAGE_P95_SECONDS, "met": p95(page_times) <= GOAL_PAGE_P95_SECONDS,
    })


if __name__ == "__main__":
    main()
