"""fanout: 1,000 new postings matched against every citizen (117,000) and queued into the outbox.

Uses the data set of bench_feed (made once). Reports the time to build the citizen index (done
once per process and refreshed when profiles change) apart from the fan-out itself, checks that a
second run queues nothing (no duplicates), and the number of notices per posting. The 1,000
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
    started = time.perf_counter()
    report = fanout.fanout_postings(posting_ids=ids, index=index)
    seconds = time.perf_counter() - started
    again = fanout.fanout_postings(posting_ids=ids, index=index)
    keys = [f"posting:{i}" for i in ids]
    duplicates = (OutboxMessage.all_tenants.filter(kind="job_match", subject_key__in=keys)
                  .values("recipient_id", "subject_key", "channel").annotate(n=Count("id")).filter(n__gt=1).count())
    per_posting = [report.matched_per_posting.get(i, 0) for i in ids]
    emit("fanout", {
        "db": database_label(), "citizens": index.size, "postings_total": facts["postings"], "new_postings": len(ids),
        "index_build_s": round(index_seconds, 2), "fanout_s": round(seconds, 2), "goal_s": 60,
        "candidate_pairs": report.candidates, "above_threshold": report.above_threshold,
        "notices_created": report.notices_created, "deliveries_queued": report.deliveries_queued,
        "notices_per_posting_mean": round(statistics.fmean(per_posting), 2),
        "notices_per_posting_p50": statistics.median(per_posting), "notices_per_posting_max": max(per_posting),
        "postings_with_no_notice": sum(1 for c in per_posting if c == 0),
        "second_run_created": again.notices_created, "duplicate_outbox_keys": duplicates,
    })
    Notification.all_tenants.filter(kind="job_match", subject_key__in=keys).delete()
    JobPosting.objects.filter(source="bench-fanout").delete()


if __name__ == "__main__":
    main()
