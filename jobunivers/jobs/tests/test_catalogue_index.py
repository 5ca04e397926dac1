"""The catalogue's look-up of postings by occupation or unit group (positions_with) gives what comparing
every posting gives (np.isin), for any column contents and any values asked for."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from jobunivers.jobs.catalogue import Catalogue


def _catalogue(occupation: list[int], isco: list[int]) -> Catalogue:
    n = len(occupation)
    zeros = np.zeros(n)
    return Catalogue(version=(), built_at=0.0, ids=np.arange(1, n + 1, dtype=np.int64), latitude=zeros, longitude=zeros,
                     occupation=np.asarray(occupation, dtype=np.int64), isco=np.asarray(isco, dtype=np.int32),
                     isco3=np.asarray(isco, dtype=np.int32) // 10, municipality=np.zeros(n, dtype=np.int32),
                     hours=np.zeros(n, dtype=np.int16), hours_values=(), employment_type=np.zeros(n, dtype=np.int16),
                     employment_type_values=(), published=zeros, deadline=np.zeros(n, dtype=np.int32),
                     newest_rank=np.arange(n, dtype=np.int32))


values = st.lists(st.integers(min_value=-1, max_value=12), max_size=60)


@settings(max_examples=200, deadline=None)
@given(occupation=values, asked=st.lists(st.integers(min_value=-2, max_value=14), max_size=6), column=st.sampled_from(
    ["occupation", "isco", "isco3"]))
def test_positions_with_is_isin(occupation, asked, column):
    catalogue = _catalogue(occupation, [1000 + v for v in occupation])
    data = getattr(catalogue, column)
    asked = {"occupation": asked, "isco": [1000 + v for v in asked], "isco3": [(1000 + v) // 10 for v in asked]}[column]
    expected = np.flatnonzero(np.isin(data, np.asarray(asked, dtype=np.int64)))
    # asked twice: the second answer comes from the sorted order kept in the catalogue
    for _ in range(2):
        found = catalogue.positions_with(column, asked)
        assert found.dtype == np.int64 and found.tolist() == expected.tolist()
        assert catalogue.mask_with(column, asked).tolist() == np.isin(data, np.asarray(asked, dtype=np.int64)).tolist()
