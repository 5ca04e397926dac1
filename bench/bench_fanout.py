"""fanout: 1,000 new postings matched against every citizen (117,000) and queued into the outbox.

Uses the data set of bench_feed (made once). Reports the time to build the citizen index (done
once per process and refreshed when profiles change) apart from the fan-out itself, which runs the
production path (`fanout_run`: batches of MATCHING_FANOUT_BATCH_SIZE, each what one task does),
checks that a second delivery of the run queues nothing and that matching the postings again as
changed queues no duplicate, that no citizen got more than the cap, and the notices per posting. The 1,000
postings and their notices are removed afterwards so the data set stays the same between runs.
Goal: fan-out <= 60 s on this machine.
"""

from __future__ import annotations

import datetime
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_feed import ensure_data, use_own_database  # noqa: E402
from bench.harness import analyze, database_label, emit, setup  # noqa: E402

NEW_POSTINGS = 1000


def main() -> None:
    use_own_database()
    setup()
    from django.db.models import Count
    from django.utils import timezone

    from jobunivers.jobs.models import JobPosting
    from jobunivers.matching import fanout
    from jobunivers.notifications.models import Notification, OutboxMessage
    from jobunivers.taxonomy.models import Occupation, Postcode

    facts = ensure_data()
    analyze()
    rng = random.Random(1000)
    occupations = list(Occupation.objects.filter(uri__startswith="bench:").values_list("id", "isco_code", "preferred_label"))
    places = list(Postcode.objects.filter(name__startswith="Bench").values_list("code", "municipality_code", "latitude",
                                                                                "longitude"))
    JobPosting.objects.filter(source="bench-fanout").delete()
    now = timezone.now()
    stamp = int(time.time())
    new = []
    for n in range(NEW_POSTINGS):
        occupation, place = occupations[rng.randrange(len(occupations))], places[rng.randrange(len(places))]
        new.append(JobPosting(
            source="bench-fanout", external_id=f"{stamp}-{n}", title=f"{occupation[2]} til ny opgave {n}",
            employer_name=f"Ny virksomhed {n}", occupation_id=occupation[0], isco_code=occupation[1], postcode=place[0],
            city="Bench", municipality_code=place[1], latitude=place[2], longitude=place[3],
            hours=rng.choice(["full_time", "part_time"]), employment_type="permanent", published_at=now,
            changed_at=now, is_synthetic=True, application_deadline=(now + datetime.timedelta(days=21)).date()))
    JobPosting.objects.bulk_create(new)
    ids = list(JobPosting.objects.filter(source="bench-fanout").values_list("id", flat=True))
    started = time.perf_counter()
    index = fanout.citizen_index(force=True)
    index_seconds = time.perf_counter() - started
    keys = [f"posting:{i}" for i in ids]
    Notification.all_tenants.filter(kind="job_match", subject_key__in=keys).delete()
    started = time.perf_counter()
    reports = fanout.fanout_run(posting_ids=ids, only_new=True, index=index)
    seconds = time.perf_counter() - started
    again = fanout.fanout_run(posting_ids=ids, only_new=True, index=index)  # the run's messages delivered twice
    as_changed = fanout.fanout_run(posting_ids=ids, only_new=False, index=index)  # every posting "changed"
    duplicates = (OutboxMessage.all_tenants.filter(kind="job_match", subject_key__in=keys)
                  .values("recipient_id", "subject_key", "channel").annotate(n=Count("id")).filter(n__gt=1).count())
    per_citizen = list(Notification.all_tenants.filter(kind="job_match", subject_key__in=keys)
                       .values("recipient_id").annotate(n=Count("id")).values_list("n", flat=True))
    matched = {pid: n for r in reports for pid, n in r.matched_per_posting.items()}
    per_posting = [matched.get(i, 0) for i in ids]
    emit("fanout", {
        "db": database_label(), "citizens": index.size, "postings_total": facts["postings"], "new_postings": len(ids),
        "batches": len(reports), "index_build_s": round(index_seconds, 2), "fanout_s": round(seconds, 2), "goal_s": 60,
        "candidate_pairs": sum(r.candidates for r in reports),
        "above_threshold": sum(r.above_threshold for r in reports),
        "notices_created": sum(r.notices_created for r in reports),
        "deliveries_queued": sum(r.deliveries_queued for r in reports),
        "left_out_by_cap": sum(r.capped for r in reports),
        "citizens_notified": len(per_citizen), "notices_per_citizen_max": max(per_citizen, default=0),
        "cap": fanout.MAX_NOTICES_PER_CITIZEN_PER_WINDOW,
        "notices_per_posting_mean": round(statistics.fmean(per_posting), 2),
        "notices_per_posting_p50": statistics.median(per_posting), "notices_per_posting_max": max(per_posting),
        "postings_with_no_notice": sum(1 for c in per_posting if c == 0),
        "second_delivery_postings_skipped": sum(r.already_fanned_out for r in again),
        "second_run_created": sum(r.notices_created for r in again + as_changed),
        "duplicate_outbox_keys": duplicates,
    })
    Notification.all_tenants.filter(kind="job_match", subject_key__in=keys).delete()
    JobPosting.objects.filter(source="bench-fanout").delete()


if __name__ == "__main__":
    main()
