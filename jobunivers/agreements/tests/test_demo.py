import io
import random

import pytest

from jobunivers.agreements.demo import SESSION_RATE_ORE
from jobunivers.agreements.demo import load as load_agreements
from jobunivers.agreements.models import Agreement, Statement
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.marketplace.demo import load as load_marketplace
from jobunivers.marketplace.models import Enrolment, MunicipalOffer, UseEvent
from jobunivers.tenancy.roles import Role
from jobunivers.tenancy.services import membership_grant

pytestmark = pytest.mark.django_db


def test_demo_agreement_with_reported_sessions_and_a_statement_once(municipality, other_municipality, member):
    # given two demo municipalities with an administrator and four citizens each, the operator and the
    # demo vendor's person, and the marketplace's demo data
    for place in (municipality, other_municipality):
        type(place).objects.filter(pk=place.pk).update(is_demo=True)
        member(Role.MUNICIPALITY_ADMIN, place)
        for _n in range(4):
            CitizenFactory(municipality=place)
    member(Role.PLATFORM_OPERATOR)
    membership_grant(user=member(Role.VENDOR), role=Role.VENDOR, municipality=None, organisation="Kompetencehuset A/S")
    load_marketplace(rng=random.Random(1), stdout=io.StringIO())
    # when the agreements demo runs twice
    for _run in range(2):
        load_agreements(rng=random.Random(1), stdout=io.StringIO())
    # then each municipality has one per-session agreement about the course, shows the course, three
    # enrolments (one completed), 2 + 1 + 3 reported sessions, and one statement billing them
    for place in (municipality, other_municipality):
        agreement = Agreement.all_tenants.get(municipality=place)
        assert (agreement.payment_model, agreement.billed_use, agreement.offer.kind) == ("per_use", "session", "course")
        assert MunicipalOffer.all_tenants.filter(municipality=place, offer=agreement.offer).count() == 1
        assert sorted(Enrolment.all_tenants.filter(municipality=place).values_list("status", flat=True)) == [
            "completed", "enrolled", "enrolled"]
        sessions = UseEvent.all_tenants.filter(municipality=place, kind="session")
        assert sorted(int(e.quantity) for e in sessions) == [1, 2, 3]
        assert UseEvent.all_tenants.filter(municipality=place, kind="completed").count() == 1
        statement = Statement.all_tenants.get(municipality=place)
        assert (statement.status, statement.total_ore) == ("generated", 6 * SESSION_RATE_ORE)
