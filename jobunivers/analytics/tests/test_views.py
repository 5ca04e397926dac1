"""The citizen's "Jeg har fået job" page and the staff page of a citizen's spells."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from jobunivers.analytics.models import UnemploymentSpell
from jobunivers.audit.models import AccessLogEntry
from jobunivers.citizens.models import Citizen
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core.testing import client_for, murl

from .factories import SpellFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen(world):
    person = Citizen.all_tenants.get(user=world.users["citizen"])
    Citizen.all_tenants.filter(pk=person.pk).update(registered_on=datetime.date(2026, 1, 5))
    person.refresh_from_db()
    return person


def test_the_citizen_says_they_got_a_job_and_sees_it_beside_the_register(world, citizen):
    # given a register spell
    SpellFactory(citizen=citizen, reference="DFDG-1")
    client = client_for(world.users["citizen"])
    day = timezone.localdate()
    # when the citizen reports a job from today
    response = client.post(murl(world.home, "analytics:own_job"), {"started_job_on": day.isoformat()}, follow=True)
    # then the page thanks them and lists both rows, each labelled by its source
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tillykke! Vi har noteret, at du starter i job." in page
    assert "Meldt af borgeren" in page and "Register (indlæst)" in page
    assert "Registerets reference: DFDG-1" in page
    assert list(UnemploymentSpell.all_tenants.filter(source="citizen").values_list("ended_on", "exit_reason")) == [
        (day, "job")]


def test_a_bad_date_is_explained_in_danish_and_nothing_is_written(world, citizen):
    client = client_for(world.users["citizen"])
    for value, message in [("", "Skriv den dag du starter."), ("igår", "Skriv en dato som 31-01-2026."),
                           ("2025-12-31", "Datoen ligger før du blev tilmeldt som ledig (05.01.2026).")]:
        response = client.post(murl(world.home, "analytics:own_job"), {"started_job_on": value})
        assert response.status_code == 400
        assert message in response.content.decode()
    assert UnemploymentSpell.all_tenants.count() == 0


def test_the_citizen_withdraws_their_report_but_not_anothers(world, citizen):
    client = client_for(world.users["citizen"])
    client.post(murl(world.home, "analytics:own_job"), {"started_job_on": timezone.localdate().isoformat()})
    own = UnemploymentSpell.all_tenants.get(citizen=citizen)
    someone_else = SpellFactory(citizen=CitizenFactory(municipality=world.home), source="citizen", reference="")
    # when the citizen tries another's report, then it is not found and stays
    response = client.post(murl(world.home, "analytics:own_job_withdraw"), {"spell_id": someone_else.pk})
    assert response.status_code == 404
    assert client.post(murl(world.home, "analytics:own_job_withdraw"), {"spell_id": "x"}).status_code == 404
    # when they withdraw their own, it is gone
    response = client.post(murl(world.home, "analytics:own_job_withdraw"), {"spell_id": own.pk})
    assert response.status_code == 302
    assert list(UnemploymentSpell.all_tenants.values_list("pk", flat=True)) == [someone_else.pk]


def test_other_roles_cannot_use_the_citizen_pages(world, citizen):
    for role in ("job_adviser", "municipality_admin", "vendor"):
        client = client_for(world.users[role])
        assert client.get(murl(world.home, "analytics:own_job")).status_code in (403, 404)
        assert client.post(murl(world.home, "analytics:own_job_withdraw"), {"spell_id": 1}).status_code in (403, 404)
    assert UnemploymentSpell.all_tenants.count() == 0


def test_staff_see_the_spells_labelled_and_record_one(world, citizen):
    # given a register row and the citizen's own report
    SpellFactory(citizen=citizen, reference="DFDG-7")
    client = client_for(world.users["job_adviser"])
    url = murl(world.home, "analytics:citizen_spells", citizen_id=citizen.pk)
    # when an adviser opens the page and records a spell that ended in education
    page = client.get(url).content.decode()
    response = client.post(url, {"started_on": "2026-01-05", "ended_on": "2026-02-01", "exit_reason": "education"},
                           follow=True)
    # then the page showed the register row, and now shows the job centre's row too; both reads are logged
    assert "Register (indlæst)" in page and "Registerets reference: DFDG-7" in page
    assert "Registreret af jobcentret" in response.content.decode()
    assert list(UnemploymentSpell.all_tenants.filter(source="staff").values_list("started_on", "ended_on", "exit_reason")) == [
        (datetime.date(2026, 1, 5), datetime.date(2026, 2, 1), "education")]
    assert list(AccessLogEntry.all_tenants.filter(citizen_id=citizen.pk).order_by("pk").values_list("action", "what")) == [
        ("read", "unemployment spells"), ("read", "unemployment spells"), ("change", "unemployment spells"),
        ("read", "unemployment spells")]


def test_staff_bad_input_is_explained_and_nothing_is_written(world, citizen):
    client = client_for(world.users["job_adviser"])
    url = murl(world.home, "analytics:citizen_spells", citizen_id=citizen.pk)
    response = client.post(url, {"started_on": "2026-03-01", "ended_on": "2026-02-01", "exit_reason": "job"})
    assert response.status_code == 400
    assert "Slutningen ligger før starten." in response.content.decode()
    assert UnemploymentSpell.all_tenants.count() == 0
