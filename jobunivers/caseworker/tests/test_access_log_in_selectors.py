"""Searches and lists over citizens are checked and access-logged by their selector, in the
transaction of the read (docs/adr/0064): a failing read leaves no entry, and views log nothing."""

import pytest
from django.core.exceptions import PermissionDenied

from jobunivers.audit.models import AccessLogEntry
from jobunivers.availability import selectors as availability_selectors
from jobunivers.caseworker import selectors
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core.context import tenant_context
from jobunivers.core.errors import NotFound
from jobunivers.core.testing import client_for, murl
from jobunivers.segmentation.tests.factories import assignment
from jobunivers.tenancy.models import Membership
from jobunivers.tenancy.roles import Role

pytestmark = pytest.mark.django_db


def _entries():
    return list(AccessLogEntry.all_tenants.order_by("sequence").values_list(
        "actor_user_id", "action", "purpose", "what", "criterion"))


def _fail(*args, **kwargs):
    raise RuntimeError("boom")


def test_citizen_search_logs_its_criterion_and_a_failing_search_logs_nothing(municipality, member, monkeypatch):
    adviser = member(Role.JOB_ADVISER, municipality)
    found = CitizenFactory(municipality=municipality, user__first_name="Karen", user__last_name="Holm")
    with tenant_context(municipality):
        assert selectors.access_citizen_search(actor=adviser, municipality_id=municipality.pk, text="") == []
        assert _entries() == []
        results = selectors.access_citizen_search(actor=adviser, municipality_id=municipality.pk, text=" Karen ")
        assert results == [found]
        assert _entries() == [(adviser.pk, "search", "help", "citizen search", "name: Karen")]
        monkeypatch.setattr(selectors, "search_citizens", _fail)
        with pytest.raises(RuntimeError):
            selectors.access_citizen_search(actor=adviser, municipality_id=municipality.pk, text="Holm")
    assert len(_entries()) == 1


def test_citizen_search_is_refused_to_citizens_and_other_municipalities_staff(municipality, other_municipality,
                                                                              member):
    CitizenFactory(municipality=municipality, user__first_name="Karen")
    with tenant_context(municipality):
        for actor in (member(Role.CITIZEN, municipality), member(Role.JOB_ADVISER, other_municipality)):
            with pytest.raises(NotFound):
                selectors.access_citizen_search(actor=actor, municipality_id=municipality.pk, text="Karen")
    assert _entries() == []


def test_worklist_logs_its_filters_in_the_selector(municipality, member, monkeypatch):
    consultant = member(Role.PERSONAL_CONSULTANT, municipality)
    citizen = CitizenFactory(municipality=municipality, user__first_name="Borger")
    assignment(citizen, consultant)
    membership = Membership.objects.get(user=consultant, municipality=municipality)
    with tenant_context(municipality):
        data = selectors.access_worklist(actor=consultant, membership=membership, alert_keys=[], inactive_days=30,
                                         sort="name", text="Borg")
        assert [row.citizen for row in data.rows] == [citizen]
        assert _entries() == [(consultant.pk, "search", "help", "worklist (Mine borgere)",
                               "days=30&sort=name&q=Borg")]
        # another user's membership is not a way in
        with pytest.raises(NotFound):
            selectors.access_worklist(actor=member(Role.PERSONAL_CONSULTANT, municipality), membership=membership,
                                      alert_keys=[], inactive_days=None, sort="alerts")
        monkeypatch.setattr(selectors, "worklist", _fail)
        with pytest.raises(RuntimeError):
            selectors.access_worklist(actor=consultant, membership=membership, alert_keys=[], inactive_days=None,
                                      sort="alerts")
    assert len(_entries()) == 1


def test_conversation_day_and_find_log_in_the_selector(municipality, member, monkeypatch):
    adviser = member(Role.JOB_ADVISER, municipality)
    assistant = member(Role.JOB_JOURNEY_ASSISTANT, municipality)
    CitizenFactory(municipality=municipality)
    with tenant_context(municipality):
        selectors.access_conversation_day(actor=adviser,
                                          membership=Membership.objects.get(user=adviser, municipality=municipality))
        result = selectors.access_find(actor=assistant, municipality_id=municipality.pk, limit=10,
                                       query=selectors.FindQuery(postcode_prefix="8"))
        with pytest.raises(NotFound):  # the adviser does not send to groups
            selectors.access_find(actor=adviser, municipality_id=municipality.pk, limit=10)
        with pytest.raises(PermissionDenied):
            selectors.access_conversation_day(
                actor=assistant, membership=Membership.objects.get(user=adviser, municipality=municipality))
        monkeypatch.setattr(selectors, "find_citizens", _fail)
        with pytest.raises(RuntimeError):
            selectors.access_find(actor=assistant, municipality_id=municipality.pk, limit=10)
    entries = _entries()
    assert [e[:4] for e in entries] == [(adviser.pk, "search", "help", "conversation day"),
                                        (assistant.pk, "search", "help", "find citizens")]
    assert entries[1][4] == "cap=10&postcode_prefix=8"
    assert isinstance(result, selectors.FindResult)


def test_availability_worklist_logs_in_the_selector(municipality, other_municipality, member, monkeypatch):
    adviser = member(Role.JOB_ADVISER, municipality)
    with tenant_context(municipality):
        with pytest.raises(NotFound):
            availability_selectors.access_past_deadline(actor=member(Role.JOB_ADVISER, other_municipality),
                                                        municipality_id=municipality.pk)
        data = availability_selectors.access_past_deadline(actor=adviser, municipality_id=municipality.pk)
        assert (data.statuses, data.total) == ([], 0)
        monkeypatch.setattr(availability_selectors, "count_past_deadline", _fail)
        with pytest.raises(RuntimeError):
            availability_selectors.access_past_deadline(actor=adviser, municipality_id=municipality.pk)
    assert _entries() == [(adviser.pk, "search", "availability", "availability worklist",
                           "availability deadline passed")]


def test_the_search_page_logs_once_through_the_selector(municipality, member):
    adviser = member(Role.JOB_ADVISER, municipality)
    CitizenFactory(municipality=municipality, user__first_name="Karen")
    response = client_for(adviser).post(murl(municipality, "caseworker:search"), {"q": "Karen"})
    assert response.status_code == 200 and "Karen" in response.content.decode()
    assert _entries() == [(adviser.pk, "search", "help", "citizen search", "name: Karen")]
