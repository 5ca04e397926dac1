"""Coffee meetings' pages: the citizen's card with real yes/no buttons, a second yes refused with a message,
the employer's list of consenting candidates with exactly the shared fields, the booked time on both sides,
Danish errors for a bad invitation, and every employer URL 404 for another organisation."""

import datetime
import re

import pytest
from django.utils import timezone

from jobunivers.audit.models import AccessLogEntry
from jobunivers.coffee import selectors, services
from jobunivers.coffee.models import Answer, Invitation, Offer, Visibility
from jobunivers.core.testing import client_for, murl, nurl
from jobunivers.jobs.tests.factories import JobPostingFactory

from .helpers import employer, invitation_data, seeker

pytestmark = pytest.mark.django_db


@pytest.fixture
def card(boss, occupation, sara):
    user, membership = boss
    invitation = services.invitation_publish(actor=user, membership=membership, data=invitation_data(occupation))
    services.invitation_offer(invitation_id=invitation.pk)
    return Offer.all_tenants.get(citizen=sara, invitation=invitation)


def test_the_citizen_sees_the_card_with_buttons_and_what_a_yes_shares(card, sara, municipality):
    page = client_for(sara.user).get(murl(municipality, "coffee:cards")).content.decode()
    assert "Byggesen Tømrer ApS: Tømrer til renovering" in page
    assert "Et ja deler med arbejdsgiveren: Mit navn, Stillinger, jeg søger, Mine kompetencer." in page
    assert page.count('name="choice" value="yes"') == 1 and page.count('name="choice" value="no"') == 1
    assert '<button type="submit" name="choice" value="yes" class="button button-primary" data-coffee-yes>' in page
    assert "js/coffee-swipe" in page and "Søger job inden for netop denne stilling" in page


def test_the_start_page_shows_the_waiting_card(card, sara, municipality):
    from jobunivers.citizens.models import Citizen

    Citizen.all_tenants.filter(pk=sara.pk).update(welcome_seen_at=timezone.now(),
                                                  onboarding_completed_at=timezone.now())
    page = client_for(sara.user).get(murl(municipality, "citizens:home")).content.decode()
    assert "En arbejdsgiver vil gerne mødes med dig over en kop kaffe." in page
    assert f'action="/aarhus/min-side/kaffemoeder/{card.pk}/svar/"' in page
    # and once she has answered (or the invitation closes), the start page no longer shows it
    services.answer_give(actor=sara.user, citizen=sara, offer_id=card.pk, choice="no")
    page = client_for(sara.user).get(murl(municipality, "citizens:home")).content.decode()
    assert "En arbejdsgiver vil gerne mødes med dig over en kop kaffe." not in page


def test_yes_then_a_second_yes_is_refused_with_a_message(card, sara, municipality):
    client = client_for(sara.user)
    url = murl(municipality, "coffee:answer", offer_id=card.pk)
    first = client.post(url, {"choice": "yes"}, follow=True).content.decode()
    assert "Du sagde ja. Arbejdsgiveren kan nu se det, du valgte at dele, og vælger et tidspunkt." in first
    assert "Du delte: Mit navn, Stillinger, jeg søger, Mine kompetencer." in first
    second = client.post(url, {"choice": "yes"}, follow=True).content.decode()
    assert "Du har allerede svaret på denne invitation." in second
    assert Answer.all_tenants.count() == 1


def test_the_visibility_page_saves_the_choice_and_refuses_no_kind(sara, municipality):
    client = client_for(sara.user)
    url = murl(municipality, "coffee:visibility")
    refused = client.post(url, {"is_open": "yes", "shares": ["name"]})
    assert refused.status_code == 422
    assert "Vælg mindst én slags job, eller sig nej til at arbejdsgivere må se dig." in refused.content.decode()
    client.post(url, {"is_open": "yes", "job_kinds": ["7", "9"], "shares": ["name", "area"]})
    visibility = Visibility.all_tenants.get(citizen=sara)
    assert (visibility.is_open, visibility.job_kinds, visibility.fields) == (True, ["7", "9"], ["name", "area"])


def test_the_employer_sees_exactly_the_consented_fields_accepts_and_both_see_the_meeting(card, boss, sara,
                                                                                          municipality):
    user, _membership = boss
    services.answer_give(actor=sara.user, citizen=sara, offer_id=card.pk, choice="yes")
    client = client_for(user)
    page = client.get(nurl("coffee:employer_invitation", invitation_id=card.invitation_id)).content.decode()
    shared = re.findall(r'data-shared-field="(\w+)">([^<]*)<', page)
    assert shared == [("name", "Sara Jensen"), ("occupations", "tømrer"), ("skills", "træarbejde")]
    assert "Jeg er en erfaren tømrer." not in page and "Tømrerlærling" not in page and "8000" not in page
    slot = selectors.free_times(invitation=card.invitation)[0]
    done = client.post(nurl("coffee:employer_accept", invitation_id=card.invitation_id, offer_id=card.pk),
                       {"slot": slot.isoformat()}, follow=True).content.decode()
    assert "Mødet er booket. Kandidaten har fået besked." in done
    local = timezone.localtime(slot)
    assert f"Møde booket {local.day}. " in done
    citizen_page = client_for(sara.user).get(murl(municipality, "coffee:cards")).content.decode()
    assert f"Møde booket {local.day}. " in citizen_page and f"kl. {local:%H.%M}" in citizen_page


def test_a_bad_invitation_form_shows_danish_errors_and_saves_nothing(boss, occupation):
    user, _membership = boss
    past = timezone.localdate() - datetime.timedelta(days=2)
    data = invitation_data(occupation, meetings=0, first_day=past, last_day=past)
    data.update(occupation="tømrer", day_starts="09:00", day_ends="12:00")
    response = client_for(user).post(nurl("coffee:employer_create"), data)
    page = response.content.decode()
    assert response.status_code == 422
    assert "Tidsrummet ligger i fortiden. Vælg dage fra i dag og frem." in page
    assert "Antallet af møder skal være mindst 1." in page
    assert Invitation.objects.count() == 0


def test_publishing_through_the_form(boss, occupation, sara, django_capture_on_commit_callbacks):
    user, _membership = boss
    data = invitation_data(occupation)
    data.update(occupation="tømrer", day_starts="09:00", day_ends="12:00")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(user).post(nurl("coffee:employer_create"), data, follow=True)
    assert "Invitationen er offentliggjort." in response.content.decode()
    assert list(Offer.all_tenants.values_list("citizen_id", flat=True)) == [sara.pk]


def test_the_posting_candidates_page_shows_only_visible_citizens_and_chosen_fields_and_logs(
        boss, occupation, sara, municipality, other_municipality):
    from jobunivers.jobs.models import Employer

    user, membership = boss
    hidden = seeker(municipality, occupation, first_name="Skjult")
    posting = JobPostingFactory(title="Tømrer søges", occupation=occupation, isco_code="7115",
                                owner_employer=Employer.objects.get(accounts__membership=membership))
    response = client_for(user).get(nurl("coffee:posting_candidates", posting_id=posting.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert re.findall(r'data-shared-field="(\w+)">([^<]*)<', page) == [
        ("name", "Sara Jensen"), ("occupations", "tømrer"), ("skills", "træarbejde")]
    assert "Skjult" not in page
    entries = AccessLogEntry.all_tenants.filter(actor_user_id=user.pk)
    assert [(e.citizen_id, e.municipality_id, e.what) for e in entries] == [
        (sara.pk, municipality.pk, "coffee.posting_candidate (Eksempel Byg ApS)")]
    assert hidden.pk not in {e.citizen_id for e in entries}


def test_mine_data_shows_who_looked(card, boss, sara, municipality):
    services.answer_give(actor=sara.user, citizen=sara, offer_id=card.pk, choice="yes")
    client_for(boss[0]).get(nurl("coffee:employer_invitation", invitation_id=card.invitation_id))
    page = client_for(sara.user).get(murl(municipality, "audit:my_data")).content.decode()
    assert "Virksomhed Bente Byggesen så det, du valgte at dele, da du sagde ja til et kaffemøde" in page


def test_every_employer_url_is_404_for_another_organisation(card, boss, sara, occupation):
    services.answer_give(actor=sara.user, citizen=sara, offer_id=card.pk, choice="yes")
    _own_user, own_membership = boss
    from jobunivers.jobs.models import Employer

    posting = JobPostingFactory(occupation=occupation, isco_code="7115",
                                owner_employer=Employer.objects.get(accounts__membership=own_membership))
    other, _membership = employer("Konkurrenten ApS")
    client = client_for(other)
    ids = {"invitation_id": card.invitation_id}
    card_ids = {**ids, "offer_id": card.pk}
    slot = selectors.free_times(invitation=card.invitation)[0].isoformat()
    calls = [
        ("get", "coffee:employer_invitation", ids, {}),
        ("post", "coffee:employer_close", ids, {}),
        ("post", "coffee:employer_accept", card_ids, {"slot": slot}),
        ("post", "coffee:employer_attendance", card_ids, {"attendance": "met"}),
        ("post", "coffee:employer_outcome", card_ids, {"outcome": "job"}),
        ("get", "coffee:posting_candidates", {"posting_id": posting.pk}, {}),
    ]
    for method, name, kwargs, data in calls:
        assert getattr(client, method)(nurl(name, **kwargs), data).status_code == 404, name
    assert client.get(nurl("coffee:employer_list")).content.decode().count("Tømrer til renovering") == 0
    card.refresh_from_db()
    assert (card.accepted_at, card.invitation.status) == (None, "open")
    assert AccessLogEntry.all_tenants.filter(actor_user_id=other.pk).count() == 0


def test_citizens_and_staff_cannot_open_employer_pages(card, sara, world):
    from jobunivers.tenancy.roles import Role

    for user in (sara.user, world.users[Role.JOB_ADVISER]):
        assert client_for(user).get(nurl("coffee:employer_invitation", invitation_id=card.invitation_id)
                                    ).status_code in (403, 404)


def test_staff_answer_for_the_citizen_through_the_page(card, sara, world, municipality):
    from jobunivers.tenancy.roles import Role

    adviser = world.users[Role.JOB_ADVISER]
    client = client_for(adviser)
    url = murl(municipality, "coffee:staff_citizen", citizen_id=sara.pk)
    refused = client.post(url, {"offer": card.pk, "choice": "yes", "reason": ""})
    assert refused.status_code == 422
    assert "Skriv, hvorfor du svarer på borgerens vegne (mindst 10 tegn)." in refused.content.decode()
    done = client.post(url, {"offer": card.pk, "choice": "yes", "reason": "Borgeren ringede og bad om det."},
                       follow=True).content.decode()
    assert "Svaret er registreret på borgerens vegne, med din begrundelse." in done
    citizen_page = client_for(sara.user).get(murl(municipality, "coffee:cards")).content.decode()
    assert "Jobcenteret svarede på dine vegne." in citizen_page
