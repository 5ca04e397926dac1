"""The facts a diagnosis is built from, gathered for a batch of citizens at once.

Each citizen's facts are their own (occupations sought, radius, job log, CV and profile) and
counts of the market around them (open postings and other job seekers within their radius). Gender
and origin are never read (docs/adr/0052): a test checks the facts' fields.

The market is counted once per place and radius in a run (`MarketIndex`): citizens share home
postcodes, so 117,000 citizens need a few thousand distance computations, not 117,000.
"""

from __future__ import annotations

import datetime
import math
from collections import Counter
from dataclasses import dataclass, fields

import numpy as np

EARTH_RADIUS_KM = 6371.0088
WIDER_RADIUS_FACTOR = 2
WIDER_RADIUS_MAX_KM = 150


@dataclass(frozen=True)
class CitizenFacts:
    citizen_id: int
    municipality_id: int
    occupation_ids: tuple[int, ...]
    has_occupation_text: bool
    has_postcode: bool
    home_postcode: str
    radius_km: int
    jobs_nearby: int  # open postings in the occupations sought within the radius
    jobs_wider: int  # the same within the wider radius
    wider_radius_km: int
    seekers_nearby: int  # other citizens on the platform seeking the same occupations within the radius
    neighbour_occupation_id: int | None  # a neighbouring occupation with more open postings nearby
    neighbour_jobs_nearby: int
    applications_28_days: int
    applications_90_days: int
    unsolicited_90_days: int
    interviews_90_days: int
    days_since_last_entry: int | None
    has_cv: bool
    has_skills: bool
    has_experience: bool
    has_education: bool

    def as_dict(self) -> dict:
        # Not dataclasses.asdict: it deep-copies every value, a third of the weekly run's time.
        values = {name: getattr(self, name) for name in FIELD_NAMES}
        values["occupation_ids"] = list(self.occupation_ids)
        return values

    @classmethod
    def from_dict(cls, data: dict) -> CitizenFacts:
        values = dict(data)
        values["occupation_ids"] = tuple(values.get("occupation_ids") or ())
        return cls(**values)


FIELD_NAMES = tuple(field.name for field in fields(CitizenFacts))


def wider_radius(radius_km: int) -> int:
    return int(min(max(radius_km * WIDER_RADIUS_FACTOR, radius_km + 10), max(WIDER_RADIUS_MAX_KM, radius_km)))


def distances_km(latitudes: np.ndarray, longitudes: np.ndarray, latitude: float, longitude: float) -> np.ndarray:
    lat1, lon1 = np.radians(latitudes), np.radians(longitudes)
    lat2, lon2 = math.radians(latitude), math.radians(longitude)
    a = np.sin((lat1 - lat2) / 2) ** 2 + np.cos(lat1) * math.cos(lat2) * np.sin((lon1 - lon2) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


class MarketIndex:
    """Open postings (from the jobs catalogue) and job seekers (occupation and home coordinates),
    counted per occupation around a place; memoised per (place, radius) for one run only."""

    def __init__(self, *, catalogue, seekers: list[tuple[int, int, float, float]]):
        known = ~np.isnan(catalogue.latitude) & (catalogue.occupation >= 0)
        self.posting_ids = catalogue.ids[known]
        self.posting_latitude = catalogue.latitude[known]
        self.posting_longitude = catalogue.longitude[known]
        self.posting_occupation = catalogue.occupation[known]
        points: dict[tuple[float, float], int] = {}
        by_occupation: dict[int, Counter] = {}
        for occupation_id, _citizen_id, latitude, longitude in seekers:
            if latitude is None or longitude is None:
                continue
            index = points.setdefault((latitude, longitude), len(points))
            by_occupation.setdefault(occupation_id, Counter())[index] += 1
        self.seeker_latitude = np.array([p[0] for p in points], dtype=np.float64)
        self.seeker_longitude = np.array([p[1] for p in points], dtype=np.float64)
        self._seekers_by_occupation = {
            occupation_id: (np.fromiter(counter.keys(), dtype=np.int64), np.fromiter(counter.values(), dtype=np.int64))
            for occupation_id, counter in by_occupation.items()}
        self._postings_memo: dict[tuple, dict[int, int]] = {}
        self._points_memo: dict[tuple, np.ndarray] = {}

    def _posting_mask(self, latitude: float, longitude: float, radius_km: float) -> np.ndarray:
        return distances_km(self.posting_latitude, self.posting_longitude, latitude, longitude) <= radius_km

    def postings_by_occupation(self, latitude: float, longitude: float, radius_km: float) -> dict[int, int]:
        key = (latitude, longitude, radius_km)
        hit = self._postings_memo.get(key)
        if hit is None:
            occupations, counts = np.unique(self.posting_occupation[self._posting_mask(*key)], return_counts=True)
            hit = dict(zip(occupations.tolist(), counts.tolist(), strict=True))
            self._postings_memo[key] = hit
        return hit

    def posting_ids_near(self, latitude: float, longitude: float, radius_km: float, occupation_ids) -> np.ndarray:
        mask = self._posting_mask(latitude, longitude, radius_km) & np.isin(self.posting_occupation, list(occupation_ids))
        return self.posting_ids[mask]

    def seekers(self, latitude: float, longitude: float, radius_km: float, occupation_ids) -> int:
        """Citizens seeking any of these occupations within the radius (each counted once per occupation)."""
        key = (latitude, longitude, radius_km)
        near = self._points_memo.get(key)
        if near is None:
            near = (distances_km(self.seeker_latitude, self.seeker_longitude, latitude, longitude) <= radius_km
                    if len(self.seeker_latitude) else np.zeros(0, dtype=bool))
            self._points_memo[key] = near
        total = 0
        for occupation_id in occupation_ids:
            found = self._seekers_by_occupation.get(occupation_id)
            if found is not None:
                total += int(found[1][near[found[0]]].sum())
        return total


def gather(*, first_id: int, last_id: int, today: datetime.date, market: MarketIndex,
           neighbours: dict[int, tuple[int, ...]] | None = None) -> list[CitizenFacts]:
    """Facts for the citizens with ids first_id..last_id (any municipality; callers pass a batch they may
    read). Seven queries per batch whatever its size, plus the neighbouring occupations of occupations
    not seen before in the run."""
    from jobunivers.citizens.selectors import job_search_facts_for, seeker_profiles
    from jobunivers.taxonomy.selectors import neighbour_occupations

    searches = job_search_facts_for(first_id=first_id, last_id=last_id, today=today)
    profiles = seeker_profiles(first_id=first_id, last_id=last_id)
    neighbours = neighbours if neighbours is not None else {}
    unknown = {o for p in profiles.values() for o in p.occupation_ids if o not in neighbours}
    if unknown:
        neighbours.update(neighbour_occupations(unknown))
    result = []
    for citizen_id, search in sorted(searches.items()):
        profile = profiles.get(citizen_id)
        occupation_ids = profile.occupation_ids if profile else ()
        radius = int(profile.radius_km) if profile else 25
        located = profile is not None and profile.latitude is not None and profile.longitude is not None
        jobs = jobs_wider = seekers = neighbour_jobs = 0
        neighbour_id = None
        wide = wider_radius(radius)
        if located and occupation_ids:
            assert profile is not None and profile.latitude is not None and profile.longitude is not None
            counts = market.postings_by_occupation(profile.latitude, profile.longitude, radius)
            wider_counts = market.postings_by_occupation(profile.latitude, profile.longitude, wide)
            jobs = sum(counts.get(o, 0) for o in occupation_ids)
            jobs_wider = sum(wider_counts.get(o, 0) for o in occupation_ids)
            seekers = max(0, market.seekers(profile.latitude, profile.longitude, radius, occupation_ids)
                          - len(occupation_ids))  # the citizen themself, once per occupation sought
            candidates = {n for o in occupation_ids for n in neighbours.get(o, ()) if n not in occupation_ids}
            best = max(sorted(candidates), key=lambda n: counts.get(n, 0), default=None)
            if best is not None and counts.get(best, 0) > jobs:
                neighbour_id, neighbour_jobs = best, counts[best]
        last = search.last_entry_on
        result.append(CitizenFacts(
            citizen_id=citizen_id, municipality_id=search.municipality_id, occupation_ids=tuple(occupation_ids),
            has_occupation_text=bool(profile and profile.has_occupation_text),
            has_postcode=search.has_postcode, home_postcode=profile.home_postcode if profile else "",
            radius_km=radius, jobs_nearby=jobs, jobs_wider=jobs_wider,
            wider_radius_km=wide, seekers_nearby=seekers, neighbour_occupation_id=neighbour_id,
            neighbour_jobs_nearby=neighbour_jobs, applications_28_days=search.applications_28_days,
            applications_90_days=search.applications_90_days, unsolicited_90_days=search.unsolicited_90_days,
            interviews_90_days=search.interviews_90_days,
            days_since_last_entry=(today - last).days if last else None, has_cv=search.has_cv,
            has_skills=bool(profile and profile.has_skills),
            has_experience=search.has_experience, has_education=search.has_education or bool(
                profile and profile.has_education_level)))
    return result


def market_index() -> MarketIndex:
    from jobunivers.citizens.selectors import seekers_by_occupation
    from jobunivers.jobs.selectors import posting_catalogue

    return MarketIndex(catalogue=posting_catalogue(), seekers=seekers_by_occupation())


def market_index_for(occupation_ids) -> MarketIndex:
    """A market index holding only the seekers of these occupations (one citizen's page or recompute)."""
    from jobunivers.citizens.selectors import seekers_by_occupation
    from jobunivers.jobs.selectors import posting_catalogue

    return MarketIndex(catalogue=posting_catalogue(), seekers=seekers_by_occupation(occupation_ids=occupation_ids))
