"""The start page's slots read the citizen's profile once between them (profiles_read_once)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobunivers.citizens import selectors
from jobunivers.citizens.models import Profile
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core.context import tenant_context

pytestmark = pytest.mark.django_db


def test_inside_the_block_a_profile_is_read_once_and_outside_every_time(municipality):
    citizen = CitizenFactory(municipality=municipality)
    Profile.all_tenants.create(municipality=municipality, citizen=citizen, radius_km=15)
    with tenant_context(municipality):
        with CaptureQueriesContext(connection) as inside, selectors.profiles_read_once():
            first = selectors.profile_for(citizen_id=citizen.pk)
            again = selectors.profile_for(citizen_id=citizen.pk)
        reads_inside = len(inside.captured_queries)
        with CaptureQueriesContext(connection) as outside:
            selectors.profile_for(citizen_id=citizen.pk)
            selectors.profile_for(citizen_id=citizen.pk)
    assert again is first and first.radius_km == 15
    assert len(outside.captured_queries) == 2 * reads_inside
