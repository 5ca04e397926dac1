"""fanout: an import of 1,000 new postings through the production path, into notices (issues 12 and 14).

The 1,000 ads are a JobTech stream file read through the source registry (`import_from_location`,
as the hourly sync does); the import publishes PostingsPublished after its commit, matching's
handler queues one fan-out task per batch of MATCHING_FANOUT_BATCH_SIZE postings, and each task
(`matching.tasks.fanout_postings`, run inline here: CELERY_TASK_ALWAYS_EAGER) embeds its postings,
scores them against the citizen index (117,000 citizens of bench_feed's data set), checks the cap,
writes notices, outbox rows and the PostingFanout marks in one transaction. Reported: the time from
the start of the import until the last fan-out task has committed its notices (the goal; the jobs
app's own embedding task, queued by the same import, runs after it here and in parallel in a worker,
and is in `import_total_s`), the part inside the fan-out tasks, the citizen index build (done
once per worker process, before: a running worker has it), then the checks: a second delivery of
every batch queues nothing, matching all postings again as changed creates no duplicate, and no
citizen has more job notices than the cap. The postings, notices and marks are removed afterwards.
Goal: <= 60 s on PostgreSQL on this machine, cap respected, 0 duplicates.
"""

from __future__ import annotations

import datetime
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_feed import ensure_data, use_own_database  # noqa: E402
from bench.harness import analyze, database_label, emit, load_average, setup  # noqa: E402

NEW_POSTINGS = 1000


def _description(rng: random.Random, title: str, city: str, employer: str) -> str:
    """A description as long and as varied as the synthetic generator's (about 500 characters)."""
    from jobunivers.jobs.synthetic import INTROS, OFFER, PROFILE, TASKS

    values = {"title_lower": title.lower(), "city": city, "employer": employer}
    return "\n\n".join(
        [rng.choice(INTROS).format(**values), " ".join(rng.sample(TASKS, 2)), " ".join(rng.sample(PROFILE, 2)),
         rng.choice(OFFER)]
    )


def _ads(n: int, stamp: int) -> list[dict]:
    from django.utils import timezone

    from jobunivers.taxonomy.models import Occupation, Postcode

    rng = random.Random(1000)
    occupations = list(
        Occupation.objects.filter(uri__startswith="bench:").values_list("uri", "preferred_label")
    )
    places = list(
        Postcode.objects.filter(name__startswith="Bench").values_list(
            "code", "name", "municipality_code", "latitude", "longitude"
        )
    )
    now = timezone.now()
    ads = []
    for number in range(n):
        (uri, label), place = occupations[rng.randrange(len(occupations))], places[rng.randrange(len(places))]
        ads.append(
            {
                "id": f"fanout-{stamp}-{number}",
                "headline": f"{label} til ny opgave {number}",
                "description": {"text": _description(rng, label, place[1], f"Ny virksomhed {number}")},
                "employer": {"name": f"Ny virksomhed {number}"},
                "application_deadline": (now + datetime.timedelta(days=21)).date().isoformat() + "T23:59:59",
                "number_of_vacancies": 1,
                "working_hours_type": {"label": rng.choice(["Heltid", "Deltid"])},
                "duration": {"label": "Tillsvidare"},
                "occupation": {"label": label, "esco_uri": uri},
                "workplace_address": {
                    "postcode": place[0],
                    "city": place[1],
                    "country_code": "DK",
                    "municipality_code": place[2],
                    "coordinates": [place[4], place[3]],
                },
                "publication_date": now.isoformat(),
                "timestamp": int(now.timestamp() * 1000),
                "removed": False,
            }
        )
    return ads


def _cleanup(source_ids) -> None:
    from jobunivers.jobs.models import JobPosting
    from jobunivers.notifications.models import Notification, OutboxMessage

    ids = list(
        JobPosting.objects.filter(source="jobtech", external_id__startswith="fanout-").values_list(
            "id", flat=True
        )
    )
    keys = [f"posting:{i}" for i in ids]
    OutboxMessage.all_tenants.filter(kind="job_match", subject_key__in=keys).delete()
    Notification.all_tenants.filter(kind="job_match", subject_key__in=keys).delete()
    JobPosting.objects.filter(pk__in=ids).delete()


def main() -> None:
    use_own_database()
    setup()
    from django.db.models import Count

    from jobunivers.jobs.models import JobPosting
    from jobunivers.jobs.services import import_from_location
    from jobunivers.matching import fanout
    from jobunivers.notifications.models import Notification, OutboxMessage
    from jobunivers.tenancy import selectors as tenancy_selectors

    facts = ensure_data()
    _cleanup(None)
    analyze()
    started = time.perf_counter()
    index = fanout.citizen_index(force=True)  # a running worker holds it in memory already
    index_seconds = time.perf_counter() - started
    reports: list = []
    task_seconds = [0.0]
    run_batch = fanout.fanout_postings

    finished = [0.0]

    def observed(**kwargs):  # records what each task did; the work is the product's own
        batch_started = time.perf_counter()
        report = run_batch(**kwargs)
        finished[0] = time.perf_counter()
        task_seconds[0] += finished[0] - batch_started
        reports.append(report)
        return report

    # A running worker has its URL configuration loaded (the notices' links are reversed from it).
    from django.urls import reverse

    reverse("core:bare")

    fanout.fanout_postings = observed
    stamp = int(time.time())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "stream.json"
        path.write_text(json.dumps(_ads(NEW_POSTINGS, stamp), ensure_ascii=False), encoding="utf-8")
        load_before = load_average()
        started = time.perf_counter()
        imported = import_from_location(source="jobtech", location=str(path))
        seconds = time.perf_counter() - started
        to_notices = finished[0] - started
    fanout.fanout_postings = run_batch
    ids = list(
        JobPosting.objects.filter(source="jobtech", external_id__startswith=f"fanout-{stamp}-").values_list(
            "id", flat=True
        )
    )
    keys = [f"posting:{i}" for i in ids]
    again = fanout.fanout_run(posting_ids=ids, only_new=True, index=index)  # every batch delivered twice
    as_changed = fanout.fanout_run(posting_ids=ids, only_new=False, index=index)  # every posting "changed"
    duplicates = (
        OutboxMessage.all_tenants.filter(kind="job_match", subject_key__in=keys)
        .values("recipient_id", "subject_key", "channel")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    duplicate_notices = (
        Notification.all_tenants.filter(kind="job_match", subject_key__in=keys)
        .values("recipient_id", "subject_key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    # The cap is each municipality's setting (job_notices_per_day): check every citizen against theirs.
    notice_settings = tenancy_selectors.notice_settings()
    counted = list(
        Notification.all_tenants.filter(kind="job_match", subject_key__in=keys)
        .values("recipient_id", "municipality_id")
        .annotate(n=Count("id"))
        .values_list("n", "municipality_id")
    )
    per_citizen = [n for n, _municipality_id in counted]
    over_cap = sum(1 for n, municipality_id in counted if n > notice_settings.cap_of(municipality_id))
    caps = sorted({notice_settings.cap_of(m) for _n, m in counted} or {notice_settings.default_cap})
    matched = {pid: n for r in reports for pid, n in r.matched_per_posting.items()}
    per_posting = [matched.get(i, 0) for i in ids]
    emit(
        "fanout",
        {
            "db": database_label(),
            "citizens": index.size,
            "postings_total": facts["postings"],
            "imported": imported.created,
            "import_errors": len(imported.errors),
            "new_postings": len(ids),
            "tasks": len(reports),
            "index_build_s": round(index_seconds, 2),
            "import_to_notices_s": round(to_notices, 2),
            "fanout_tasks_s": round(task_seconds[0], 2),
            "import_total_s": round(seconds, 2),
            "goal_s": 60,
            "fanout_s": round(to_notices, 2),
            "candidate_pairs": sum(r.candidates for r in reports),
            "above_threshold": sum(r.above_threshold for r in reports),
            "notices_created": sum(r.notices_created for r in reports),
            "deliveries_queued": sum(r.deliveries_queued for r in reports),
            "left_out_by_cap": sum(r.capped for r in reports),
            "citizens_notified": len(per_citizen),
            "notices_per_citizen_max": max(per_citizen, default=0),
            "cap": caps[0] if len(caps) == 1 else caps,
            "cap_respected": over_cap == 0,
            "notices_per_posting_mean": round(statistics.fmean(per_posting), 2) if per_posting else 0,
            "notices_per_posting_max": max(per_posting, default=0),
            "postings_with_no_notice": sum(1 for c in per_posting if c == 0),
            "second_delivery_postings_skipped": sum(r.already_fanned_out for r in again),
            "second_run_created": sum(r.notices_created for r in again + as_changed),
            "duplicate_outbox_keys": duplicates,
            "duplicate_notices": duplicate_notices,
            "load_average_before": load_before,
        },
    )
    _cleanup(None)


if __name__ == "__main__":
    main()
