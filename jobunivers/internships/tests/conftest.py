import pytest


@pytest.fixture(autouse=True)
def _danish():
    """Messages are asserted in Danish, as the citizen, the employer and the caseworker read them."""
    from django.utils import translation

    with translation.override("da"):
        yield


@pytest.fixture
def today():
    from django.utils import timezone

    return timezone.localdate()


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
    from .helpers import seeker

    return seeker(municipality, occupation)


@pytest.fixture
def adviser(municipality, member):
    from jobunivers.tenancy.roles import Role

    return member(Role.JOB_ADVISER, municipality, first_name="Anne", last_name="Rådgiver")


@pytest.fixture
def published(boss, occupation, sara, today):
    """Bente's place, offered: Sara has the card."""
    from jobunivers.internships import services
    from jobunivers.internships.models import Suggestion

    from .helpers import place_data

    user, membership = boss
    place = services.place_publish(actor=user, membership=membership, data=place_data(occupation, today=today),
                                   today=today)
    services.place_offer(place_id=place.pk, today=today)
    return place, Suggestion.all_tenants.get(citizen=sara, place=place)


@pytest.fixture
def applied(published, sara, today):
    from jobunivers.internships import services

    place, suggestion = published
    application = services.application_submit(actor=sara.user, citizen=sara, suggestion_id=suggestion.pk,
                                              motivation="Jeg vil gerne lære faget.",
                                              fields=["name", "occupations"], today=today)
    return place, application
