"""Never over the number of places, decided by the lock on the group row: six citizens take the last two places
of a course at the same moment, and the same citizen joins twice at once, each in its own thread and
database connection (PostgreSQL; SQLite serialises writers)."""

import threading

import pytest
from django.db import connection, connections

from jobunivers.groups import services
from jobunivers.groups.models import Enrolment

from .helpers import citizen, group


def _all_at_once(calls) -> list[str]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []
    lock = threading.Lock()

    def work(call):
        try:
            barrier.wait(timeout=60)
            result = call().status
        except Exception as error:  # noqa: BLE001 - reported below
            result = f"error {error!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=work, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_six_citizens_at_once_fill_two_places_and_the_rest_wait(teacher, municipality):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with concurrent writers (run with DATABASE_URL=postgres://...)")
    # given a course with two places and one meeting, and six citizens
    course = group(teacher, municipality, kind="course", capacity=2, sessions=1)
    people = [citizen(municipality, f"Person{n}") for n in range(6)]
    # when they all join at the same moment
    outcomes = _all_at_once([lambda p=p: services.join(actor=p.user, citizen=p, group_id=course.pk)
                             for p in people])
    # then exactly two have a place and four wait, and no one failed
    assert sorted(outcomes) == ["enrolled"] * 2 + ["waiting"] * 4
    assert sorted(Enrolment.all_tenants.values_list("status", flat=True)) == ["enrolled"] * 2 + ["waiting"] * 4


@pytest.mark.django_db(transaction=True)
def test_the_same_citizen_joining_twice_at_once_gets_one_enrolment(teacher, municipality):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with concurrent writers (run with DATABASE_URL=postgres://...)")
    club = group(teacher, municipality, capacity=5, sessions=1)
    sara = citizen(municipality)
    outcomes = _all_at_once([lambda: services.join(actor=sara.user, citizen=sara, group_id=club.pk)] * 2)
    assert sorted(outcomes) == ["enrolled", "error ValidationFailed('Du er allerede tilmeldt holdet.')"]
    assert Enrolment.all_tenants.count() == 1
