import pytest

from jobunivers.taxonomy.tests.factories import DanishJobTitleFactory, OccupationFactory, PostcodeFactory


@pytest.fixture
def places(db):
    """Real postcode centres: Aarhus C, Randers C (~35 km from Aarhus), København K (~155 km)."""
    return {
        "8000": PostcodeFactory(code="8000", name="Aarhus C", latitude=56.1528, longitude=10.2036, municipality_code="0751"),
        "8900": PostcodeFactory(code="8900", name="Randers C", latitude=56.4607, longitude=10.0364, municipality_code="0730"),
        "1050": PostcodeFactory(code="1050", name="København K", latitude=55.6803, longitude=12.5868, municipality_code="0101"),
    }


@pytest.fixture
def carpenter(db):
    occupation = OccupationFactory(uri="http://data.europa.eu/esco/occupation/2a22ff9e-de3b-408d-b312-5034896cc4f4",
                                   preferred_label="carpenter", alt_labels=["joiner"], isco_code="7115")
    DanishJobTitleFactory(title="Tømrer", occupation=occupation)
    return occupation


@pytest.fixture(autouse=True)
def _english_messages():
    """Service messages are asserted in English here; the pages' Danish texts are tested in test_views."""
    from django.utils import translation

    with translation.override("en"):
        yield
