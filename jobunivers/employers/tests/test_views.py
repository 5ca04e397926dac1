"""The citizen pages of employers: follow, unfollow and notices; bad input gives a Danish message and writes
nothing; another municipality's follow is 404; an unsolicited application is logged in one step."""

import pytest

from jobunivers.citizens.models import JobLogEntry
from jobunivers.core.testing import client_for, murl
from jobunivers.employers.models import Follow

from . import factories

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_follow_an_employer_from_its_page_and_again(citizen):
    netto = factories.organisation("Netto")
    client = client_for(citizen.user)
    url = murl(citizen.municipality, "employers:follow")
    first = client.post(url, {"organisation_id": netto.pk}, follow=True)
    again = client.post(url, {"organisation_id": netto.pk}, follow=True)
    assert _messages(first) == ["Du følger nu Netto. Nye job derfra kommer først i dine job til dig."]
    assert _messages(again) == ["Du følger allerede Netto."]
    assert Follow.all_tenants.filter(citizen=citizen).count() == 1
    found = client.get(murl(citizen.municipality, "employers:follows") + "?q=netto").content.decode()
    assert "Du følger den." in found and "Følg<span class=\"sr-only\">: Netto</span>" not in found
    page = client.get(murl(citizen.municipality, "employers:employer", organisation_id=netto.pk))
    assert "Du følger denne virksomhed." in page.content.decode()


@pytest.mark.parametrize("data", [{"organisation_id": "999999"}, {"organisation_id": "x"}, {},
                                  {"organisation_id": "1" * 40}, {"isco_code": "99999"}, {"isco_code": "abc"}])
def test_bad_follows_are_refused_in_danish_and_write_nothing(citizen, data):
    response = client_for(citizen.user).post(murl(citizen.municipality, "employers:follow"), data, follow=True)
    assert response.status_code == 200
    assert _messages(response) in (["Vi kender ikke den virksomhed."], ["Vælg en faggruppe fra listen."])
    assert Follow.all_tenants.count() == 0


def test_another_municipalitys_follow_cannot_be_changed(citizen, other_citizen):
    theirs = factories.follow(other_citizen, factories.organisation("Netto"))
    client = client_for(citizen.user)
    for name, data in (("employers:unfollow", {}), ("employers:follow_notify", {"notify": "off"})):
        response = client.post(murl(citizen.municipality, name, follow_id=theirs.pk), data)
        assert response.status_code == 404
    assert list(Follow.all_tenants.values_list("pk", "notify")) == [(theirs.pk, True)]


def test_turn_notices_off_and_unfollow(citizen):
    mine = factories.follow(citizen, factories.organisation("Netto"))
    client = client_for(citizen.user)
    client.post(murl(citizen.municipality, "employers:follow_notify", follow_id=mine.pk), {"notify": "off"})
    assert Follow.all_tenants.get().notify is False
    client.post(murl(citizen.municipality, "employers:unfollow", follow_id=mine.pk))
    assert Follow.all_tenants.count() == 0


def test_the_old_free_text_is_shown_with_suggestions(citizen):
    from jobunivers.citizens.models import Profile

    Profile.all_tenants.filter(citizen=citizen).update(followed_companies="Netto, Ukendt Firma")
    factories.organisation("Netto A/S")
    page = client_for(citizen.user).get(murl(citizen.municipality, "employers:follows")).content.decode()
    assert "Det du skrev før" in page and "Netto, Ukendt Firma" in page
    assert "Følg<span class=\"sr-only\">: Netto A/S</span>" in page
    assert "ingen virksomhed med det navn har slået job op her endnu." in page


def test_likely_page_and_why(citizen, warehouse):
    netto = factories.organisation("Netto", occupation=warehouse, days_ago=(10, 40, 70))
    client = client_for(citizen.user)
    page = client.get(murl(citizen.municipality, "employers:likely")).content.decode()
    assert "Netto har slået 3 stillinger som lagermedarbejder op det seneste år." in page
    why = client.get(murl(citizen.municipality, "employers:why", organisation_id=netto.pk)).content.decode()
    assert "Derfor viser vi Netto" in why and "Udvikling" in why
    # an occupation that does not exist falls back to the citizen's own
    odd = client.get(murl(citizen.municipality, "employers:likely") + "?occupation=99999999").content.decode()
    assert "Netto har slået 3 stillinger" in odd
    assert client.get(murl(citizen.municipality, "employers:why", organisation_id=424242)).status_code == 404


def test_unsolicited_application_in_one_step_and_bad_ids(citizen, warehouse):
    netto = factories.organisation("Netto", occupation=warehouse)
    client = client_for(citizen.user)
    ok = client.post(murl(citizen.municipality, "employers:unsolicited", organisation_id=netto.pk),
                     {"occupation": warehouse.pk}, follow=True)
    assert _messages(ok) == ["Den uopfordrede ansøgning står nu i din joblog."]
    bad = client.post(murl(citizen.municipality, "employers:unsolicited", organisation_id=424242), follow=True)
    assert _messages(bad) == ["Vi kender ikke den virksomhed."]
    assert list(JobLogEntry.all_tenants.values_list("employer", "job_title")) == [
        ("Netto", "Uopfordret ansøgning som lagermedarbejder")]


def test_staff_have_no_citizen_pages_here(member, municipality):
    from jobunivers.tenancy.roles import Role

    adviser = member(Role.JOB_ADVISER, municipality)
    assert client_for(adviser).get(murl(municipality, "employers:likely")).status_code == 404
