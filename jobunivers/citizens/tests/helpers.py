"""Test helpers: a job ad and ESCO occupations, created directly (the jobs and taxonomy apps own them)."""

import itertools

from django.utils import timezone

_numbers = itertools.count(1)


def make_posting(**kwargs):
    from jobunivers.jobs.models import JobPosting

    number = next(_numbers)
    now = timezone.now()
    defaults = {"source": "test", "external_id": f"test-{number}", "title": f"Lagermedarbejder {number}",
                "employer_name": "Arla Foods", "published_at": now, "changed_at": now}
    defaults.update(kwargs)
    return JobPosting.objects.create(**defaults)


def make_occupation(label: str, isco_code: str = ""):
    from jobunivers.taxonomy.models import Occupation

    number = next(_numbers)
    return Occupation.objects.create(uri=f"http://data.europa.eu/esco/occupation/test-{number}",
                                     preferred_label=label, preferred_label_da=label, isco_code=isco_code,
                                     search_labels=label.lower())


def make_skill(label: str):
    from jobunivers.taxonomy.models import Skill

    number = next(_numbers)
    return Skill.objects.create(uri=f"http://data.europa.eu/esco/skill/test-{number}", preferred_label=label,
                                preferred_label_da=label, search_labels=label.lower())
