"""Job search (issue 4): free text + 50 km radius + one filter over 50,000 active postings.

1,000 random queries through the full request stack (middleware, form, search, template),
reported as p50/p95 and as a ratio against the bare page measured in the same run. The catalogue
rebuild after a change and each word's first (uncached) search are reported beside them.
Goal: search p95 <= 10 x bare p95, on SQLite (FTS5) and PostgreSQL ('danish', GIN).

Data (created once, reused): ESCO and postcodes from the shared reference data, and
50,000 synthetic postings from the project's generator (jobs.synthetic).
"""

from __future__ import annotations

import random
import time
from pathlib import Path
from urllib.parse import urlencode

from bench.harness import analyze, bare_baseline, database_label, emit, p95, setup, summary, timed_requests

POSTINGS = 50_000
QUERIES = 1_000
SEED = 50_000
WORDS = ["tømrer", "kok", "sygeplejerske", "pædagog", "lagermedarbejder", "elektriker", "chauffør", "rengøring",
         "butiksmedarbejder", "mekaniker", "social- og sundhedsassistent", "murer", "bogholder", "tjener",
         "softwareudvikler", "lærer", "maler", "smed", "receptionist", "erfaren"]
PLACES = ["8000", "1050", "5000", "9000", "6700", "7100", "8900", "4000", "2200", "6000", "7400", "8600", "4700",
          "3000", "6400", "9800", "7500", "8700", "2800", "4200"]


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


def main() -> None:
    setup()
    from datetime import timedelta

    from django.test import Client
    from django.utils import timezone

    active = ensure_data()
    analyze()
    rng = random.Random(4)
    since = (timezone.localdate() - timedelta(days=14)).isoformat()
    filters = [{"hours": "full_time"}, {"employment_type": "permanent"}, {"posted_since": since}, {"hours": "part_time"},
               {"sort": "distance"}]
    paths = []
    for _ in range(QUERIES):
        params = {"q": rng.choice(WORDS), "where": rng.choice(PLACES), "radius": 50, **rng.choice(filters)}
        paths.append("/job/?" + urlencode(params))
    client = Client()
    base = bare_baseline(client, n=300)
    times = timed_requests(client, paths)
    # A sample of result counts, so the figures can be judged (not empty result pages).
    from jobunivers.jobs.forms import JobSearchForm
    from jobunivers.jobs.search import search_postings

    counts = []
    for path in paths[:50]:
        form = JobSearchForm(dict(p.split("=", 1) for p in path.split("?", 1)[1].split("&")))
        if form.is_valid():
            counts.append(search_postings(form.to_query()).total)
    # Cold figures, reported beside the main ones: the catalogue rebuilt after a change to the postings,
    # and each word's first search after that (its index look-up not yet kept in memory).
    from jobunivers.jobs import catalogue

    catalogue.clear()
    rebuild = timed_requests(client, [paths[0]], warmup=0)
    cold = []
    for word in WORDS:
        catalogue.current().terms.clear()
        cold += timed_requests(client, ["/job/?" + urlencode({"q": word, "where": "8000", "radius": 50})], warmup=0)
    emit("job_search", {
        "db": database_label(), "active_postings": active, **summary(times, prefix="search"),
        **summary(base, prefix="bare"), "ratio_p95": round(p95(times) / p95(base), 2), "goal_ratio_p95": 10,
        "median_results": sorted(counts)[len(counts) // 2] if counts else None,
        "catalogue_rebuild_request_ms": round(rebuild[0] * 1000, 1), **summary(cold, prefix="cold_word"),
        "cold_word_max_ms": round(max(cold) * 1000, 1),
    })


if __name__ == "__main__":
    main()
