"""The feed is kept per citizen while what it was built from is unchanged, and built again as soon as
any of it changes (matching.feed.build_feed)."""

import pytest
from django.utils import translation

from jobunivers.audit.services import consent_set
from jobunivers.citizens.services.profile import profile_occupation_add
from jobunivers.core.context import tenant_context
from jobunivers.matching import feed, selectors, services

from .helpers import citizen_seeking, occupation, posting

pytestmark = pytest.mark.django_db


@pytest.fixture
def builds(monkeypatch):
    """The feeds actually built (scored), by citizen id."""
    built: list[int] = []
    real = feed._built_feed

    def counting(**kwargs):
        built.append(kwargs["citizen_id"])
        return real(**kwargs)

    monkeypatch.setattr(feed, "_built_feed", counting)
    return built


def _ids(result):
    return [item.posting_id for item in result.items]


def test_the_same_inputs_give_the_kept_feed_and_every_change_builds_it_again(municipality, builds):
    # given a carpenter with two carpenter jobs near home
    carpenter, nurse = occupation("tømrer", "7115"), occupation("sygeplejerske", "2221")
    near, other = posting("Tømrer til renovering", carpenter), posting("Tømrer til nybyggeri", carpenter)
    citizen = citizen_seeking(municipality, [carpenter])
    with tenant_context(municipality):
        # when her feed is read twice (start page, then "Job til dig")
        first = selectors.feed_for(citizen_id=citizen.pk)
        again = selectors.feed_for(citizen_id=citizen.pk)
        # then it was scored once and the same feed is given
        assert builds == [citizen.pk]
        assert again is first
        assert sorted(_ids(first)) == sorted([near.pk, other.pk])
        # and a shorter feed of the same (the start page's 3) is built once and kept beside it
        short = selectors.feed_for(citizen_id=citizen.pk, limit=1)
        assert selectors.feed_for(citizen_id=citizen.pk, limit=1) is short
        assert selectors.feed_for(citizen_id=citizen.pk) is first
        assert _ids(short) == _ids(first)[:1]
        assert builds == [citizen.pk, citizen.pk]
        # when she marks one job not relevant, then the feed is built again without it
        services.recommendation_dismiss(actor=citizen.user, citizen=citizen, posting_id=other.pk)
        assert _ids(selectors.feed_for(citizen_id=citizen.pk)) == [near.pk]
        assert len(builds) == 3
        # when she saves the other, then it is built again and shows as saved
        services.recommendation_save(actor=citizen.user, citizen=citizen, posting_id=near.pk)
        assert [item.saved for item in selectors.feed_for(citizen_id=citizen.pk).items] == [True]
        assert len(builds) == 4
        # when a new carpenter job is published, then it is in her next feed
        newer = posting("Tømrer, tag", carpenter)
        assert sorted(_ids(selectors.feed_for(citizen_id=citizen.pk))) == sorted([near.pk, newer.pk])
        assert len(builds) == 5
        # when she adds an occupation to her profile, then it is built again with its jobs
        ward = posting("Sygeplejerske i Aalborg", nurse, lat=57.048, lon=9.9187)  # beyond her radius
        assert ward.pk not in _ids(selectors.feed_for(citizen_id=citizen.pk))
        assert len(builds) == 6
        profile_occupation_add(actor=citizen.user, citizen=citizen, occupation_id=nurse.pk)
        assert ward.pk in _ids(selectors.feed_for(citizen_id=citizen.pk))
        assert len(builds) == 7
        # when she consents to personalisation, then it is built again, personalised
        consent_set(user=citizen.user, purpose="personalisation", given=True)
        assert selectors.feed_for(citizen_id=citizen.pk).personalised is True
        assert len(builds) == 8
        # when the page is in English, then it is built for that language
        with translation.override("en"):
            english = selectors.feed_for(citizen_id=citizen.pk)
            assert len(builds) == 9
            # and nothing changed since: kept
            assert selectors.feed_for(citizen_id=citizen.pk) is english
        assert len(builds) == 9


def test_at_most_the_configured_number_of_citizens_are_kept(municipality, builds, settings):
    # given room for two citizens' feeds and three carpenters
    settings.MATCHING_FEED_CACHE = 2
    carpenter = occupation("tømrer", "7115")
    posting("Tømrer til renovering", carpenter)
    first, second, third = (citizen_seeking(municipality, [carpenter]) for _ in range(3))
    with tenant_context(municipality):
        # when the three read their feeds in turn and the first reads hers again
        for citizen in (first, second, third, first):
            selectors.feed_for(citizen_id=citizen.pk)
    # then two are kept, the least recently used was dropped, and the first's was built twice
    assert list(feed._feeds) == [third.pk, first.pk]
    assert builds == [first.pk, second.pk, third.pk, first.pk]
