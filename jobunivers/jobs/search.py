"""Job search: Danish full text, filters, a radius in km, sorting and paging, on PostgreSQL and SQLite.

Full text: PostgreSQL matches `search_vector` (the 'danish' configuration, GIN
index); SQLite matches the FTS5 table over application-stemmed text with the
same Snowball algorithm. Radius: a bounding box on the indexed coordinates
narrows the rows, a planar approximation settles the rows well inside or outside, and the exact
great-circle (haversine) distance decides the band at the edge, all in SQL. Ranking, ordering,
counting and paging run in SQL too; only the page's postings are loaded.
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
from django.db.models import ExpressionWrapper, F, FloatField, Func, Q, QuerySet, Value
from django.db.models.functions import ASin, Cos, Least, Radians, Sin, Sqrt

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
    """South, north, west, east of a box that holds the whole circle (the widest longitude span of a
    circle on the sphere is asin(sin(r) / cos(lat)), a little wider than r / cos(lat))."""
    angle = radius_km / EARTH_RADIUS_KM
    dlat = math.degrees(angle)
    cos_lat = max(math.cos(math.radians(centre.latitude)), 0.01)
    ratio = math.sin(angle) / cos_lat
    dlon = 180.0 if ratio >= 1 else math.degrees(math.asin(ratio)) * 1.000001
    return centre.latitude - dlat, centre.latitude + dlat, centre.longitude - dlon, centre.longitude + dlon


def _haversine_scalar(lat1, lon1, lat2, lon2):
    if lat1 is None or lon1 is None:
        return None
    lat1, lon1, lat2, lon2 = math.radians(lat1), math.radians(lon1), math.radians(lat2), math.radians(lon2)
    a = math.sin((lat1 - lat2) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon1 - lon2) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(max(a, 0.0), 1.0)))


def _register_sqlite_functions() -> None:
    """The exact great-circle distance as an SQL function on SQLite (PostgreSQL has the maths built in)."""
    connection.ensure_connection()
    connection.connection.create_function("jobs_haversine_km", 4, _haversine_scalar, deterministic=True)


def _exact_km(centre: Centre):
    """The exact haversine distance in km from `centre`, as an SQL expression."""
    if connection.vendor == "sqlite":
        return Func(F("latitude"), F("longitude"), Value(centre.latitude), Value(centre.longitude),
                    function="jobs_haversine_km", output_field=FloatField())
    lat0, lon0 = math.radians(centre.latitude), math.radians(centre.longitude)
    half_dlat = Sin((Radians(F("latitude")) - Value(lat0)) / Value(2.0))
    half_dlon = Sin((Radians(F("longitude")) - Value(lon0)) / Value(2.0))
    a = half_dlat * half_dlat + Cos(Radians(F("latitude"))) * Value(math.cos(lat0)) * half_dlon * half_dlon
    return ExpressionWrapper(Value(2 * EARTH_RADIUS_KM) * ASin(Sqrt(Least(Value(1.0), a))), output_field=FloatField())


def _planar_deg2(centre: Centre):
    """Squared planar distance in degrees of latitude (equirectangular at the centre's latitude): plain
    arithmetic, cheap on every row; accurate to about 1 % within 100 km at Danish latitudes."""
    k = math.cos(math.radians(centre.latitude))
    dy = F("latitude") - Value(centre.latitude)
    dx = (F("longitude") - Value(centre.longitude)) * Value(k)
    return ExpressionWrapper(dy * dy + dx * dx, output_field=FloatField())


def _radius_filter(queryset: QuerySet[JobPosting], centre: Centre, radius_km: float) -> QuerySet[JobPosting]:
    """Exact radius: rows well inside (planar) pass at once, rows well outside fail at once, and only the
    band around the edge is decided by the exact haversine distance."""
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    tilt = math.tan(math.radians(min(abs(centre.latitude) + dlat, 85.0))) * math.radians(dlat / 2)
    band = min(0.5, 0.01 + 2 * tilt)
    inner, outer = (dlat * (1 - band)) ** 2, (dlat * (1 + band)) ** 2
    queryset = queryset.annotate(_planar=_planar_deg2(centre), _exact=_exact_km(centre))
    return queryset.filter(Q(_planar__lte=inner) | Q(_planar__lte=outer, _exact__lte=radius_km))


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
        if connection.vendor == "sqlite":
            _register_sqlite_functions()
        queryset = _radius_filter(queryset, query.centre, query.radius_km)
    return queryset


def _effective_sort(query: JobQuery, ranked: bool) -> str:
    sort = query.sort
    if sort == "distance" and query.centre is None:
        sort = "date"
    if sort == "relevance" and not ranked:
        sort = "distance" if query.centre is not None else "date"
    return sort


class _Matches:
    """Every match in the radius, ordered: filters, box, radius, text, rank, count and paging in SQL.

    PostgreSQL and searches without words use the ORM (the GIN index and `ts_rank`). SQLite with words
    joins the FTS5 match (which drives: its rowids are looked up by primary key, so only matching rows
    are filtered) with the postings; bm25 ranks.
    """

    def __init__(self, query: JobQuery):
        self.query = query
        self.filtered = _filtered(query)
        self.fts = ""
        self.ranked = False
        queryset = self.filtered
        if words(query.text):
            if connection.vendor == "postgresql":
                search = PgSearchQuery(query.text, config="danish", search_type="websearch")
                queryset = queryset.filter(search_vector=search).annotate(rank=SearchRank(F("search_vector"), search))
                self.ranked = True
            else:
                self.fts = _fts5_expression(query.text)
                self.ranked = bool(self.fts)
                if not self.fts:
                    queryset = queryset.none()
        self.sort = _effective_sort(query, self.ranked)
        if self.sort == "distance":
            queryset = queryset.order_by("_exact", "-published_at", "-id")  # type: ignore[misc]  # annotated above
        elif self.sort == "relevance" and not self.fts:
            queryset = queryset.order_by("-rank", "-published_at", "-id")  # type: ignore[misc]  # annotated above
        else:
            queryset = queryset.order_by("-published_at", "-id")
        self.queryset = queryset

    def _fts_sql(self, *, with_rank: bool) -> tuple[str, list]:
        query = self.filtered.query
        compiler = query.get_compiler(connection=connection)
        where, params = compiler.compile(query.where)
        table = connection.ops.quote_name(JobPosting._meta.db_table)
        rank = ", -bm25(jobs_posting_fts) AS rank" if with_rank else ""
        # The WHERE is Django's compiled filter (values are bound parameters); the user's text is bound too.
        sql = (f"FROM (SELECT rowid AS id{rank} FROM jobs_posting_fts WHERE jobs_posting_fts MATCH %s) AS fts "  # noqa: S608
               f"CROSS JOIN {table} ON {table}.\"id\" = fts.id WHERE {where or '1'}")
        return sql, [self.fts, *params]

    def count(self) -> int:
        if not self.fts:
            return self.queryset.count()
        sql, params = self._fts_sql(with_rank=False)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) {sql}", params)
            return cursor.fetchone()[0]

    def ids(self, start: int, stop: int) -> list[int]:
        return self.page(start, stop)[0]

    def page(self, start: int, stop: int) -> tuple[list[int], int | None]:
        """The ids of rows start..stop and, on SQLite's FTS path, the total (one pass, COUNT(*) OVER ())."""
        if not self.fts:
            return list(self.queryset.values_list("id", flat=True)[start:stop]), None
        sql, params = self._fts_sql(with_rank=self.sort == "relevance")
        table = connection.ops.quote_name(JobPosting._meta.db_table)
        if self.sort == "relevance":
            order = f"fts.rank DESC, {table}.\"published_at\" DESC, {table}.\"id\" DESC"
        elif self.sort == "distance":
            order = f"jobs_haversine_km({table}.\"latitude\", {table}.\"longitude\", %s, %s), " \
                    f"{table}.\"published_at\" DESC, {table}.\"id\" DESC"
            centre = self.query.centre
            assert centre is not None  # distance sorting is only chosen with a centre
            params += [centre.latitude, centre.longitude]
        else:
            order = f"{table}.\"published_at\" DESC, {table}.\"id\" DESC"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {table}.\"id\", COUNT(*) OVER () {sql} ORDER BY {order} LIMIT %s OFFSET %s",
                           [*params, stop - start, start])
            rows = cursor.fetchall()
        return [row[0] for row in rows], (rows[0][1] if rows else None)


def _distance(latitude, longitude, centre: Centre | None) -> float | None:
    if centre is None or latitude is None or longitude is None:
        return None
    return round(float(_haversine_scalar(latitude, longitude, centre.latitude, centre.longitude)), 1)


def search_postings(query: JobQuery) -> JobResults:
    matches = _Matches(query)
    page = max(1, query.page)
    total = None
    if matches.fts:  # the page and the count in one pass; past the last page, count and ask again
        ids, total = matches.page((page - 1) * query.page_size, page * query.page_size)
    if total is None:
        total = matches.count()
        page = min(page, max(1, math.ceil(total / query.page_size)))
        ids = matches.ids((page - 1) * query.page_size, page * query.page_size) if total else []
    pages = max(1, math.ceil(total / query.page_size))
    by_id = JobPosting.objects.select_related("occupation").in_bulk(ids)
    hits = [JobHit(posting=by_id[pk], distance_km=_distance(by_id[pk].latitude, by_id[pk].longitude, query.centre))
            for pk in ids if pk in by_id]
    return JobResults(query=replace(query, page=page), total=total, page=page, pages=pages, hits=hits)


def search_markers(query: JobQuery, *, limit: int = MAX_MARKERS) -> tuple[int, list[dict]]:
    """Lean marker data for the map: every match in the radius (up to `limit`), no descriptions."""
    matches = _Matches(query)
    total = matches.count()
    ids = matches.ids(0, limit) if total else []
    rows = JobPosting.objects.filter(pk__in=ids, latitude__isnull=False).values_list(
        "id", "title", "employer_name", "latitude", "longitude", "city")
    by_id = {r[0]: r for r in rows}
    markers = []
    for pk in ids:
        if pk not in by_id:
            continue
        _, title, employer, lat, lon, city = by_id[pk]
        markers.append({"id": pk, "title": title, "employer": employer, "lat": round(lat or 0.0, 5),
                        "lon": round(lon or 0.0, 5), "city": city, "distance_km": _distance(lat, lon, query.centre)})
    return total, markers
