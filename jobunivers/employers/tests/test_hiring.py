"""The array pre-selection behind "employers likely to hire" must give exactly what scoring every
employer with `hiring.rank` gives: the same employers, order and points."""

import datetime
import random

import numpy as np
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from jobunivers.core.context import tenant_context
from jobunivers.employers import hiring, selectors

from . import factories

ages = st.lists(st.floats(min_value=0, max_value=hiring.HISTORY_DAYS, allow_nan=False), min_size=0, max_size=8)
histories = st.lists(st.tuples(ages, st.integers(min_value=0, max_value=120)), min_size=1, max_size=40)


def _arrays(made: list[hiring.History]):
    counted = [[a for a in h.ages_days if 0 <= a < hiring.HISTORY_DAYS] for h in made]
    return dict(
        weighted_volume=np.array([hiring.weighted_volume(a) for a in counted]),
        latest_age=np.array([min(a) if a else np.inf for a in counted]),
        last_12=np.array([h.last_12_months for h in made], dtype=np.float64),
        previous_12=np.array([h.previous_12_months for h in made], dtype=np.float64),
        postings=np.array([h.postings for h in made], dtype=np.float64),
        total_24_months=np.array([h.total_24_months for h in made], dtype=np.float64))


@settings(max_examples=300, deadline=None)
@given(histories, st.integers(min_value=1, max_value=6))
def test_preselected_employers_rank_exactly_as_all_of_them(drawn, limit):
    # given employers' histories (many with equal scores)
    made = [hiring.History(organisation_id=i + 1, ages_days=tuple(sorted(a)), total_24_months=total)
            for i, (a, total) in enumerate(drawn)]
    arrays = _arrays(made)
    # when the totals are approximated as arrays and only the possible best are scored
    totals = hiring.approximate_totals(**arrays)
    kept = hiring.preselect(totals, postings=arrays["postings"], limit=limit)
    # then each approximation is within the rounding of the exact total, and the ranking is the same
    for history, total in zip(made, totals, strict=True):
        if history.postings:
            assert abs(hiring.points(history).total - total) <= 0.021
    assert hiring.rank([made[i] for i in kept], limit=limit) == hiring.rank(made, limit=limit)


def test_ranked_histories_equal_ranking_every_employer(citizen, warehouse):
    # given 40 employers with random histories of warehouse jobs, some far away, some with equal histories
    rng = random.Random(3)
    for number in range(40):
        days = tuple(rng.choice((5, 30, 100, 200, 400, 600, 729)) for _ in range(rng.randint(1, 5)))
        far = {"latitude": 55.68, "longitude": 12.57} if number % 7 == 0 else {}
        factories.postings(f"Lager {number}", occupation=warehouse, days_ago=days, **far)
    factories.postings("Lager 3", occupation=None, days_ago=(10, 20, 30))  # size counts every occupation
    with tenant_context(citizen.municipality):
        profile = selectors.citizens.profile_for(citizen_id=citizen.pk)
    place = selectors.default_place(profile)
    now = timezone.now() + datetime.timedelta(minutes=1)
    for limit in (1, 3, 10, 50):
        # when the best are ranked from arrays
        fast = selectors.ranked_histories(occupation_id=warehouse.pk, place=place, as_of=now, limit=limit)
        # then they are exactly those of scoring every employer's history
        assert fast == hiring.rank(selectors.histories(occupation_id=warehouse.pk, place=place, as_of=now),
                                   limit=limit)
        assert len(fast) == min(limit, 40 - 6)  # the six in Copenhagen are beyond 25 km


def _counted_one_by_one(since, as_of) -> dict[int, int]:
    from jobunivers.employers.models import OrganisationPosting

    counts: dict[int, int] = {}
    for organisation_id, published in OrganisationPosting.objects.values_list("organisation_id", "published_at"):
        if since <= published <= as_of:
            counts[organisation_id] = counts.get(organisation_id, 0) + 1
    return counts


def test_size_totals_count_every_occupation_in_the_window_also_after_new_postings_are_linked(warehouse):
    # given employers with postings at the window's edges, in several occupations
    factories.postings("Kant", occupation=warehouse, days_ago=(0, 1, 729, 731, 900))
    factories.postings("Kant", occupation=None, days_ago=(10, 400))
    factories.postings("Lille", occupation=warehouse, days_ago=(3,))
    now = timezone.now() + datetime.timedelta(minutes=1)
    since = now - datetime.timedelta(days=hiring.HISTORY_DAYS)
    version = selectors._history_version()
    organisation_ids = sorted(_counted_one_by_one(since - datetime.timedelta(days=400), now)) + [987654]
    # when the totals are read from the memo
    totals = selectors._totals(organisation_ids, since, now, version)
    # then they are those of counting row by row, and an employer without postings is left out
    assert totals == _counted_one_by_one(since, now)
    assert sorted(totals.values()) == [1, 5]
    # and when more postings are linked (a new employer and one more for an old one), the memo is updated
    factories.postings("Ny", occupation=None, days_ago=(2, 3))
    factories.postings("Lille", occupation=None, days_ago=(4,))
    version = selectors._history_version()
    organisation_ids = sorted(_counted_one_by_one(since, now)) + [987654]
    assert selectors._totals(organisation_ids, since, now, version) == _counted_one_by_one(since, now)
    assert sorted(selectors._totals(organisation_ids, since, now, version).values()) == [2, 2, 5]
    # and a window that ends before it starts counts nothing
    assert set(selectors._totals(organisation_ids, since, since - datetime.timedelta(days=1), version).values()) == {0}
