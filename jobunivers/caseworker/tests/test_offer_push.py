"""A municipality administrator sends one of the municipality's marketplace offers to a segment through the
bulk push: the preview counts the citizens and shows the notice; only citizens in the offer's audience and
the municipality receive it, at most the cap, once; the notice links to the offer."""

import datetime

import pytest
from django.utils import timezone

from jobunivers.caseworker.models import Push, PushRecipient
from jobunivers.citizens.models import Profile
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core.context import tenant_context
from jobunivers.core.testing import client_for, murl
from jobunivers.marketplace.tests import factories as market
from jobunivers.notifications.models import Notification
from jobunivers.segmentation.tests import factories as segmentation
from jobunivers.taxonomy.tests.factories import OccupationFactory
from jobunivers.tenancy.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(member, municipality):
    return member(Role.MUNICIPALITY_ADMIN, municipality)


def _citizen(municipality, name, *, level=None, by=None, isco="", weeks=10):
    person = CitizenFactory(municipality=municipality, user__first_name=name,
                            registered_on=timezone.localdate() - datetime.timedelta(weeks=weeks))
    profile = Profile.all_tenants.create(municipality=municipality, citizen=person)
    if isco:
        profile.occupations.add(OccupationFactory(isco_code=isco))
    if level is not None:
        segmentation.decision(segmentation.suggestion(person, level=level), by=by)
    return person


def _offer(municipality, **curation):
    offer = market.offer(provider_kind="municipality", municipality=municipality, kind="job_club",
                         title="Jobklub i Borgerhuset", summary_da="Mød andre jobsøgende hver tirsdag.")
    return market.enabled(municipality, offer, **curation)


def _notified(citizen):
    return list(Notification.all_tenants.filter(recipient=citizen.user, kind="general").values_list("title", "link"))


def test_the_preview_counts_and_shows_the_notice_and_only_the_audience_receives_it(
        admin, municipality, other_municipality, member, django_capture_on_commit_callbacks):
    keys = {level: track.key for level, track in segmentation.tracks(municipality).items()}
    segmentation.tracks(other_municipality)
    curated = _offer(municipality, audience="tracks", audience_tracks=[keys[1]])
    on_track = _citizen(municipality, "Sporsine", level=1, by=admin)
    other_track = _citizen(municipality, "Andetspor", level=2, by=admin)
    no_track = _citizen(municipality, "Udenspor")
    elsewhere = _citizen(other_municipality, "Andenkommune", level=1, by=member(Role.MUNICIPALITY_ADMIN,
                                                                                 other_municipality))
    client = client_for(admin)
    url = murl(municipality, "caseworker:offer_push", curated_id=curated.pk)
    page = client.get(url, {"cap": "10", "message": "Kom og vær med på tirsdag!"}).content.decode()
    link = murl(municipality, "marketplace:detail", entry_id=curated.pk)
    assert "1 borger matcher; 1 inden for loftet." in page
    assert "Kom og vær med på tirsdag!" in page and f'<a href="{link}">Se tilbuddet</a>' in page
    assert "Sporsine" not in page  # the preview names no one
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, {"query": "cap=10&message=Kom+og+v%C3%A6r+med", "idempotency_key": "k1"})
    assert sent["Location"] == murl(municipality, "marketplace:curate", curated_id=curated.pk)
    assert _notified(on_track) == [("Jobklub i Borgerhuset", link)]
    assert _notified(other_track) == _notified(no_track) == _notified(elsewhere) == []
    push = Push.all_tenants.get()
    assert (push.recipient_count, push.matched_count, push.cap, push.message, push.criteria["offer"]) == (
        1, 1, 10, "Kom og vær med", curated.pk)
    # Sent again (a new form): the citizen who has it is not notified twice.
    again = client.get(url, {"cap": "10"}).content.decode()
    assert "1 af dem har allerede beskeden og får den ikke igen." in again
    client.post(url, {"query": "cap=10", "idempotency_key": "k2"})
    assert Notification.all_tenants.filter(recipient=on_track.user).count() == 1


def test_the_occupation_audience_the_segment_and_the_cap(admin, municipality, django_capture_on_commit_callbacks):
    curated = _offer(municipality, audience="occupations", audience_isco=["93"])
    long_term = _citizen(municipality, "Langtid", isco="9334", weeks=40)
    also_long = _citizen(municipality, "Ogsaalang", isco="9321", weeks=30)
    newly = _citizen(municipality, "Ny", isco="9334", weeks=2)
    smith = _citizen(municipality, "Smed", isco="7221", weeks=40)
    client = client_for(admin)
    url = murl(municipality, "caseworker:offer_push", curated_id=curated.pk)
    page = client.get(url, {"cap": "1", "min_weeks": "26"}).content.decode()
    assert "2 borgere matcher; 1 inden for loftet." in page and "Send til 1 borger" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"query": "cap=1&min_weeks=26", "idempotency_key": "k1"})
    reached = set(PushRecipient.all_tenants.values_list("citizen_id", flat=True))
    assert len(reached) == 1 and reached <= {long_term.pk, also_long.pk}
    assert _notified(newly) == _notified(smith) == []
    assert Notification.all_tenants.count() == 1


def test_a_citizen_outside_the_audience_is_left_out_even_if_passed_to_the_service(admin, municipality):
    from jobunivers.caseworker import services
    from jobunivers.marketplace.selectors import access_pushable_offer

    curated = _offer(municipality, audience="occupations", audience_isco=["93"])
    inside, outside = _citizen(municipality, "Inde", isco="9334"), _citizen(municipality, "Ude", isco="7221")
    offer = access_pushable_offer(actor=admin, municipality_id=municipality.pk, id=curated.pk)
    with tenant_context(municipality):
        push = services.offer_push(actor=admin, municipality_id=municipality.pk, offer=offer, message="",
                                   citizens=[inside, outside], cap=10, criteria={}, idempotency_key="direct")
    assert list(PushRecipient.all_tenants.values_list("citizen_id", flat=True)) == [inside.pk]
    assert (push.recipient_count, push.message) == (1, "Mød andre jobsøgende hver tirsdag.")


def test_a_citizen_who_has_the_offer_is_not_notified_again_after_its_local_title_changes(admin, municipality):
    from jobunivers.caseworker import services
    from jobunivers.marketplace.models import MunicipalOffer
    from jobunivers.marketplace.selectors import access_pushable_offer

    # given the offer pushed to a citizen once
    curated = _offer(municipality)
    citizen = _citizen(municipality, "Modtager")
    first = access_pushable_offer(actor=admin, municipality_id=municipality.pk, id=curated.pk)
    with tenant_context(municipality):
        services.offer_push(actor=admin, municipality_id=municipality.pk, offer=first, message="", citizens=[citizen],
                            cap=10, criteria={}, idempotency_key="first")
    # when the municipality renames it locally and pushes it again
    MunicipalOffer.all_tenants.filter(pk=curated.pk).update(local_title="Jobklubben tirsdag")
    renamed = access_pushable_offer(actor=admin, municipality_id=municipality.pk, id=curated.pk)
    with tenant_context(municipality):
        again = services.offer_push(actor=admin, municipality_id=municipality.pk, offer=renamed, message="",
                                    citizens=[citizen], cap=10, criteria={}, idempotency_key="second")
    # then the citizen has one notice, the first
    assert (renamed.title, again.recipient_count) == ("Jobklubben tirsdag", 0)
    assert [title for title, _link in _notified(citizen)] == ["Jobklub i Borgerhuset"]


@pytest.mark.parametrize(("query", "error"), [
    ({"cap": "0"}, "Denne værdi skal være større end eller lig 1."),
    ({"cap": "10", "min_weeks": "20", "max_weeks": "10"}, "Skal være mere end minimum."),
    ({"cap": "10", "postcode_prefix": "80a"}, "Brug kun cifre."),
    ({"cap": "10", "message": "x" * 2001}, "Denne værdi må højst have 2000 tegn (den har 2001)."),
])
def test_bad_input_gets_a_danish_error_on_its_field_and_nothing_is_sent(admin, municipality, query, error):
    curated = _offer(municipality)
    _citizen(municipality, "Alle")
    client = client_for(admin)
    url = murl(municipality, "caseworker:offer_push", curated_id=curated.pk)
    page = client.get(url, query).content.decode()
    assert error in page and 'id="preview-h"' not in page
    from urllib.parse import urlencode

    response = client.post(url, {"query": urlencode(query), "idempotency_key": "bad"}, follow=True)
    assert "Søgningen er ikke længere gyldig. Søg igen." in response.content.decode()
    assert (Push.all_tenants.count(), Notification.all_tenants.count()) == (0, 0)


def test_only_the_administrators_push_an_offer_and_only_a_shown_one(admin, municipality, member):
    curated = _offer(municipality)
    _citizen(municipality, "Alle")
    url = murl(municipality, "caseworker:offer_push", curated_id=curated.pk)
    for role in (Role.JOB_JOURNEY_ASSISTANT, Role.PERSONAL_CONSULTANT, Role.CITIZEN):
        client = client_for(member(role, municipality))
        assert client.get(url, {"cap": "10"}).status_code in (403, 404)
        assert client.post(url, {"query": "cap=10", "idempotency_key": role}).status_code in (403, 404)
    curated.withdrawn_at = timezone.now()
    curated.save()
    assert client_for(admin).get(url).status_code == 404
    assert client_for(admin).post(url, {"query": "cap=10", "idempotency_key": "w"}).status_code == 404
    assert (Push.all_tenants.count(), Notification.all_tenants.count()) == (0, 0)
