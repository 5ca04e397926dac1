"""Job search (issues 4 and 14): long-tailed queries over 50,000 active postings, with and without churn.

QUERIES requests (at least MIN_DISTINCT distinct queries) drawn Zipf-like with a fixed seed from the
platform's own vocabularies (bench/vocabulary.py: job titles, skills, employer names, cities,
misspellings; three in five with a postcode and radius, some with a filter), through the full
request stack as a server runs it (Django's WSGI handler: middleware, form, search, template, the
request_started and request_finished handlers; harness.ServerClient), as p50/p95 and as a ratio against the bare page
measured in the same process and run. The warm-up uses queries that are not measured.

Then other queries from the same distribution, for CHURN_SECONDS, while postings change at
CHURN_PER_MINUTE through the production import path (`import_from_location`, the JobTech format
of the source registry): new ads, changed ads and removals, one small file every few seconds, as a
JobStream sync produces them; each change invalidates the catalogue and the word caches, so the
requests after it pay the rebuild. The churn's postings are removed afterwards.
Goals (issue 14): p95 <= 5 x bare p95 without churn, <= 10 x with churn; on SQLite (FTS5) and
PostgreSQL ('danish', GIN). The result counts of a sample are reported (URL-decoded).

Data (created once, reused): ESCO and postcodes from the shared reference data, and
50,000 synthetic postings from the project's generator (jobs.synthetic).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qsl

from bench.harness import (
    ServerClient,
    analyze,
    bare_baseline,
    database_label,
    emit,
    load_average,
    p95,
    setup,
    summary,
    timed_requests,
)

POSTINGS = 50_000
QUERIES = int(os.environ.get("BENCH_SEARCH_QUERIES", "4000"))  # per figure; more if too few distinct
MIN_DISTINCT = 2_000
SEED = 50_000
CHURN_PER_MINUTE = 50
CHURN_EVERY_S = 6.0  # one small import every 6 s: 5 changes (2 new, 2 changed, 1 removed)
CHURN_SECONDS = 60.0  # the churn phase lasts a minute (10 imports), however fast the queries run
CHURN_PATHS = 40_000  # drawn for it; the phase stops after CHURN_SECONDS
CHURN_PRIMED = 6  # ads of the stream already live when the phase starts


def ensure_data() -> int:
    from django.conf import settings

    from jobunivers.jobs.models import JobPosting
    from jobunivers.jobs.synthetic import generate_postings
    from jobunivers.taxonomy.models import DanishJobTitle, Postcode
    from jobunivers.taxonomy.services import danish_titles_import, esco_import, postcodes_import

    data = Path(settings.REFERENCE_DATA_DIR)
    if Postcode.objects.filter(code="8000").count() == 0:
        postcodes_import(text=(data / "geo" / "postcodes.csv").read_text(encoding="utf-8"))
    if DanishJobTitle.objects.filter(occupation__isnull=False).count() < 50:
        esco_import(directory=data / "esco")
        danish_titles_import()
    have = JobPosting.objects.filter(source="synthetic", external_id__startswith=f"bench-{SEED}-").count()
    if have < POSTINGS:
        from config.celery import app

        # Queue the import's event tasks as production does (the bench settings otherwise run them
        # inline): matching's fan-out would embed all 50,000 postings here, which search never uses.
        eager, app.conf.task_always_eager = app.conf.task_always_eager, False
        start = time.perf_counter()
        try:
            report = generate_postings(count=POSTINGS, seed=SEED, prefix="bench", embed=False)
        finally:
            app.conf.task_always_eager = eager
        print(f"# generated {report.created} postings in {time.perf_counter() - start:.1f} s", flush=True)
    return JobPosting.objects.filter(status="active").count()


def _churn(stop_after: int):
    """A callable for timed_requests' `between`: every CHURN_EVERY_S seconds, one JobTech file with
    2 new ads, 2 changed ads and 1 removal, imported by `import_from_location` (tasks queued, not run
    inline: in production the import only enqueues). Returns (between, stats)."""
    from bench.bench_job_import import _jobtech_ad
    from jobunivers.jobs.services import import_from_location
    from jobunivers.jobs.synthetic import generate_records

    records = list(generate_records(count=stop_after + CHURN_PRIMED, seed=91, prefix="churn"))
    folder = Path(tempfile.mkdtemp(prefix="bench-churn-"))
    stats = {"imports": 0, "created": 0, "updated": 0, "withdrawn": 0, "import_seconds": 0.0}
    # The stream is already running when the phase starts: CHURN_PRIMED of its ads are live (imported
    # here, not counted), so every import from the first one changes and removes as well as adds; the
    # imports come in the middle of each CHURN_EVERY_S (3 s, 9 s, ... 57 s): CHURN_SECONDS /
    # CHURN_EVERY_S imports of 5 changes, 50 a minute.
    primed = folder / "primed.json"
    primed.write_text(json.dumps([_jobtech_ad(r) for r in records[:CHURN_PRIMED]], ensure_ascii=False),
                      encoding="utf-8")
    import_from_location(source="jobtech", location=str(primed), embed=False)
    state = {"next": time.monotonic() + CHURN_EVERY_S / 2, "new": CHURN_PRIMED, "live": list(range(CHURN_PRIMED))}

    def between() -> None:
        if time.monotonic() < state["next"]:
            return
        state["next"] += CHURN_EVERY_S
        ads = []
        for _ in range(2):
            if state["new"] < len(records):
                ads.append(_jobtech_ad(records[state["new"]]))
                state["live"].append(state["new"])
                state["new"] += 1
        for number in state["live"][-4:-2]:  # changed: a new title and a later timestamp
            ad = _jobtech_ad(records[number])
            ad["headline"] = f"{ad['headline']} (opdateret {stats['imports']})"
            ad["timestamp"] = int(time.time() * 1000)
            ads.append(ad)
        if len(state["live"]) > CHURN_PRIMED:  # the oldest live ad is withdrawn
            ad = _jobtech_ad(records[state["live"].pop(0)])
            ad["removed"] = True
            ads.append(ad)
        path = folder / f"stream-{stats['imports']}.json"
        path.write_text(json.dumps(ads, ensure_ascii=False), encoding="utf-8")
        started = time.perf_counter()
        report = import_from_location(source="jobtech", location=str(path), embed=False)
        stats["import_seconds"] += time.perf_counter() - started
        stats["imports"] += 1
        stats["created"] += report.created
        stats["updated"] += report.updated
        stats["withdrawn"] += report.withdrawn

    return between, stats


def _result_counts(paths: list[str]) -> list[int]:
    from jobunivers.jobs.forms import JobSearchForm
    from jobunivers.jobs.search import search_postings

    counts = []
    for path in paths:
        form = JobSearchForm(dict(parse_qsl(path.split("?", 1)[1])))  # decoded: æ, ø, å and spaces
        if form.is_valid():
            counts.append(search_postings(form.to_query()).total)
    return counts


def main() -> None:
    setup()
    from datetime import timedelta

    from django.utils import timezone

    from bench.vocabulary import search_paths, vocabulary
    from config.celery import app
    from jobunivers.jobs.models import JobPosting

    active = ensure_data()
    JobPosting.objects.filter(source="jobtech", external_id__startswith="churn-91-").delete()
    analyze()
    since = (timezone.localdate() - timedelta(days=14)).isoformat()
    words = vocabulary()
    quiet = search_paths(words, n=QUERIES, seed=SEED, min_distinct=MIN_DISTINCT, since=since)
    churned = search_paths(words, n=CHURN_PATHS, seed=SEED + 10, min_distinct=MIN_DISTINCT, since=since)
    measured = set(quiet) | set(churned)
    warmup = [
        p
        for p in search_paths(words, n=200, seed=SEED + 20, min_distinct=0, since=since)
        if p not in measured
    ][:30]
    client = ServerClient()  # the WSGI handler as gunicorn calls it (see ServerClient)
    for path in warmup:  # the process warmed (templates, catalogue) on queries that are not measured
        client.get(path)
    base = bare_baseline(client, n=300)
    load_before = load_average()
    times = timed_requests(client, quiet, warmup=0)
    counts = _result_counts(quiet[:200])
    eager, app.conf.task_always_eager = app.conf.task_always_eager, False
    try:
        between, churn = _churn(stop_after=2 * (int(CHURN_SECONDS / CHURN_EVERY_S) + 2))  # 2 new ads an import
        started = time.monotonic()
        churn_times = timed_requests(client, churned, warmup=0, between=between, seconds=CHURN_SECONDS)
        churn_minutes = (time.monotonic() - started) / 60
    finally:
        app.conf.task_always_eager = eager
    base_after = bare_baseline(client, n=300)
    load_after = load_average()
    JobPosting.objects.filter(source="jobtech", external_id__startswith="churn-91-").delete()
    changes = churn["created"] + churn["updated"] + churn["withdrawn"]
    emit(
        "job_search",
        {
            "db": database_label(),
            "active_postings": active,
            "queries": len(quiet),
            "distinct_queries": len(set(quiet)),
            "distinct_queries_churn": len(set(churned[:len(churn_times)])),
            "vocabulary": {k: len(v) for k, v in words.items()},
            **summary(times, prefix="search"),
            **summary(base, prefix="bare"),
            "ratio_p95": round(p95(times) / p95(base), 2),
            "goal_ratio_p95": 5,
            "median_results": sorted(counts)[len(counts) // 2] if counts else None,
            "zero_result_share": round(sum(1 for c in counts if c == 0) / len(counts), 3) if counts else None,
            **summary(churn_times, prefix="churn_search"),
            **summary(base_after, prefix="bare_after"),
            "churn_ratio_p95": round(p95(churn_times) / p95(base), 2),
            "churn_goal_ratio_p95": 10,
            "churn_changes": changes,
            "churn_changes_per_minute": round(changes / churn_minutes, 1),
            "churn_imports": churn["imports"],
            "churn_import_mean_ms": round(1000 * churn["import_seconds"] / max(1, churn["imports"]), 1),
            "load_average_before": load_before,
            "load_average_after": load_after,
        },
    )


if __name__ == "__main__":
    main()
