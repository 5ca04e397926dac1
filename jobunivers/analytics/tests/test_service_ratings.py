"""The dashboard's use and rating table takes the feedback app's pulse ratings (5 scored answers or more),
and the share-in-a-job table says so when there is nothing to show."""

from __future__ import annotations

import pytest

from jobunivers.analytics.exposures import (
    RATING_PULSE,
    RATING_REVIEWS,
    ServiceCount,
    service_counts,
    with_pulse_ratings,
)
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core.testing import client_for, murl
from jobunivers.feedback.tests.helpers import answered

pytestmark = pytest.mark.django_db


def _answers(municipality, scores, **kwargs):
    for score in scores:
        answered(CitizenFactory(municipality=municipality), score=score, **kwargs)


def test_booking_rating_is_the_average_pulse_score_of_every_booking_channel(municipality, other_municipality):
    # given 5 scored answers about booked conversations (two channels), and 5 answers in another municipality
    _answers(municipality, [5, 4, 4], service_key="booking:video")
    _answers(municipality, [3, 4], service_key="booking:phone")
    _answers(other_municipality, [1, 1, 1, 1, 1])
    # when
    booking = next(s for s in service_counts(municipality.pk) if s.key == "booking")
    # then
    assert (booking.rating, booking.ratings, booking.rating_source) == (4.0, 5, RATING_PULSE)


def test_yes_no_answers_are_not_scores(municipality):
    from jobunivers.feedback.selectors import score_summaries

    for _n in range(5):
        answered(CitizenFactory(municipality=municipality), yes=True, kind="assistant", service_key="card:dagpenge")
    found = score_summaries(municipality_id=municipality.pk)
    assert (found.by_kind, found.by_service) == ({}, {})


def test_fewer_than_five_scored_answers_give_no_rating(municipality):
    _answers(municipality, [5, 5, 5, 5])
    booking = next(s for s in service_counts(municipality.pk) if s.key == "booking")
    assert (booking.rating, booking.ratings, booking.rating_source) == (None, 0, "")


def test_an_offers_pulse_replaces_its_reviews_and_reviews_stay_where_the_pulse_is_too_thin(municipality):
    # given pulse answers about offer 7 (5) and offer 8 (2); both offers have reviews
    _answers(municipality, [2, 3, 3, 4, 3], kind="marketplace", service_key="offer:7")
    _answers(municipality, [5, 5], kind="marketplace", service_key="offer:8")
    counts = [ServiceCount(key=f"marketplace-{n}", label=f"Tilbud {n}", citizens=30, rating=4.8, ratings=12,
                           rating_source=RATING_REVIEWS) for n in (7, 8)]
    # when
    found = with_pulse_ratings(municipality.pk, counts)
    # then
    assert [(s.key, s.rating, s.ratings, s.rating_source) for s in found] == [
        ("marketplace-7", 3.0, 5, RATING_PULSE), ("marketplace-8", 4.8, 12, RATING_REVIEWS)]


def test_the_dashboard_shows_the_pulse_rating_and_an_empty_state_for_shares(world):
    # given 6 booking answers and no register spells
    _answers(world.home, [5, 4, 4, 3, 4, 4])
    client = client_for(world.users["job_journey_assistant"])
    # when
    text = client.get(murl(world.home, "analytics:dashboard")).content.decode()
    # then
    assert (f'<tr data-service="booking"><th scope="row"><a href="/{world.home.slug}/medarbejder/effekt/booking/">Booket samtale '
            '(holdt)</a></th><td>0</td><td>4,0 (6 svar efter brug)</td></tr>') in text
    assert 'data-testid="shares-empty"' in text
    assert "Der er endnu ikke importeret ledighedsforløb fra registret" in text
    assert 'data-testid="shares"' not in text
