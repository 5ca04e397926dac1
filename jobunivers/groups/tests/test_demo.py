"""The demo data: a job club and a blended course in each demo municipality, with meetings and participants;
a second run adds nothing."""

from __future__ import annotations

import random

import pytest

from jobunivers.groups.models import Enrolment, Group, Session
from jobunivers.tenancy.roles import Role

from .helpers import citizen

pytestmark = pytest.mark.django_db


class _Out:
    def __init__(self):
        self.lines = []

    def write(self, text):
        self.lines.append(text)


def test_demo_makes_a_club_and_a_full_course_once(municipality, member):
    from jobunivers.groups.demo import load
    from jobunivers.tenancy.models import Municipality

    Municipality.objects.filter(pk=municipality.pk).update(is_demo=True)
    member(Role.JOB_ADVISER, municipality)
    people = [citizen(municipality, name) for name in ("Anna", "Bo", "Carl", "Dorte")]
    from jobunivers.citizens.models import Citizen

    Citizen.all_tenants.filter(pk__in=[p.pk for p in people]).update(is_demo=True)
    load(rng=random.Random(1), stdout=_Out())
    load(rng=random.Random(1), stdout=_Out())
    assert sorted(Group.all_tenants.values_list("kind", "capacity")) == [("course", 2), ("job_club", 12)]
    assert Session.all_tenants.count() == 6
    course = Group.all_tenants.get(kind="course")
    assert sorted(Enrolment.all_tenants.filter(group=course).values_list("status", flat=True)) == [
        "enrolled", "enrolled", "waiting", "waiting"]
