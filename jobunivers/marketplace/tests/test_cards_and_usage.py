"""Ratings where citizens and staff choose: the approved average with its count on the catalogue's and
"Til dig" cards (from 3 ratings, one query for the list), and the staff page of usage and rating per offer."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core.testing import client_for, murl
from jobunivers.marketplace import selectors
from jobunivers.marketplace.models import Rating, RatingStatus
from jobunivers.tenancy.roles import Role

from . import factories

pytestmark = pytest.mark.django_db


def _rate(municipality, curated, *scores, status=RatingStatus.APPROVED):
    for score in scores:
        person = CitizenFactory(municipality=municipality)
        Rating.all_tenants.create(municipality=municipality, offer=curated.offer, citizen=person, score=score,
                                  status=status, enrolment=factories.enrolment(person, curated))


def test_the_cards_show_the_approved_average_with_its_count_from_three(citizen, municipality, other_municipality):
    rated = factories.enabled(municipality, factories.offer(title="Truckkursus", target_isco=["93"]))
    few = factories.enabled(municipality, factories.offer(title="Skriv dit CV"))
    _rate(municipality, rated, 4, 5, 4)
    _rate(municipality, rated, 1, status=RatingStatus.PENDING)
    _rate(municipality, few, 5, 5)
    elsewhere = factories.enabled(other_municipality, rated.offer)
    _rate(other_municipality, elsewhere, 1, 1, 1, 1)
    page = client_for(citizen.user).get(murl(municipality, "marketplace:catalogue")).content.decode()
    # On the "Til dig" card (the citizen seeks ISCO 9334) and on the card in the full list.
    assert page.count("4,3 af 5 (3 bedømmelser)") == 2
    assert "1,0 af 5" not in page and "5,0 af 5" not in page
    assert "Endnu ikke nok bedømmelser" not in page  # cards say nothing below three


def test_the_catalogue_reads_the_ratings_of_all_cards_in_one_query(citizen, municipality):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client_for(citizen.user).get(murl(municipality, "marketplace:catalogue"))
        return sum('"marketplace_rating"' in q["sql"] for q in captured.captured_queries)

    curated = factories.enabled(municipality, factories.offer(title="Kursus 1"))
    _rate(municipality, curated, 3, 4, 5)
    one = queries()
    for n in range(2, 7):
        _rate(municipality, factories.enabled(municipality, factories.offer(title=f"Kursus {n}")), 2, 3, 4)
    assert (one, queries()) == (1, 1)


def test_rating_summaries_of_a_list(municipality):
    a = factories.enabled(municipality, factories.offer(title="A"))
    b = factories.enabled(municipality, factories.offer(title="B"))
    _rate(municipality, a, 2, 3, 3, 5)
    _rate(municipality, b, 4)
    found = selectors.rating_summaries(municipality_id=municipality.pk, offer_ids=[a.offer_id, b.offer_id, 999])
    assert {k: (v.count, v.average) for k, v in found.items()} == {a.offer_id: (4, 3.2), b.offer_id: (1, None),
                                                                   999: (0, None)}


def test_the_usage_page_counts_per_offer_and_month_with_the_rating(municipality, member, citizen):
    curated = factories.enabled(municipality, factories.offer(title="Jobklub"), local_title="Jobklub i Hasle")
    factories.enabled(municipality, factories.offer(title="Stille tilbud"))
    now = timezone.now()
    last_month = now.replace(day=1) - datetime.timedelta(days=3)
    old = now - datetime.timedelta(days=400)
    enrolment = factories.enrolment(citizen, curated)
    for kind, when in [("enrolled", now), ("enrolled", now), ("launched", now), ("completed", now),
                       ("enrolled", last_month), ("launched", last_month), ("launched", last_month),
                       ("withdrawn", now), ("enrolled", old)]:
        factories.use_event(enrolment, kind, occurred_at=when)
    _rate(municipality, curated, 5, 4, 4)
    admin = member(Role.MUNICIPALITY_ADMIN, municipality)
    usage = selectors.offer_usage(actor=admin, municipality_id=municipality.pk)
    assert [(u.title, u.enrolled, u.launched, u.completed, u.rating.count, u.rating.average) for u in usage] == [
        ("Jobklub i Hasle", 3, 3, 1, 3, 4.3), ("Stille tilbud", 0, 0, 0, 0, None)]
    this_month, previous = timezone.localdate().replace(day=1), timezone.localtime(last_month).date().replace(day=1)
    assert [(m.month, m.enrolled, m.launched, m.completed) for m in usage[0].months] == [
        (this_month, 2, 1, 1), (previous, 1, 2, 0)]
    for user in (admin, member(Role.JOB_ADVISER, municipality)):
        page = client_for(user).get(murl(municipality, "marketplace:usage")).content.decode()
        assert "Jobklub i Hasle" in page and "3 tilmeldinger, 3 starter, 1 gennemførelser." in page
        assert "Bedømt 4,3 af 5 (3 bedømmelser)." in page and "Ikke brugt de seneste 12 måneder." in page
    curation = client_for(admin).get(murl(municipality, "marketplace:curation")).content.decode()
    assert f'<a href="{murl(municipality, "marketplace:usage")}">Brug og bedømmelse pr. tilbud</a>' in curation
    assert client_for(citizen.user).get(murl(municipality, "marketplace:usage")).status_code in (403, 404)

