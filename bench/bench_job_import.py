"""Job import (issue 4): JobTech-format ads per second through `import_from_location`, no embeddings.

10,000 ads in one JobTech JobStream batch file (Danish places and titles from the synthetic
generator), imported fresh (creates), then imported again unchanged (the hourly-sync case).
Goal: >= 1,000 ads/s.

Tasks are queued (Celery's in-memory broker), not run inline as the bench settings otherwise do:
in production the import only enqueues; the handlers' work (matching's fan-out, which embeds each
new posting) runs in the worker and is measured by the fanout bench, not here.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from bench.bench_job_search import ensure_data
from bench.harness import database_label, emit, setup

ADS = 10_000


def _jobtech_ad(record) -> dict:
    return {
        "id": record.external_id, "headline": record.title, "description": {"text": record.description},
        "employer": {"name": record.employer_name, "organization_number": "12345678"},
        "application_deadline": record.application_deadline.isoformat() + "T23:59:59",
        "number_of_vacancies": record.positions,
        "working_hours_type": {"label": "Heltid" if record.hours == "full_time" else "Deltid"},
        "duration": {"label": "Tillsvidare"}, "salary_description": record.salary_text,
        "occupation": {"label": "", "esco_uri": record.occupation_uri},
        "workplace_address": {"postcode": record.postcode, "city": record.city, "country_code": "DK",
                              "municipality_code": record.municipality_code,
                              "coordinates": [record.longitude, record.latitude]},
        "must_have": {"skills": []}, "nice_to_have": {"skills": []},
        "application_details": {"url": record.apply_url, "reference": record.apply_contact},
        "publication_date": record.published_at.isoformat(), "timestamp": int(record.changed_at.timestamp() * 1000),
        "removed": False,
    }


def main() -> None:
    setup()
    from config.celery import app

    app.conf.task_always_eager = False  # queue the events' tasks as in production (see the docstring)
    from jobunivers.jobs.models import JobPosting
    from jobunivers.jobs.services import import_from_location
    from jobunivers.jobs.synthetic import generate_records

    ensure_data()
    ads = [_jobtech_ad(r) for r in generate_records(count=ADS, seed=77, prefix="import")]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "stream.json"
        path.write_text(json.dumps(ads, ensure_ascii=False), encoding="utf-8")
        JobPosting.objects.filter(source="jobtech", external_id__startswith="import-77-").delete()
        start = time.perf_counter()
        first = import_from_location(source="jobtech", location=str(path), embed=False)
        fresh = time.perf_counter() - start
        start = time.perf_counter()
        second = import_from_location(source="jobtech", location=str(path), embed=False)
        again = time.perf_counter() - start
    emit("job_import", {
        "db": database_label(), "ads": ADS, "created": first.created, "skipped": len(first.errors),
        "fresh_seconds": round(fresh, 2), "fresh_ads_per_second": round(ADS / fresh),
        "unchanged": second.unchanged, "reimport_seconds": round(again, 2),
        "reimport_ads_per_second": round(ADS / again), "goal_ads_per_second": 1000,
    })
    # The bench database is shared with job_search, whose data set is 50,000 active postings.
    JobPosting.objects.filter(source="jobtech", external_id__startswith="import-77-").delete()


if __name__ == "__main__":
    main()
