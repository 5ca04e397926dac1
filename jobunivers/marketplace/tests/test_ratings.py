"""Ratings (ADR 0084): only a citizen with a verified enrolment or use rates, once per offer; the
municipality moderates; the vendor sees approved ratings without the citizen and replies once; the offer
shows the approved average with its count from three ratings. Bad input writes nothing."""

import pytest

from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.core.testing import client_for, murl
from jobunivers.marketplace import selectors, services
from jobunivers.marketplace.models import Rating, RatingStatus
from jobunivers.marketplace.privacy import _erase_ratings, _export_ratings
from jobunivers.tenancy.routing import national_reverse

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def curated(municipality, vendor):
    return factories.enabled(municipality, factories.offer(provider_kind="vendor", vendor_=vendor, title="Truckkursus"))


@pytest.fixture
def enrolled(citizen, curated):
    return factories.enrolment(citizen, curated)


def _messages(error: ValidationFailed) -> dict[str, list[str]]:
    return {field: [str(t) for t in texts] for field, texts in error.messages.items()}


def test_a_citizen_without_enrolment_or_use_cannot_rate_and_nothing_is_written(citizen, curated):
    with pytest.raises(ValidationFailed) as refused:
        services.rating_submit(actor=citizen.user, citizen=citizen, municipal_offer=curated, score=4)
    assert _messages(refused.value) == {"__all__": ["Du kan bedømme et tilbud, når du har tilmeldt dig eller brugt det."]}
    assert Rating.all_tenants.count() == 0


def test_a_withdrawn_enrolment_is_not_enough_but_a_launch_is(citizen, curated):
    gone = factories.enrolment(citizen, curated, status="withdrawn")
    with pytest.raises(ValidationFailed):
        services.rating_submit(actor=citizen.user, citizen=citizen, municipal_offer=curated, score=4)
    factories.use_event(gone, "launched")
    rating = services.rating_submit(actor=citizen.user, citizen=citizen, municipal_offer=curated, score=4)
    assert (rating.score, rating.status, rating.enrolment_id) == (4, "pending", None)


def test_another_person_cannot_rate_for_the_citizen(citizen, curated, enrolled, admin):
    with pytest.raises(ValidationFailed) as refused:
        services.rating_submit(actor=admin, citizen=citizen, municipal_offer=curated, score=5)
    assert _messages(refused.value) == {"__all__": ["Kun borgeren kan bedømme et tilbud."]}
    assert Rating.all_tenants.count() == 0


def test_a_second_rating_edits_the_first_and_sends_it_back_to_moderation(citizen, curated, enrolled, admin):
    first = services.rating_submit(actor=citizen.user, citizen=citizen, municipal_offer=curated, score=2, text="Svært")
    services.rating_moderate(actor=admin, rating=first, approve=True)
    again = services.rating_submit(actor=citizen.user, citizen=citizen, municipal_offer=curated, score=5, text="Godt")
    assert again.pk == first.pk and Rating.all_tenants.count() == 1
    row = Rating.all_tenants.get()
    assert (row.score, row.text, row.status, row.moderated_by_id, row.enrolment_id) == (
        5, "Godt", "pending", None, enrolled.pk)


@pytest.mark.parametrize(("score", "text", "errors"), [
    (0, "", {"score": ["Vælg en karakter fra 1 til 5."]}),
    (6, "", {"score": ["Vælg en karakter fra 1 til 5."]}),
    ("fem", "", {"score": ["Vælg en karakter fra 1 til 5."]}),
    (3, "x" * 1001, {"text": ["Skriv højst 1000 tegn."]}),
])
def test_bad_input_gets_danish_errors_and_nothing_is_written(citizen, curated, enrolled, score, text, errors):
    with pytest.raises(ValidationFailed) as refused:
        services.rating_submit(actor=citizen.user, citizen=citizen, municipal_offer=curated, score=score, text=text)
    assert _messages(refused.value) == errors
    assert Rating.all_tenants.count() == 0


def test_moderation_needs_a_reason_to_reject_and_is_the_municipality_admins(citizen, curated, enrolled, admin,
                                                                           other_admin):
    rating = services.rating_submit(actor=citizen.user, citizen=citizen, municipal_offer=curated, score=1, text="Navn")
    with pytest.raises(ValidationFailed) as refused:
        services.rating_moderate(actor=admin, rating=rating, approve=False, reason=" ")
    assert _messages(refused.value) == {"reason": ["Sig, hvorfor bedømmelsen afvises (højst 500 tegn)."]}
    with pytest.raises(ValidationFailed):
        services.rating_moderate(actor=other_admin, rating=rating, approve=True)
    with pytest.raises(NotFound):
        selectors.access_pending_rating(actor=other_admin, municipality_id=other_admin_municipality(other_admin),
                                        id=rating.pk)
    assert Rating.all_tenants.get().status == "pending"
    done = services.rating_moderate(actor=admin, rating=rating, approve=False, reason="Nævner en medarbejder")
    assert (done.status, done.rejection_reason, done.moderated_by_id) == ("rejected", "Nævner en medarbejder",
                                                                          admin.pk)
    with pytest.raises(ValidationFailed):
        services.rating_moderate(actor=admin, rating=rating, approve=True)


def other_admin_municipality(user):
    from jobunivers.tenancy.models import Membership

    return Membership.objects.get(user=user).municipality_id


def test_the_vendor_sees_approved_ratings_without_the_citizen_and_replies_once(citizen, curated, enrolled, admin,
                                                                             vendor_actor, member):
    rating = services.rating_submit(actor=citizen.user, citizen=citizen, municipal_offer=curated, score=4,
                                    text="Lærerig dag")
    vendor_url = national_reverse("marketplace:vendor_ratings")
    client = client_for(vendor_actor)
    assert "Lærerig dag" not in client.get(vendor_url).content.decode()
    services.rating_moderate(actor=admin, rating=rating, approve=True)
    page = client.get(vendor_url).content.decode()
    assert "Lærerig dag" in page and "Karakter: 4 af 5" in page
    # The header names the signed-in vendor user, whose random factory surname can be "Hansen" too.
    content = page.split('<main id="main-content"', 1)[1].split("</main>", 1)[0]
    assert "Mette" not in content and "Hansen" not in content and citizen.user.email not in content
    reply_url = national_reverse("marketplace:rating_reply", kwargs={"rating_id": rating.pk})
    other = factories.vendor_user(member, factories.vendor("Andet Firma ApS"))
    assert client_for(other).post(reply_url, {"reply": "Tak"}).status_code == 404
    assert "Lærerig dag" not in client_for(other).get(vendor_url).content.decode()
    assert client.post(reply_url, {"reply": "Tak for det"}).status_code == 302
    assert client.post(reply_url, {"reply": "Igen"}).status_code == 302
    row = Rating.all_tenants.get()
    assert (row.vendor_reply, row.replied_by_id) == ("Tak for det", vendor_actor.pk)
    with pytest.raises(ValidationFailed) as refused:
        services.rating_reply(actor=vendor_actor, rating=row, text="Igen")
    assert _messages(refused.value) == {"__all__": ["Du har allerede svaret på denne bedømmelse."]}


def test_the_vendor_cannot_reply_to_a_pending_rating(citizen, curated, enrolled, vendor_actor):
    rating = services.rating_submit(actor=citizen.user, citizen=citizen, municipal_offer=curated, score=4)
    url = national_reverse("marketplace:rating_reply", kwargs={"rating_id": rating.pk})
    assert client_for(vendor_actor).post(url, {"reply": "Tak"}).status_code == 404
    assert Rating.all_tenants.get().replied_at is None


def _approved(municipality, curated, score):
    person = CitizenFactory(municipality=municipality)
    factories.enrolment(person, curated)
    return Rating.all_tenants.create(municipality=municipality, offer=curated.offer, citizen=person, score=score,
                                     status=RatingStatus.APPROVED)


def test_the_aggregate_is_hidden_below_three_and_shown_with_the_count_in_danish(citizen, curated, enrolled,
                                                                               municipality):
    url = murl(municipality, "marketplace:detail", entry_id=curated.pk)
    client = client_for(citizen.user)
    for score in (4, 5):
        _approved(municipality, curated, score)
    Rating.all_tenants.create(municipality=municipality, offer=curated.offer, citizen=citizen, score=1)  # pending
    assert selectors.rating_summary(municipality_id=municipality.pk, offer_id=curated.offer.pk).average is None
    assert "Endnu ikke nok bedømmelser til at vise et gennemsnit." in client.get(url).content.decode()
    _approved(municipality, curated, 4)
    summary = selectors.rating_summary(municipality_id=municipality.pk, offer_id=curated.offer.pk)
    assert (summary.count, summary.average) == (3, 4.3)
    assert "4,3 af 5 (3 bedømmelser)" in client.get(url).content.decode()


def test_the_citizen_rates_on_the_offer_page(citizen, curated, enrolled, municipality):
    client = client_for(citizen.user)
    page = client.get(murl(municipality, "marketplace:detail", entry_id=curated.pk)).content.decode()
    assert "Bedøm tilbuddet" in page and 'type="radio" name="score" value="5"' in page
    response = client.post(murl(municipality, "marketplace:rate", entry_id=curated.pk),
                           {"score": "5", "text": "Fint kursus"})
    assert response.status_code == 302
    assert list(Rating.all_tenants.values_list("score", "text", "status")) == [(5, "Fint kursus", "pending")]


@pytest.mark.parametrize("data", [{"score": "0"}, {"score": "6"}, {"score": "3", "text": "x" * 1001}, {}])
def test_bad_input_on_the_page_is_shown_in_danish_and_nothing_is_written(citizen, curated, enrolled, municipality,
                                                                        data):
    response = client_for(citizen.user).post(murl(municipality, "marketplace:rate", entry_id=curated.pk), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Vælg en karakter fra 1 til 5." in page or "Skriv højst 1000 tegn." in page
    assert Rating.all_tenants.count() == 0


def test_a_forged_offer_id_is_404_and_nothing_is_written(citizen, enrolled, municipality, other_municipality):
    hidden = factories.enabled(other_municipality, factories.offer(title="Andet"))
    client = client_for(citizen.user)
    for entry_id in (hidden.pk, 999999):
        assert client.post(murl(municipality, "marketplace:rate", entry_id=entry_id), {"score": "4"}).status_code == 404
    assert Rating.all_tenants.count() == 0


def test_the_page_offers_no_form_to_a_citizen_who_may_not_rate(citizen, curated, municipality):
    page = client_for(citizen.user).get(murl(municipality, "marketplace:detail", entry_id=curated.pk)).content.decode()
    assert "Bedøm tilbuddet" not in page


def test_the_admin_moderates_on_the_page(citizen, curated, enrolled, admin, municipality):
    rating = services.rating_submit(actor=citizen.user, citizen=citizen, municipal_offer=curated, score=3,
                                    text="MARKERTEXT")
    client = client_for(admin)
    page = client.get(murl(municipality, "marketplace:ratings_moderation")).content.decode()
    content = page.split('<main id="main-content"', 1)[1].split("</main>", 1)[0]
    assert "MARKERTEXT" in content and "Mette" not in content
    url = murl(municipality, "marketplace:rating_moderate", rating_id=rating.pk)
    client.post(url, {"decision": "reject", "reason": ""})
    assert Rating.all_tenants.get().status == "pending"
    client.post(url, {"decision": "approve"})
    assert Rating.all_tenants.get().status == "approved"


def test_export_includes_and_erasure_deletes_the_citizens_ratings(citizen, curated, enrolled):
    services.rating_submit(actor=citizen.user, citizen=citizen, municipal_offer=curated, score=4, text="Godt")
    exported = _export_ratings(citizen.user)
    assert [(r["offer"], r["score"], r["text"], r["status"]) for r in exported] == [("Truckkursus", 4, "Godt",
                                                                                      "pending")]
    _erase_ratings(citizen.user)
    assert Rating.all_tenants.count() == 0
