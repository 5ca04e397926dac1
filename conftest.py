"""Fixtures shared by every test: two municipalities, members of every role, signed-in clients."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from jobunivers.tenancy.roles import ALL_ROLES, NATIONAL_ROLES, Role


@pytest.fixture(autouse=True)
def _clear_tenancy_caches():
    from django.core.cache import cache

    from jobunivers.employers.selectors import clear_history_memo
    from jobunivers.jobs import catalogue
    from jobunivers.marketplace import snapshots
    from jobunivers.matching.feed import clear_feed_memo
    from jobunivers.taxonomy.selectors import clear_place_cache
    from jobunivers.taxonomy.selectors import request_finished as forget_taxonomy_freshness

    # Tests roll their transactions back, which the postings catalogue's, the employers' history memo's,
    # the marketplace snapshots' and the feed memo's version tokens cannot see. And a test client request
    # whose view raised into the test never sent request_finished, which would leave the taxonomy's
    # per-request freshness memo in place for the tests after it in the same process.
    clears = (cache.clear, catalogue.clear, clear_place_cache, clear_history_memo, snapshots.clear, clear_feed_memo,
              forget_taxonomy_freshness)
    for clear in clears:
        clear()
    yield
    for clear in clears:
        clear()


@pytest.fixture
def municipality(db):
    from jobunivers.tenancy.tests.factories import MunicipalityFactory

    return MunicipalityFactory(code="0751", name="Aarhus", slug="aarhus")


@pytest.fixture
def other_municipality(db):
    from jobunivers.tenancy.tests.factories import MunicipalityFactory

    return MunicipalityFactory(code="0101", name="København", slug="koebenhavn")


def make_member(role: str, municipality=None, **user_kwargs):
    from jobunivers.accounts.tests.factories import UserFactory
    from jobunivers.citizens.tests.factories import CitizenFactory
    from jobunivers.tenancy.services import membership_grant

    if role == Role.CITIZEN:
        return CitizenFactory(municipality=municipality, **({"user": UserFactory(**user_kwargs)} if user_kwargs else {})).user
    user = UserFactory(**user_kwargs)
    membership_grant(user=user, role=role, municipality=None if role in NATIONAL_ROLES else municipality)
    return user


@pytest.fixture
def member(db):
    """member(role, municipality) -> a user with that role there."""
    return make_member


@dataclass
class World:
    home: object
    other: object
    users: dict[str, object] = field(default_factory=dict)  # role -> user in `home` (national roles: national)
    other_users: dict[str, object] = field(default_factory=dict)  # role -> user in `other`


@pytest.fixture
def world(municipality, other_municipality):
    """Municipality A (home) and B (other), with one member of every role in each."""
    w = World(home=municipality, other=other_municipality)
    for role in sorted(ALL_ROLES):
        w.users[role] = make_member(role, municipality)
        if role not in NATIONAL_ROLES:
            w.other_users[role] = make_member(role, other_municipality)
    return w
