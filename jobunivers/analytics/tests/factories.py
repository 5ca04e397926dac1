"""Spells of unemployment for the analytics tests."""

from __future__ import annotations

import datetime

import factory

from jobunivers.analytics.models import OutcomeSource, UnemploymentSpell
from jobunivers.citizens.tests.factories import CitizenFactory


class SpellFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnemploymentSpell

    citizen = factory.SubFactory(CitizenFactory)
    municipality = factory.LazyAttribute(lambda spell: spell.citizen.municipality)
    source = OutcomeSource.REGISTER
    reference = factory.Sequence(lambda n: f"DFDG-{n:06d}")
    started_on = datetime.date(2026, 1, 5)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.all_tenants.create(*args, **kwargs)
