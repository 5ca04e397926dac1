"""Organisations with postings, and follows, for tests. Postings are made with the jobs factory and
indexed through the service (as the PostingsPublished handler does)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from jobunivers.employers.models import Follow, FollowKind, Organisation
from jobunivers.employers.services import organisations_index
from jobunivers.jobs.tests.factories import JobPostingFactory


def postings(name: str, *, count: int = 1, cvr: str = "", occupation=None, days_ago=(0,), **fields):
    """`count` postings per age in `days_ago`, indexed; returns the postings."""
    made = []
    now = timezone.now()
    for age in days_ago:
        for _ in range(count):
            when = now - datetime.timedelta(days=age)
            made.append(JobPostingFactory(employer_name=name, employer_cvr=cvr, occupation=occupation,
                                          isco_code=occupation.isco_code if occupation else "",
                                          published_at=when, changed_at=when, **fields))
    organisations_index(posting_ids=[p.pk for p in made])
    return made


def organisation(name: str, **kwargs) -> Organisation:
    made = postings(name, **kwargs)
    return Organisation.objects.get(postings__posting_id=made[0].pk)


def follow(citizen, organisation: Organisation, *, notify: bool = True) -> Follow:
    return Follow.all_tenants.create(municipality_id=citizen.municipality_id, citizen=citizen,
                                     kind=FollowKind.EMPLOYER, organisation=organisation, notify=notify)
