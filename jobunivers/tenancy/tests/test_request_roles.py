"""Within a request, roles_of answers from the memberships the request read (tenancy.permissions)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobunivers.caseworker.tests.factories import CaseNoteFactory
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core.testing import client_for, murl
from jobunivers.tenancy.models import Membership
from jobunivers.tenancy.permissions import roles_of, roles_remembered
from jobunivers.tenancy.roles import Role
from jobunivers.tenancy.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def _membership_reads(queries) -> list[str]:
    return [q["sql"] for q in queries if 'FROM "tenancy_membership"' in q["sql"]]


def test_a_consultants_citizen_page_reads_her_memberships_once(municipality, member):
    # given a consultant and a citizen with a case note
    consultant = member(Role.PERSONAL_CONSULTANT, municipality)
    citizen = CitizenFactory(municipality=municipality)
    CaseNoteFactory(citizen=citizen, author=consultant, text="Notat")
    client = client_for(consultant)
    # when she opens the citizen's page (its selectors check her role several times)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(murl(municipality, "caseworker:citizen", citizen_id=citizen.pk))
    # then the page is shown, and her memberships were read once, by the request itself
    assert response.status_code == 200
    assert len(_membership_reads(queries.captured_queries)) == 1


def test_a_membership_changed_during_the_request_is_seen_at_once(municipality, member):
    # given a consultant whose roles the request has remembered
    consultant = member(Role.PERSONAL_CONSULTANT, municipality)
    memberships = list(Membership.objects.filter(user=consultant, is_active=True))
    with roles_remembered(consultant, memberships, municipality_ids=[municipality.pk]):
        assert roles_of(consultant, municipality.pk) == {Role.PERSONAL_CONSULTANT}
        # when her membership is ended during the request
        membership = memberships[0]
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        # then she has no role there any more
        assert roles_of(consultant, municipality.pk) == frozenset()


def test_erasure_of_memberships_is_seen_at_once(municipality, member):
    # given a citizen whose roles the request has remembered
    from jobunivers.audit.registrations import erase_memberships

    user = member(Role.CITIZEN, municipality)
    with roles_remembered(user, list(Membership.objects.filter(user=user)), municipality_ids=[municipality.pk]):
        assert roles_of(user, municipality.pk) == {Role.CITIZEN}
        # when her memberships are erased (a bulk update, no signals)
        erase_memberships(user)
        # then she has no role
        assert roles_of(user, municipality.pk) == frozenset()


def test_outside_a_request_every_question_is_asked_of_the_database(municipality, member):
    # given a consultant, outside any request (a task, a command)
    consultant = member(Role.PERSONAL_CONSULTANT, municipality)
    assert roles_of(consultant, municipality.pk) == {Role.PERSONAL_CONSULTANT}
    # when her membership is ended by a bulk update
    Membership.objects.filter(user=consultant).update(is_active=False)
    # then the next question sees it
    assert roles_of(consultant, municipality.pk) == frozenset()


def test_remembered_roles_are_the_users_own_and_per_municipality(municipality, member):
    # given a consultant of Aarhus, and another municipality where she is nobody
    consultant = member(Role.PERSONAL_CONSULTANT, municipality)
    other = MunicipalityFactory(code="0101", name="København", slug="koebenhavn")
    colleague = member(Role.JOB_ADVISER, municipality)
    memberships = list(Membership.objects.filter(user=consultant, is_active=True))
    with roles_remembered(consultant, memberships, municipality_ids=[other.pk]):
        with CaptureQueriesContext(connection) as queries:
            # then her roles are known in both without a query, and a colleague's are read from the database
            assert roles_of(consultant, municipality.pk) == {Role.PERSONAL_CONSULTANT}
            assert roles_of(consultant, other.pk) == frozenset()
            assert roles_of(colleague, municipality.pk) == {Role.JOB_ADVISER}
            assert roles_of(colleague, municipality.pk) == {Role.JOB_ADVISER}
        assert len(_membership_reads(queries.captured_queries)) == 1
