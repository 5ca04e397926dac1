"""Postings for tests in every app. Create through `create_posting` when the FTS index matters
(it goes through the import service, like every real posting)."""

import factory
from django.utils import timezone

from jobunivers.jobs.models import JobPosting, PostingStatus
from jobunivers.jobs.services import search_text_for


class JobPostingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobPosting

    source = "test"
    external_id = factory.Sequence(lambda n: f"test-{n}")
    title = factory.Sequence(lambda n: f"Tømrer {n}")
    description = "Vi søger en dygtig tømrer til renovering af boliger."
    employer_name = "Eksempel Byg ApS"
    postcode = "8000"
    city = "Aarhus C"
    municipality_code = "0751"
    latitude = 56.1528
    longitude = 10.2036
    hours = "full_time"
    employment_type = "permanent"
    published_at = factory.LazyFunction(timezone.now)
    changed_at = factory.LazyFunction(timezone.now)
    status = PostingStatus.ACTIVE
    search_text = factory.LazyAttribute(
        lambda o: search_text_for(title=o.title, employer_name=o.employer_name, description=o.description))


def kitchen_record(**changes):
    """One feed record for the import service ("Kok til kantine" in Aarhus C, full time, a deadline in
    60 days), with `changes` applied: tests that import, change and expire the same ad."""
    from datetime import timedelta

    from jobunivers.jobs.sources.base import FeedRecord

    values = {"position": "ad 1", "external_id": "k-1", "title": "Kok til kantine", "employer_name": "Kantinen",
              "postcode": "8000", "city": "Aarhus C", "municipality_code": "0751", "latitude": 56.1528,
              "longitude": 10.2036, "hours": "full_time", "application_deadline": timezone.localdate() + timedelta(days=60),
              "published_at": timezone.now() - timedelta(days=1)}
    return FeedRecord(**{**values, **changes})
