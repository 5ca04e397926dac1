"""Internships' pages: the citizen's card, application and status; the start-page slot; the employer's form with
Danish errors and nothing written, the applicants with exactly what each shared (access-logged, shown in "Mine
data"); every employer URL 404 for another organisation; the caseworker's decision; and the approved
internship in the citizen's plan."""

import datetime

import pytest
from django.utils import timezone

from jobunivers.audit.models import AccessLogEntry
from jobunivers.core.testing import client_for, murl, nurl
from jobunivers.internships import services
from jobunivers.internships.models import Application, Place

from .helpers import employer, place_data

pytestmark = pytest.mark.django_db


def _form(data: dict) -> dict:
    return {key: (value.isoformat() if isinstance(value, datetime.date) else value) for key, value in data.items()}


# --- citizen ---------------------------------------------------------------------------------------------

def test_the_citizen_sees_the_card_applies_once_and_sees_the_status(published, sara, municipality):
    place, card = published
    client = client_for(sara.user)
    page = client.get(murl(municipality, "internships:list")).content.decode()
    assert "Byggesen Tømrer ApS: Tømrerhjælper" in page
    assert f'href="/aarhus/min-side/praktik/{card.pk}/ansoeg/"' in page
    form = client.get(murl(municipality, "internships:apply", suggestion_id=card.pk)).content.decode()
    assert "Hvorfor vil du gerne i denne praktik?" in form and 'value="name"' in form
    done = client.post(murl(municipality, "internships:apply", suggestion_id=card.pk),
                       {"motivation": "Jeg vil lære faget.", "shares": ["name", "skills"]}, follow=True)
    text = done.content.decode()
    assert "Din ansøgning er sendt. Jobcentret afgør den, og du får besked." in text
    assert "Status: Søgt" in text and "Du delte: Mit navn, Mine kompetencer." in text
    again = client.post(murl(municipality, "internships:apply", suggestion_id=card.pk),
                        {"motivation": "Igen", "shares": []})
    assert again.status_code == 422  # refused: the page says so instead of showing the form
    assert "Du har allerede søgt denne praktik." in again.content.decode()
    assert Application.all_tenants.count() == 1


def test_a_bad_application_is_shown_with_its_error_and_nothing_is_written(published, sara, municipality):
    _place, card = published
    response = client_for(sara.user).post(murl(municipality, "internships:apply", suggestion_id=card.pk),
                                          {"motivation": "", "shares": ["cpr"]})
    assert response.status_code == 422
    assert Application.all_tenants.count() == 0


def test_the_citizen_withdraws_through_the_page(applied, sara, municipality):
    _place, application = applied
    page = client_for(sara.user).post(murl(municipality, "internships:withdraw", application_id=application.pk),
                                      follow=True).content.decode()
    assert "Din ansøgning er trukket tilbage." in page and "Status: Trukket tilbage" in page


def test_the_start_page_shows_an_open_place_until_the_citizen_applies(published, sara, municipality, today):
    from jobunivers.citizens.models import Citizen

    _place, card = published
    Citizen.all_tenants.filter(pk=sara.pk).update(welcome_seen_at=timezone.now(),
                                                  onboarding_completed_at=timezone.now())
    page = client_for(sara.user).get(murl(municipality, "citizens:home")).content.decode()
    assert "En praktikplads passer til dig." in page
    assert f'href="/aarhus/min-side/praktik/{card.pk}/ansoeg/"' in page
    services.application_submit(actor=sara.user, citizen=sara, suggestion_id=card.pk, motivation="Hej", fields=[],
                                today=today)
    page = client_for(sara.user).get(murl(municipality, "citizens:home")).content.decode()
    assert "En praktikplads passer til dig." not in page


# --- employer --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("changes", "message"), [
    ({"ends_on": "2020-01-01"}, "Den sidste dag kan ikke ligge før den første dag."),
    ({"hours_per_week": "40"}, "Timer om ugen skal være et helt tal fra 1 til 37."),
    ({"starts_on": "2020-01-01", "ends_on": "2020-01-10"}, "Første dag er overstået. Vælg en dag fra i dag."),
])
def test_the_employer_form_shows_the_danish_error_and_writes_nothing(boss, occupation, changes, message):
    user, _membership = boss
    data = {**_form(place_data(occupation)), "occupation": "tømrer", **changes}
    response = client_for(user).post(nurl("internships:employer_create"), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Place.objects.count() == 0


def test_the_employer_publishes_and_edits_through_the_form(boss, occupation):
    user, _membership = boss
    data = {**_form(place_data(occupation)), "occupation": "tømrer"}
    response = client_for(user).post(nurl("internships:employer_create"), data, follow=True)
    assert "Praktikpladsen er slået op." in response.content.decode()
    place = Place.objects.get()
    assert (place.title, place.hours_per_week, place.occupation_id) == ("Tømrerhjælper", 25, occupation.pk)
    edit = client_for(user).post(nurl("internships:employer_edit", place_id=place.pk),
                                 {**data, "hours_per_week": "30"}, follow=True)
    assert "Praktikpladsen er gemt." in edit.content.decode()
    place.refresh_from_db()
    assert place.hours_per_week == 30


def test_the_employer_sees_only_what_the_applicant_shared_and_each_look_is_logged(applied, boss, sara,
                                                                                municipality):
    place, application = applied
    user, _membership = boss
    page = client_for(user).get(nurl("internships:employer_place", place_id=place.pk)).content.decode()
    assert "<dt>Mit navn</dt><dd>Sara Jensen</dd>" in page
    assert "<dt>Stillinger, jeg søger</dt><dd>tømrer</dd>" in page
    assert "Jeg vil gerne lære faget." in page
    assert "Byg &amp; Co" not in page  # experience was not shared
    entries = AccessLogEntry.all_tenants.filter(actor_user_id=user.pk)
    assert [(e.citizen_id, e.municipality_id, e.what, e.role) for e in entries] == [
        (sara.pk, municipality.pk, "internships.applicant (Byggesen Tømrer ApS)", "employer")]
    mine = client_for(sara.user).get(murl(municipality, "audit:my_data")).content.decode()
    assert "din praktikansøgning og det, du valgte at dele" in mine


def test_every_employer_url_is_404_for_another_organisation(applied, boss, occupation):
    place, application = applied
    other, _membership = employer("Konkurrenten ApS", first_name="Ole")
    client = client_for(other)
    ids = {"place_id": place.pk}
    data = {**_form(place_data(occupation)), "occupation": "tømrer", "title": "Kapret"}
    calls = [
        ("get", "internships:employer_place", ids, {}),
        ("get", "internships:employer_edit", ids, {}),
        ("post", "internships:employer_edit", ids, data),
        ("post", "internships:employer_withdraw", ids, {}),
        ("post", "internships:employer_outcome", {**ids, "application_id": application.pk}, {"outcome": "job"}),
    ]
    for method, name, kwargs, body in calls:
        assert getattr(client, method)(nurl(name, **kwargs), body).status_code == 404, name
    assert "Tømrerhjælper" not in client.get(nurl("internships:employer_list")).content.decode()
    # and the owner's own place with an application id of another place is 404 too
    own_user, own_membership = boss
    second = services.place_publish(actor=own_user, membership=own_membership, data=place_data(occupation))
    assert client_for(own_user).post(nurl("internships:employer_outcome", place_id=second.pk,
                                          application_id=application.pk), {"outcome": "job"}).status_code == 404
    place.refresh_from_db()
    assert (place.status, place.title) == ("open", "Tømrerhjælper")
    assert AccessLogEntry.all_tenants.filter(actor_user_id=other.pk).count() == 0


def test_citizens_and_staff_cannot_open_employer_pages(published, sara, adviser):
    place, _card = published
    for user in (sara.user, adviser):
        assert client_for(user).get(nurl("internships:employer_place", place_id=place.pk)).status_code in (403, 404)


# --- staff -----------------------------------------------------------------------------------------------

def test_the_caseworker_approves_from_the_worklist_and_the_citizen_sees_it_in_the_plan(applied, adviser, sara,
                                                                                      municipality):
    place, application = applied
    client = client_for(adviser)
    worklist = client.get(murl(municipality, "internships:staff_worklist")).content.decode()
    assert f'href="/aarhus/medarbejder/praktik/{application.pk}/"' in worklist
    url = murl(municipality, "internships:staff_application", application_id=application.pk)
    refused = client.post(url, {"decision": "decline", "reason": "nej"})
    assert refused.status_code == 422
    assert "Skriv, hvorfor ansøgningen afvises (mindst 10 tegn)." in refused.content.decode()
    done = client.post(url, {"decision": "approve", "reason": ""}, follow=True).content.decode()
    assert "Praktikken er godkendt og sat i borgerens plan." in done
    plan = client_for(sara.user).get(murl(municipality, "citizens:plan")).content.decode()
    assert "Praktik: Tømrerhjælper hos Byggesen Tømrer ApS" in plan
    cards = client_for(sara.user).get(murl(municipality, "internships:list")).content.decode()
    assert "Status: Godkendt" in cards and "Praktikken står i din plan." in cards


def test_a_job_journey_assistant_sees_the_worklist_but_cannot_decide(applied, member, municipality):
    from jobunivers.tenancy.roles import Role

    _place, application = applied
    assistant = member(Role.JOB_JOURNEY_ASSISTANT, municipality)
    client = client_for(assistant)
    assert client.get(murl(municipality, "internships:staff_worklist")).status_code == 200
    response = client.post(murl(municipality, "internships:staff_application", application_id=application.pk),
                           {"decision": "approve"})
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == "applied"
