"""Dialogue: the team inbox of a municipality with 10,000 message threads.

Goal (issue 15): p95 of the team inbox <= 10 x the bare page's p95, on SQLite and PostgreSQL,
through the full stack (middleware, view, access log, template). Measured over its filters: all
open threads (newest first), waiting for us (oldest first), mine, unassigned and waiting, and a
page deep in the list; plus one thread page (read, access-logged, marked read).

Data (created once, reused): one municipality, 2,500 citizens, 10,000 threads with two messages
each; about 40 % wait for the job centre, 20 % for the citizen; a quarter is assigned to the
measuring adviser, a quarter to 9 colleagues, half to nobody; 10 % archived.
"""

from __future__ import annotations

import datetime
import random

from bench.harness import analyze, bare_baseline, database_label, emit, p95, setup, summary, timed_requests

CITIZENS = 2_500
THREADS = 10_000
SLUG = "bench-dialogue"
SAMPLES = 60  # per inbox variant (5 variants: 300 inbox requests)


def _data():
    from django.db import transaction
    from django.utils import timezone

    from jobunivers.accounts.models import User
    from jobunivers.citizens.models import Citizen
    from jobunivers.dialogue.models import Message, Thread
    from jobunivers.tenancy.models import Municipality
    from jobunivers.tenancy.services import membership_grant
    from jobunivers.tenancy.tests.factories import MunicipalityFactory

    municipality = Municipality.objects.filter(slug=SLUG).first() or MunicipalityFactory(
        code="9002", name="Dialogkommune", slug=SLUG)
    adviser, _ = User.objects.get_or_create(username="bench-dialogue-adviser",
                                            defaults={"first_name": "Aisha", "last_name": "Bench"})
    membership_grant(user=adviser, role="job_adviser", municipality=municipality)
    colleagues = []
    for n in range(9):
        user, _ = User.objects.get_or_create(username=f"bench-dialogue-colleague-{n}",
                                             defaults={"first_name": "Kollega", "last_name": str(n)})
        membership_grant(user=user, role="job_adviser", municipality=municipality)
        colleagues.append(user)
    if Thread.all_tenants.filter(municipality=municipality).count() >= THREADS:
        return municipality, adviser
    rng = random.Random(15)
    now = timezone.now()
    with transaction.atomic():
        users = [User(username=f"bench-dialogue-{n}", first_name="Borger", last_name=str(n), password="!")
                 for n in range(CITIZENS)]
        User.objects.bulk_create(users, batch_size=2000, ignore_conflicts=True)
        users = list(User.objects.filter(username__startswith="bench-dialogue-").exclude(
            username__startswith="bench-dialogue-colleague").exclude(username="bench-dialogue-adviser").order_by("id"))
        Citizen.all_tenants.bulk_create([Citizen(municipality=municipality, user=u) for u in users],
                                        batch_size=2000, ignore_conflicts=True)
        citizens = list(Citizen.all_tenants.filter(municipality=municipality).values_list("id", flat=True))
        threads = []
        for n in range(THREADS):
            last = now - datetime.timedelta(minutes=rng.randint(1, 60 * 24 * 200))
            roll = rng.random()
            waiting = "job_centre" if roll < 0.4 else "citizen" if roll < 0.6 else "nobody"
            owner = rng.random()
            assigned = adviser if owner < 0.25 else rng.choice(colleagues) if owner < 0.5 else None
            threads.append(Thread(
                municipality=municipality, citizen_id=rng.choice(citizens), subject=f"Spørgsmål nummer {n}",
                waiting_for=waiting, waiting_since=last if waiting != "nobody" else None, assigned_to=assigned,
                last_message_at=last, citizen_read_at=last, job_centre_read_at=last if rng.random() < 0.5 else None,
                archived_at=last if rng.random() < 0.1 else None))
        Thread.all_tenants.bulk_create(threads, batch_size=2000)
        rows = list(Thread.all_tenants.filter(municipality=municipality).values_list("id", "last_message_at"))
        Message.all_tenants.bulk_create([
            Message(municipality=municipality, thread_id=thread_id, sender_side=side, text="Hej, kan I hjælpe?")
            for thread_id, _last in rows for side in ("citizen", "job_centre")], batch_size=5000)
    return municipality, adviser


def main() -> None:
    from bench.harness import own_database, staff_client

    own_database("dialogue")
    setup()
    from jobunivers.dialogue.models import Thread

    municipality, adviser = _data()
    analyze()
    client = staff_client(adviser)
    base = bare_baseline(client, n=300)
    inbox = f"/{municipality.slug}/medarbejder/dialog/"
    variants = {"all": "", "waiting_oldest": "?venter=1&aeldste=1", "mine": "?mine=1",
                "unassigned_waiting": "?venter=1&utildelt=1", "page_40": "?side=40"}
    paths = [inbox + query for _ in range(SAMPLES) for query in variants.values()]
    times = timed_requests(client, paths, warmup_paths=[f"/{municipality.slug}/medarbejder/"] * 3)
    per_variant = {name: times[index::len(variants)] for index, name in enumerate(variants)}
    thread_ids = list(Thread.all_tenants.filter(municipality=municipality).order_by("?").values_list("id", flat=True)[:100])
    thread_times = timed_requests(client, [f"{inbox}{pk}/" for pk in thread_ids])
    emit("dialogue", {
        "db": database_label(), "threads": THREADS, **summary(base, prefix="bare"), **summary(times, prefix="inbox"),
        **{f"{name}_p95_ms": round(p95(samples) * 1000, 1) for name, samples in per_variant.items()},
        **summary(thread_times, prefix="thread"),
        "inbox_ratio_p95": round(p95(times) / p95(base), 1),
        "thread_ratio_p95": round(p95(thread_times) / p95(base), 1),
        "goal_ratio_p95": 10, "ok": p95(times) / p95(base) <= 10,
    })


if __name__ == "__main__":
    main()
