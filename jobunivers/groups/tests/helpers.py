"""Test data for courses and job clubs: citizens, a group with meetings, moments relative to the frozen NOW."""

from __future__ import annotations

import datetime

from django.utils import timezone

from jobunivers.accounts.tests.factories import UserFactory
from jobunivers.citizens.tests.factories import CitizenFactory


def citizen(municipality, first_name="Sara", last_name="Jensen"):
    return CitizenFactory(municipality=municipality, user=UserFactory(first_name=first_name, last_name=last_name))


def at(days: int, hour: int = 9) -> datetime.datetime:
    """`days` after today (the frozen NOW in this app's tests, the real day elsewhere), at `hour` UTC."""
    return timezone.now().replace(hour=hour, minute=0, second=0, microsecond=0) + datetime.timedelta(days=days)


def group(teacher, municipality, *, kind="job_club", capacity=2, title="Jobklub Aarhus", sessions=2, partners=(),
          place="Jobcentret, lokale 2"):
    from jobunivers.groups.services import group_create, session_add

    made = group_create(actor=teacher, municipality_id=municipality.pk, kind=kind, title=title,
                        description="Vi hjælper hinanden.", capacity=capacity, is_cross_municipal=bool(partners),
                        partner_ids=[p.pk for p in partners])
    for number in range(sessions):
        session_add(actor=teacher, group=made, starts_at=at(2 + 7 * number), ends_at=at(2 + 7 * number, 11),
                    place="" if partners else place, video_link="https://video.example.dk/m" if partners else "")
    return made
