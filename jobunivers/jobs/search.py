"""Job search: Danish full text, filters, a radius in km, sorting and paging, on PostgreSQL and SQLite.

Full text: PostgreSQL matches `search_vector` (the 'danish' configuration, GIN
index); SQLite matches the FTS5 table over application-stemmed text with the
same Snowball algorithm. Radius: a bounding box on the indexed coordinates
narrows the rows, then the exact great-circle (haversine) distance decides.
See docs/adr/0020-job-search.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
from django.contrib.postgres.search import SearchQuery as PgSearchQuery
from django.contrib.postgres.search import SearchRank
from django.db import connection
from django.db.models import F, QuerySet

from .models import JobPosting, PostingStatus
from .stemming import stem, words

EARTH_RADIUS_KM = 6371.0088
DEFAULT_RADIUS_KM = 50
MAX_RADIUS_KM = 500
SORTS = ("relevance", "distance", "date")
MAX_MARKERS = 5000


@dataclass(frozen=True)
class Centre:
    latitude: float
    longitude: float
    label: str = ""


@dataclass(frozen=True)
class JobQuery:
    text: str = ""
    occupation_id: int | None = None
    municipality_code: str = ""
    hours: str = ""
    employment_type: str = ""
    deadline_from: date | None = None  # application deadline on or after this day
    posted_since: date | None = None
    centre: Centre | None = None
    radius_km: float = DEFAULT_RADIUS_KM
    sort: str = "relevance"
    page: int = 1
    page_size: int = 20


@dataclass
class JobHit:
    posting: JobPosting
    distance_km: float | None


@dataclass
class JobResults:
    query: JobQuery
    total: int
    page: int
    pages: int
    hits: list[JobHit] = field(default_factory=list)

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def haversine_km(lat1: np.ndarray, lon1: np.ndarray, lat2: float, lon2: float) -> np.ndarray:
    lat1, lon1 = np.radians(lat1), np.radians(lon1)
    lat2, lon2 = math.radians(lat2), math.radians(lon2)
    a = np.sin((lat1 - lat2) / 2) ** 2 + np.cos(lat1) * math.cos(lat2) * np.sin((lon1 - lon2) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def bounding_box(centre: Centre, radius_km: float) -> tuple[float, float, float, float]:
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    dlon = math.degrees(radius_km / (EARTH_RADIUS_KM * max(math.cos(math.radians(centre.latitude)), 0.01)))
    return centre.latitude - dlat, centre.latitude + dlat, centre.longitude - dlon, centre.longitude + dlon


def _fts5_expression(text: str) -> str:
    """Every word must match, as a stem prefix ("tømrer" finds "tømrerfirma" too)."""
    stems = [stem(w) for w in words(text)]
    return " AND ".join(f'"{s}"*' for s in stems if s)


def _filtered(query: JobQuery) -> QuerySet[JobPosting]:
    queryset = JobPosting.objects.filter(status=PostingStatus.ACTIVE)
    if query.occupation_id:
        queryset = queryset.filter(occupation_id=query.occupation_id)
    if query.municipality_code:
        queryset = queryset.filter(municipality_code=query.municipality_code)
    if query.hours:
        queryset = queryset.filter(hours=query.hours)
    if query.employment_type:
        queryset = queryset.filter(employment_type=query.employment_type)
    if query.deadline_from:
        queryset = queryset.filter(application_deadline__gte=query.deadline_from)
    if query.posted_since:
        queryset = queryset.filter(published_at__date__gte=query.posted_since)
    if query.centre is not None:
        south, north, west, east = bounding_box(query.centre, query.radius_km)
        queryset = queryset.filter(latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east)
    return queryset


def _text_filter(queryset: QuerySet[JobPosting], text: str) -> tuple[QuerySet[JobPosting], dict[int, float] | None, bool]:
    """(queryset, rank by id or None, ranked in SQL). Ranks are higher-is-better."""
    if not words(text):
        return queryset, None, False
    if connection.vendor == "postgresql":
        search = PgSearchQuery(text, config="danish", search_type="websearch")
        return queryset.filter(search_vector=search).annotate(rank=SearchRank(F("search_vector"), search)), None, True
    expression = _fts5_expression(text)
    if not expression:
        return queryset.none(), {}, False
    with connection.cursor() as cursor:
        cursor.execute("SELECT rowid, bm25(jobs_posting_fts) FROM jobs_posting_fts WHERE jobs_posting_fts MATCH %s",
                       [expression])
        ranks = {row[0]: -row[1] for row in cursor.fetchall()}  # bm25: lower is better
    queryset = queryset.extra(  # noqa: S610 - constant SQL, the user's text is a bound parameter
        where=["jobs_jobposting.id IN (SELECT rowid FROM jobs_posting_fts WHERE jobs_posting_fts MATCH %s)"],
        params=[expression],
    )
    return queryset, ranks, False


def _candidates(query: JobQuery) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(ids, distances, ranks, published timestamps) of every match, radius applied exactly."""
    queryset, ranks, ranked_in_sql = _text_filter(_filtered(query), query.text)
    columns = ["id", "latitude", "longitude", "published_at"] + (["rank"] if ranked_in_sql else [])
    rows = list(queryset.values_list(*columns))
    if not rows:
        empty = np.zeros(0)
        return empty.astype(np.int64), empty, empty, empty
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    published = np.fromiter((r[3].timestamp() for r in rows), dtype=np.float64, count=len(rows))
    if ranked_in_sql:
        rank = np.fromiter((r[4] for r in rows), dtype=np.float64, count=len(rows))
    elif ranks is not None:
        rank = np.fromiter((ranks.get(r[0], 0.0) for r in rows), dtype=np.float64, count=len(rows))
    else:
        rank = np.zeros(len(rows))
    distances = np.full(len(rows), np.nan)
    if query.centre is not None:
        latitudes = np.array([r[1] if r[1] is not None else np.nan for r in rows], dtype=np.float64)
        longitudes = np.array([r[2] if r[2] is not None else np.nan for r in rows], dtype=np.float64)
        distances = haversine_km(latitudes, longitudes, query.centre.latitude, query.centre.longitude)
        inside = distances <= query.radius_km
        ids, distances, rank, published = ids[inside], distances[inside], rank[inside], published[inside]
    return ids, distances, rank, published


def _order(query: JobQuery, ids, distances, rank, published) -> np.ndarray:
    sort = query.sort
    if sort == "distance" and query.centre is None:
        sort = "date"
    if sort == "relevance" and not words(query.text):
        sort = "distance" if query.centre is not None else "date"
    if sort == "distance":
        return np.lexsort((-published, distances))
    if sort == "relevance":
        return np.lexsort((-published, -np.round(rank, 6)))
    return np.lexsort((-ids, -published))


def search_postings(query: JobQuery) -> JobResults:
    ids, distances, rank, published = _candidates(query)
    total = len(ids)
    pages = max(1, math.ceil(total / query.page_size))
    page = min(max(1, query.page), pages)
    order = _order(query, ids, distances, rank, published)
    window = order[(page - 1) * query.page_size: page * query.page_size]
    page_ids = [int(ids[i]) for i in window]
    by_id = JobPosting.objects.select_related("occupation").in_bulk(page_ids)
    hits = [JobHit(posting=by_id[int(ids[i])], distance_km=None if np.isnan(distances[i]) else round(float(distances[i]), 1))
            for i in window if int(ids[i]) in by_id]
    return JobResults(query=replace(query, page=page), total=total, page=page, pages=pages, hits=hits)


def search_markers(query: JobQuery, *, limit: int = MAX_MARKERS) -> tuple[int, list[dict]]:
    """Lean marker data for the map: every match in the radius (up to `limit`), no descriptions."""
    ids, distances, rank, published = _candidates(query)
    order = _order(query, ids, distances, rank, published)[:limit]
    chosen = [int(ids[i]) for i in order]
    distance_of = {int(ids[i]): (None if np.isnan(distances[i]) else round(float(distances[i]), 1)) for i in order}
    rows = JobPosting.objects.filter(pk__in=chosen, latitude__isnull=False).values_list(
        "id", "title", "employer_name", "latitude", "longitude", "city")
    by_id = {r[0]: r for r in rows}
    markers = [
        {"id": pk, "title": by_id[pk][1], "employer": by_id[pk][2], "lat": round(by_id[pk][3] or 0.0, 5),
         "lon": round(by_id[pk][4] or 0.0, 5), "city": by_id[pk][5], "distance_km": distance_of[pk]}
        for pk in chosen if pk in by_id
    ]
    return len(ids), markers
