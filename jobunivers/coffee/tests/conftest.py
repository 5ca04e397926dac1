import pytest


@pytest.fixture(autouse=True)
def _danish():
    """Messages are asserted in Danish, as the citizen and the employer read them."""
    from django.utils import translation

    with translation.override("da"):
        yield


@pytest.fixture
def occupation(db):
    from .helpers import carpenter

    return carpenter()


@pytest.fixture
def boss(db):
    from .helpers import employer, place

    place("8000")
    return employer()


@pytest.fixture
def sara(municipality, occupation):
    """A carpenter in Aarhus who chose to be seen for craft jobs, showing name, occupations and skills."""
    from jobunivers.coffee.services import visibility_set

    from .helpers import seeker

    citizen = seeker(municipality, occupation, summary="Jeg er en erfaren tømrer.", skills=("træarbejde",))
    visibility_set(actor=citizen.user, citizen=citizen, is_open=True, job_kinds=["7"],
                   fields=["name", "occupations", "skills"])
    return citizen
