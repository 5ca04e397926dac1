import pytest

from jobunivers.citizens.models import Profile
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.taxonomy.tests.factories import IscoGroupFactory, OccupationFactory, PostcodeFactory


@pytest.fixture
def warehouse(db):
    IscoGroupFactory(code="9334", preferred_label="Shelf fillers", preferred_label_da="Lagerarbejdere")
    return OccupationFactory(preferred_label="warehouse worker", preferred_label_da="lagermedarbejder", isco_code="9334")


@pytest.fixture
def citizen(municipality, warehouse):
    """A citizen in Aarhus C (8000) who seeks work as a warehouse worker within 25 km."""
    person = CitizenFactory(municipality=municipality, postcode=PostcodeFactory())
    profile = Profile.all_tenants.create(municipality=municipality, citizen=person, radius_km=25)
    profile.occupations.add(warehouse)
    return person


@pytest.fixture
def other_citizen(other_municipality, warehouse):
    person = CitizenFactory(municipality=other_municipality, postcode=PostcodeFactory())
    profile = Profile.all_tenants.create(municipality=other_municipality, citizen=person, radius_km=25)
    profile.occupations.add(warehouse)
    return person
