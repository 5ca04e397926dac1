"""Citizens with profiles, postings and job logs for the advice tests."""

from __future__ import annotations

import datetime

from django.utils import timezone

from jobunivers.citizens.models import Citizen, CvDocument, Education, JobLogEntry, Profile, WorkExperience
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.jobs.tests.factories import JobPostingFactory
from jobunivers.taxonomy.tests.factories import OccupationFactory, PostcodeFactory

AARHUS = (56.1528, 10.2036)
RANDERS = (56.4607, 10.0364)  # about 37 km north of Aarhus


def occupation(label: str = "Tømrer", isco: str = "7115", **kwargs):
    return OccupationFactory(preferred_label=label, preferred_label_da=label, isco_code=isco, **kwargs)


def seeker(municipality, *, user=None, occupations=(), radius_km: int = 25, postcode: str | None = "8000",
           skills: bool = True, **citizen_kwargs) -> Citizen:
    place = PostcodeFactory(code="8000") if postcode == "8000" else (
        PostcodeFactory(code=postcode, name="Randers C", latitude=RANDERS[0], longitude=RANDERS[1],
                        municipality_code="0730") if postcode else None)
    if user is not None:
        citizen = Citizen.all_tenants.get(user=user)
        Citizen.all_tenants.filter(pk=citizen.pk).update(postcode=place)
        citizen.refresh_from_db()
    else:
        citizen = CitizenFactory(municipality=municipality, postcode=place, **citizen_kwargs)
    profile = Profile.all_tenants.create(citizen=citizen, municipality=citizen.municipality, radius_km=radius_km,
                                         skill_uris=["http://data.europa.eu/esco/skill/x"] if skills else [])
    profile.occupations.set(list(occupations))
    return citizen


def complete(citizen) -> None:
    """CV, experience and education: the profile topic is ok."""
    CvDocument.all_tenants.create(citizen=citizen, municipality=citizen.municipality, storage_name=f"cv-{citizen.pk}.pdf",
                                  original_name="cv.pdf", content_type="application/pdf", size_bytes=10)
    WorkExperience.all_tenants.create(citizen=citizen, municipality=citizen.municipality, employer="Byg A/S",
                                      title="Tømrer", started_on=datetime.date(2015, 1, 1))
    Education.all_tenants.create(citizen=citizen, municipality=citizen.municipality, title="Tømreruddannelse")


def log_entry(citizen, *, days_ago: int = 1, kind: str = "application", status: str = "sent",
              employer: str = "Byg A/S") -> JobLogEntry:
    return JobLogEntry.all_tenants.create(
        citizen=citizen, municipality=citizen.municipality, kind=kind, employer=employer, job_title="Tømrer",
        occurred_on=timezone.localdate() - datetime.timedelta(days=days_ago), status=status)


def postings(count: int, occupation, *, at=AARHUS, employer: str = "Eksempel Byg ApS", days_ago: int = 0):
    published = timezone.now() - datetime.timedelta(days=days_ago)
    return [JobPostingFactory(occupation=occupation, isco_code=occupation.isco_code, latitude=at[0],
                              longitude=at[1], employer_name=employer, published_at=published,
                              changed_at=published) for _i in range(count)]


def store_diagnoses(citizen_ids) -> int:
    from jobunivers.advice.facts import market_index
    from jobunivers.advice.services import diagnoses_compute

    market = market_index()
    return sum(diagnoses_compute(first_id=citizen_id, last_id=citizen_id, market=market) for citizen_id in citizen_ids)
