"""Test helpers for journeys: citizens on a track, and journeys built and published through the services."""

from __future__ import annotations

import datetime

from django.utils import timezone

from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.journeys import services
from jobunivers.journeys.models import JourneyVersion
from jobunivers.segmentation.tests.factories import decision, suggestion, tracks


def track_key(municipality, level: int = 1) -> str:
    return tracks(municipality)[level].key


def on_track(municipality, *, level: int = 1, by=None, **citizen_kwargs):
    """A citizen whose current track (the newest decision) is the track of this support level."""
    from jobunivers.accounts.tests.factories import UserFactory

    citizen = CitizenFactory(municipality=municipality, **citizen_kwargs)
    decision(suggestion(citizen, level=level), by=by or UserFactory())
    return citizen


def step(**overrides) -> dict:
    values = {"kind": "message", "title": "Velkommen", "body": "Tre gode råd til din første uge.", "wait_days": 0,
              "condition": "none", "condition_days": 7}
    values.update(overrides)
    return values


def journey(municipality, admin, *, steps=(), level: int = 1, name="Velkomstforløb", experiment=None,
            publish=True):
    """A journey with these steps (dicts for services.step_save), an optional experiment (kwargs of
    services.experiment_save) and, by default, published. Returns (journey, version)."""
    made = services.journey_create(actor=admin, municipality_id=municipality.pk, name=name,
                                   why="Du er ny som ledig, så vi sender dig nogle råd.",
                                   track_key=track_key(municipality, level))
    version = JourneyVersion.all_tenants.get(journey=made)
    for data in steps or [step()]:
        services.step_save(actor=admin, version=version, data=data)
    if experiment is not None:
        services.experiment_save(actor=admin, version=version, **experiment)
    if publish:
        version = services.version_publish(actor=admin, version=version)
    return made, version


def two_arms(key="velkomst-test", *, holdout=0, step_position=1, weights=(50, 50)) -> dict:
    return {"key": key, "name": "Kort eller lang tekst", "step_position": step_position, "holdout_percent": holdout,
            "variants": [{"key": "a", "name": "Kort", "weight": weights[0], "title": "Kort velkomst", "body": "",
                          "wait_days": ""},
                         {"key": "b", "name": "Lang", "weight": weights[1], "title": "Lang velkomst",
                          "body": "En længere tekst.", "wait_days": ""}]}


def whole_journey_arms(key="tone-test", *, holdout=0, texts_a=None, texts_b=None, weights=(50, 50)) -> dict:
    """A whole-journey experiment (step None) whose arms word steps their own way: texts_* map a step
    position to {"title", "body"}."""
    return {"key": key, "name": "Neutral eller personlig tone", "step_position": None, "holdout_percent": holdout,
            "variants": [{"key": "a", "name": "Neutral", "weight": weights[0], "title": "", "body": "",
                          "wait_days": "", "texts": texts_a or {}},
                         {"key": "b", "name": "Personlig", "weight": weights[1], "title": "", "body": "",
                          "wait_days": "", "texts": texts_b or {}}]}


def next_monday() -> datetime.datetime:
    """The next Monday 10:00 still to come, within a week of now: notices are stamped with the real time,
    and the weekly cap counts from them. (On a Monday before 10:00 that is today: a week later, the
    notices just sent fell outside the cap's seven days.)"""
    now = timezone.now()
    monday = now.replace(hour=10, minute=0, second=0, microsecond=0) + datetime.timedelta(days=(7 - now.weekday()) % 7)
    return monday if monday > now else monday + datetime.timedelta(days=7)
