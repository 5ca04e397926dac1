"""The open-data export of the monitoring figures (CSV and JSON, public, national): aggregates per
municipality; every count from 1 to 4 is suppressed (null in JSON, empty in CSV), and so is every share
whose count or base is; shares are computed only from unsuppressed counts."""

from __future__ import annotations

from django.utils import timezone

from .monitoring import MONTHS, small

COLUMNS = ["municipality_code", "municipality_name", "citizens", "register_spells", "jobs",
           *[f"{name}_{m}m" for m in MONTHS for name in ("eligible", "in_job", "share_in_job")],
           "median_weeks_to_job", "bookings", "held_conversations", "message_threads"]


def _count(value: int) -> int | None:
    return None if small(value) else value


def records(rows) -> dict:
    municipalities = []
    for code, name, found in rows:
        outcomes = found.outcomes
        record: dict = {"municipality_code": code, "municipality_name": name, "citizens": _count(found.citizens),
                        "register_spells": _count(outcomes.spells), "jobs": _count(outcomes.jobs)}
        for m in MONTHS:
            share = outcomes.shares.get(m)
            eligible, in_job = (share.eligible, share.in_job) if share else (0, 0)
            record[f"eligible_{m}m"] = _count(eligible)
            record[f"in_job_{m}m"] = _count(in_job)
            record[f"share_in_job_{m}m"] = (None if share is None or share.value is None else round(share.value, 4))
        record["median_weeks_to_job"] = None if small(outcomes.spells) else outcomes.median_weeks
        record["bookings"] = _count(found.bookings)
        record["held_conversations"] = _count(found.held)
        record["message_threads"] = _count(found.threads)
        municipalities.append(record)
    return {"generated_on": timezone.localdate().isoformat(),
            "about": "Jobunivers monitoring per municipality. Counts from 1 to 4 are suppressed (null). "
                     "Outcomes from the register's spells of unemployment; share_in_job_Nm: share of the spells "
                     "that started at least N months ago that ended in a job within N months.",
            "columns": COLUMNS, "municipalities": municipalities}
