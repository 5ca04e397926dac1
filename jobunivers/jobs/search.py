"""Job search: Danish full text, filters, a radius in km, sorting and paging, on PostgreSQL and SQLite.

Text: each search word is looked up in the database's full-text index, PostgreSQL's `search_vector`
(the 'danish' configuration, GIN index, `ts_rank`) or SQLite's FTS5 table over application-stemmed
text (the same Snowball algorithm, `bm25`). Every word must match, as a stem prefix ("tømrer" finds
"tømrerfirma" too); Danish stop words are left out on both databases. A word's matches and scores
are kept per process for the life of the postings catalogue (jobs.catalogue), so a common word
("erfaren" matches three ads in four) is read from the index once, not per search; on PostgreSQL a word
no posting has is not read at all (the catalogue's lexicon of the index, jobs.lexicon).

Filters, the radius (exact great-circle distance), counting, sorting and paging then run as numpy
operations over the catalogue's columns; only the shown page's postings are loaded, by id and
status. See docs/adr/0020-job-search.md and docs/adr/0023-search-catalogue.md.
"""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jobunivers.taxonomy import selectors as taxonomy

from .carry import carried
from .catalogue import NO_DEADLINE, Catalogue
from .catalogue import current as current_catalogue
from .lexicon import may_match
from .models import JobPosting, PostingStatus
from .shown import ShownPosting, postings_by_id
from .stemming import STOP_WORDS, fts5_query_text, stem, tsquery_text, words
from .understanding import TYPED, Group, Interpretation, interpret
from .validation import readable_filter

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
    # Synonyms, compounds, occupations behind the words and typos (understanding.py); False is the
    # plain lexical search (every word as a stem prefix), kept as the evaluation's baseline.
    understand: bool = True


@dataclass
class JobHit:
    posting: JobPosting | ShownPosting  # a ShownPosting row where the search asked for `fields`
    distance_km: float | None
    reason: str = ""  # why it matched, when not by the words as typed ("Stillingen er tømrer")


@dataclass
class JobResults:
    query: JobQuery
    total: int
    page: int
    pages: int
    hits: list[JobHit] = field(default_factory=list)
    corrections: list = field(default_factory=list)  # understanding.Correction: "Mente du …?"
    left_out: list[str] = field(default_factory=list)  # typed words no posting has, searched without
    ignored: list[str] = field(default_factory=list)  # words beyond the first ten, not searched
    # The postings catalogue the page was found in: spelling suggestions and widenings count in the
    # same one (and need not read the version token again).
    catalogue: Catalogue | None = field(default=None, repr=False, compare=False)

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


# --- text: one index look-up per word, kept for the catalogue's life -----------------------------------

_terms_lock = threading.Lock()


def search_terms(text: str) -> list[str]:
    """The words that must match: no stop words, no repeats; stems on SQLite (PostgreSQL stems itself)."""
    terms: list[str] = []
    for word in words(text):
        if word in STOP_WORDS:
            continue
        term = stem(word) if connection.vendor == "sqlite" else word
        if term and term not in terms:
            terms.append(term)
    return terms


def _index_lookup(term: str) -> tuple[np.ndarray, np.ndarray]:
    """(posting ids, relevance) of the postings matching one word (as a stem prefix: is_prefix)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Two arrays in one row: a common word matches thousands of postings, and turning each row
            # into a Python tuple cost more than the index look-up ("aps", 10,000 rows: 20 -> 12 ms).
            cursor.execute(
                "SELECT array_agg(p.id), array_agg(ts_rank(p.search_vector, q)) FROM jobs_jobposting p,"
                " to_tsquery('pg_catalog.danish', %s) q WHERE p.status = %s AND p.search_vector @@ q",
                [tsquery_text(term), PostingStatus.ACTIVE])
            return _arrays(*cursor.fetchone())
        # -bm25: FTS5 scores lower-is-better; a query's bm25 is the sum of its phrases' scores.
        cursor.execute("SELECT rowid, -bm25(jobs_posting_fts) FROM jobs_posting_fts WHERE jobs_posting_fts MATCH %s",
                       [fts5_query_text(term)])
        rows = cursor.fetchall()
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    scores = np.fromiter((r[1] for r in rows), dtype=np.float32, count=len(rows))
    return ids, scores


def _index_lookups(terms: list[str]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """`_index_lookup` of several words in one PostgreSQL statement (a lateral `to_tsquery` per word,
    each a GIN look-up as alone): {term: (posting ids, relevance)}, empty arrays for a word nothing has."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.n, array_agg(p.id), array_agg(ts_rank(p.search_vector, q))"
            " FROM unnest(%s::text[]) WITH ORDINALITY AS t(query, n)"
            " CROSS JOIN LATERAL to_tsquery('pg_catalog.danish', t.query) AS q"
            " JOIN jobs_jobposting p ON p.status = %s AND p.search_vector @@ q GROUP BY t.n",
            [[tsquery_text(term) for term in terms], PostingStatus.ACTIVE])
        found = {n: (ids, scores) for n, ids, scores in cursor.fetchall()}
    return {term: _arrays(*found.get(n, (None, None))) for n, term in enumerate(terms, start=1)}


def _arrays(ids: list[int] | None, scores: list[float] | None) -> tuple[np.ndarray, np.ndarray]:
    """PostgreSQL's two `array_agg`s (NULL when nothing matched) as (ids, relevance) arrays."""
    return np.asarray(ids or [], dtype=np.int64), np.asarray(scores or [], dtype=np.float32)


def _located(catalogue: Catalogue, ids: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The index's matches as ascending catalogue positions with their scores (active postings only)."""
    order = np.argsort(ids, kind="stable")
    ids, scores = ids[order], scores[order]
    where, known = catalogue.locate(ids)
    return where[known].astype(np.int32), scores[known]


def _keep_term(catalogue: Catalogue, key, entry: tuple[np.ndarray, np.ndarray], hits: int) -> None:
    counted = catalogue.notes.setdefault("term_hits", {})
    if len(counted) > 100_000:  # bounded like the matches (a few ints a word; the catalogue lives minutes)
        counted.clear()
    counted[key] = hits
    _remember(catalogue.terms, key, entry)


# A word no posting of the catalogue has (lexicon.py): its matches, without a read of the index.
_NOTHING = ((np.empty(0, dtype=np.int32), np.empty(0, dtype=np.float32)), 0)


def _term_matches(catalogue: Catalogue, term: str) -> tuple[np.ndarray, np.ndarray]:
    """Catalogue positions (ascending) and scores of one word's active matches, cached per catalogue."""
    cache = catalogue.terms
    key = (connection.vendor, term)
    with _terms_lock:
        hit = cache.get(key)
        if hit is not None:
            cache[key] = cache.pop(key)  # most recently used last
            return hit
    found = carried(catalogue, key, term) if may_match(catalogue, term) else _NOTHING
    if found is not None:  # re-based from an earlier catalogue's cache (carry.py), or no posting has it
        entry, hits = found
    else:
        ids, scores = _index_lookup(term)
        entry, hits = _located(catalogue, ids, scores), len(ids)
    _keep_term(catalogue, key, entry, hits)
    return entry


def _prefetch_terms(catalogue: Catalogue, groups: list[Group]) -> None:
    """On PostgreSQL, read the words of these groups that neither the word cache nor an earlier
    catalogue's (carry.py) holds in one statement: a new query has one to six such words, and a
    statement of its own cost each about 0.1 ms more than its share of one (bench database)."""
    if connection.vendor != "postgresql":
        return
    vendor = connection.vendor
    layers = catalogue.notes.get("layers", ())
    wanted: list[str] = []
    with _terms_lock:
        for group in groups:
            if _group_key(group) in catalogue.terms:
                continue
            for alternative in group.alternatives:
                if (vendor, "alternative", alternative) in catalogue.terms:
                    continue
                wanted += [term for slot in alternative.slots for term in slot
                           if (vendor, term) not in catalogue.terms
                           and not any((vendor, term) in layer.terms for layer in layers)
                           and may_match(catalogue, term)]
    wanted = list(dict.fromkeys(wanted))  # a word of several alternatives is read once
    if len(wanted) < 2:
        return
    for term, (ids, scores) in _index_lookups(wanted).items():
        _keep_term(catalogue, (vendor, term), _located(catalogue, ids, scores), len(ids))


_cache_sizes: dict[int, int] = {}  # id(cache) -> positions held (a running total, not a sum per insertion)


def _remember(cache: dict, key, entry) -> None:
    """Keep an entry, dropping the least recently used ones beyond JOBS_TERM_CACHE_ENTRIES positions."""
    limit = int(getattr(settings, "JOBS_TERM_CACHE_ENTRIES", 4_000_000))
    with _terms_lock:
        if not cache:
            _cache_sizes.clear()  # a new catalogue's cache: the old ones are gone
        total = _cache_sizes.get(id(cache), 0)
        if key in cache:
            total -= len(cache.pop(key)[0])
        cache[key] = entry
        total += len(entry[0])
        while len(cache) > 1 and total > limit:
            total -= len(cache.pop(next(iter(cache)))[0])
        _cache_sizes[id(cache)] = total


def _text_matches(catalogue: Catalogue, terms: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Positions matching every term (AND) and their summed relevance."""
    positions, scores = _term_matches(catalogue, terms[0])
    for term in terms[1:]:
        if not len(positions):
            break
        other, other_scores = _term_matches(catalogue, term)
        positions, mine, theirs = np.intersect1d(positions, other, assume_unique=True, return_indices=True)
        scores = scores[mine] + other_scores[theirs]
    return positions.astype(np.int64), scores


# --- filters, radius, order -------------------------------------------------------------------------


@dataclass
class _Matches:
    positions: np.ndarray  # catalogue positions of every match
    scores: np.ndarray | None  # text relevance, aligned with positions
    distances: np.ndarray | None  # km from the centre, aligned with positions
    sort: str
    meaning: Interpretation | None = None
    left_out: list[str] = field(default_factory=list)


# --- understood text: groups of alternatives, occupations behind the words (understanding.py) --------

OCCUPATION_TIER = 2.0  # the posting's occupation is one the words name
UNIT_GROUP_TIER = 1.0  # ... or in the same ISCO-08 unit group
TIER_SCALE = 1e6  # tiers first, then the words' relevance (never near 1e6)


def _union(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Positions in any part (ascending), each with its best score."""
    parts = [p for p in parts if len(p[0])]
    if not parts:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
    if len(parts) == 1:
        return parts[0][0].astype(np.int64), parts[0][1].astype(np.float64)
    positions = np.concatenate([p for p, _ in parts]).astype(np.int64)
    scores = np.concatenate([s for _, s in parts]).astype(np.float64)
    order = np.lexsort((-scores, positions))
    positions, scores = positions[order], scores[order]
    first = np.ones(len(positions), dtype=bool)
    first[1:] = positions[1:] != positions[:-1]
    return positions[first], scores[first]


def _intersection(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Positions in every part, their scores added."""
    positions, scores = parts[0]
    for other, other_scores in parts[1:]:
        if not len(positions):
            break
        positions, mine, theirs = np.intersect1d(positions, other, assume_unique=True, return_indices=True)
        scores = scores[mine] + other_scores[theirs]
    return positions.astype(np.int64), np.asarray(scores, dtype=np.float64)


def _cached(catalogue: Catalogue, key, compute) -> tuple[np.ndarray, np.ndarray]:
    """A derived match list in the catalogue's word cache, under the same bound as the words."""
    cache = catalogue.terms
    with _terms_lock:
        hit = cache.get(key)
        if hit is not None:
            cache[key] = cache.pop(key)
            return hit
    entry = compute()
    _remember(cache, key, entry)
    return entry


def _alternative_matches(catalogue: Catalogue, group: Group, index: int) -> tuple[np.ndarray, np.ndarray]:
    alternative = group.alternatives[index]

    def compute():
        slots = [_union([_term_matches(catalogue, term) for term in slot]) for slot in alternative.slots]
        positions, scores = _intersection(slots) if slots else (np.empty(0, np.int64), np.empty(0))
        return positions, scores * alternative.weight

    return _cached(catalogue, (connection.vendor, "alternative", alternative), compute)


def _occupation_positions(catalogue: Catalogue, occupations) -> np.ndarray:
    return catalogue.positions_with("occupation", occupations)


def _group_matches(catalogue: Catalogue, group: Group) -> tuple[np.ndarray, np.ndarray]:
    """A group's matches: any alternative, or a posting of an occupation the group names (score 0)."""
    def compute():
        parts = [_alternative_matches(catalogue, group, i) for i in range(len(group.alternatives))]
        by_occupation = _occupation_positions(catalogue, group.occupations)
        parts.append((by_occupation, np.zeros(len(by_occupation))))
        return _union(parts)

    return _cached(catalogue, _group_key(group), compute)


def _group_key(group: Group) -> tuple:
    return (connection.vendor, "group", tuple(group.alternatives), tuple(sorted(group.occupations)))


def _meaning(catalogue: Catalogue, text: str) -> Interpretation:
    meaning = interpret(catalogue, text, matches=lambda group: len(_group_matches(catalogue, group)[0]))
    if meaning.occupations and not meaning.isco_known:
        of = catalogue.isco[_occupation_positions(catalogue, meaning.occupations)]
        meaning.isco = {int(code) for code in np.unique(of) if code >= 0}
        meaning.isco_known = True
    return meaning


def _understood_matches(catalogue: Catalogue, text: str) -> tuple[np.ndarray, np.ndarray, Interpretation, list[str]]:
    """Positions and relevance of an understood query: every required group (those no posting has
    are left out while another one matches), optional groups add to the relevance; postings of the
    occupations the words name come first, their ISCO-08 unit group next."""
    meaning = _meaning(catalogue, text)
    required = [g for g in meaning.groups if not g.optional]
    _prefetch_terms(catalogue, required)
    results = [(g, _group_matches(catalogue, g)) for g in required]
    left_out = [g.typed for g, r in results if not len(r[0])]
    kept = [r for _, r in results if len(r[0])]
    if not kept:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64), meaning, []
    positions, scores = _intersection(kept)
    if not len(positions) and len(kept) > 1:
        # Nothing has every word: the words that name occupations decide, the others are left out.
        naming = [(g, r) for g, r in results if len(r[0]) and g.occupations] or \
            [max(((g, r) for g, r in results if len(r[0])), key=lambda gr: len(gr[1][0]))]
        left_out = [g.typed for g, _ in results if all(g is not n for n, _ in naming)]
        positions, scores = _intersection([r for _, r in naming])
    for group in meaning.groups:
        if group.optional and len(positions):
            extra, extra_scores = _group_matches(catalogue, group)
            where = np.searchsorted(extra, positions)
            where = np.minimum(where, max(len(extra) - 1, 0))
            hit = (extra[where] == positions) if len(extra) else np.zeros(len(positions), dtype=bool)
            scores = scores + np.where(hit, extra_scores[where] if len(extra) else 0.0, 0.0)
    tier = np.zeros(len(positions))
    if meaning.isco:
        tier[np.isin(catalogue.isco[positions], np.fromiter(meaning.isco, dtype=np.int32))] = UNIT_GROUP_TIER
    if meaning.related:
        tier[np.isin(catalogue.occupation[positions], np.fromiter(meaning.related, dtype=np.int64))] = UNIT_GROUP_TIER
    if meaning.occupations:
        tier[np.isin(catalogue.occupation[positions], np.fromiter(meaning.occupations, dtype=np.int64))] = OCCUPATION_TIER
    return positions, tier * TIER_SCALE + scores, meaning, left_out


def _effective_sort(query: JobQuery, ranked: bool) -> str:
    sort = query.sort
    if sort == "distance" and query.centre is None:
        sort = "date"
    if sort == "relevance" and not ranked:
        sort = "distance" if query.centre is not None else "date"
    return sort


def _matches(catalogue: Catalogue, query: JobQuery) -> _Matches:
    scores: np.ndarray | None = None
    meaning, left_out = None, []  # type: ignore[var-annotated]
    if not words(query.text):
        positions = np.arange(len(catalogue), dtype=np.int64)
    elif query.understand and search_terms(query.text):
        positions, scores, meaning, left_out = _understood_matches(catalogue, query.text)
    elif terms := search_terms(query.text):
        positions, scores = _text_matches(catalogue, terms)
    else:  # only stop words: nothing can match, as on PostgreSQL
        positions, scores = np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)

    def narrow(condition: np.ndarray) -> None:
        nonlocal positions, scores
        positions = positions[condition]
        if scores is not None:
            scores = scores[condition]

    if query.occupation_id:
        narrow(catalogue.occupation[positions] == query.occupation_id)
    if query.municipality_code:
        code = int(query.municipality_code) if query.municipality_code.isdigit() else -2
        narrow(catalogue.municipality[positions] == code)
    if query.hours:
        narrow(catalogue.hours[positions] == catalogue.code("hours", query.hours))
    if query.employment_type:
        narrow(catalogue.employment_type[positions] == catalogue.code("employment_type", query.employment_type))
    if query.deadline_from:
        deadline = catalogue.deadline[positions]
        narrow((deadline >= query.deadline_from.toordinal()) & (deadline != NO_DEADLINE))
    if query.posted_since:
        # The start of that day where the user is (Europe/Copenhagen).
        start = timezone.make_aware(datetime.combine(query.posted_since, time.min)).timestamp()
        narrow(catalogue.published[positions] >= start)
    distances = None
    if query.centre is not None:
        south, north, west, east = bounding_box(query.centre, query.radius_km)
        lat, lon = catalogue.latitude[positions], catalogue.longitude[positions]
        narrow((lat >= south) & (lat <= north) & (lon >= west) & (lon <= east))
        distances = haversine_km(catalogue.latitude[positions], catalogue.longitude[positions],
                                 query.centre.latitude, query.centre.longitude)
        inside = distances <= query.radius_km
        narrow(inside)
        distances = distances[inside]
    return _Matches(positions=positions, scores=scores, distances=distances,
                    sort=_effective_sort(query, scores is not None), meaning=meaning, left_out=left_out)


def _ordered(catalogue: Catalogue, matches: _Matches, stop: int) -> np.ndarray:
    """Indices into `matches` of its first `stop` rows in the search's order; ties go to the newest
    posting (published, then id, descending), as `newest_rank` orders them."""
    n = len(matches.positions)
    if not n or stop <= 0:
        return np.empty(0, dtype=np.int64)
    newest = catalogue.newest_rank[matches.positions]
    if matches.sort == "relevance":
        assert matches.scores is not None
        primary = -matches.scores.astype(np.float64)
    elif matches.sort == "distance":
        assert matches.distances is not None
        primary = matches.distances
    else:
        primary = newest.astype(np.float64)
    candidates = np.arange(n)
    if stop < n:  # only the rows up to the stop-th value (and its ties) need sorting
        threshold = np.partition(primary, stop - 1)[stop - 1]
        candidates = np.nonzero(primary <= threshold)[0]
    order = candidates[np.lexsort((newest[candidates], primary[candidates]))]
    return order[:stop]


def _distance(latitude, longitude, centre: Centre | None) -> float | None:
    if centre is None or latitude is None or longitude is None:
        return None
    return round(float(_haversine_scalar(latitude, longitude, centre.latitude, centre.longitude)), 1)


def search_postings(query: JobQuery, *, fields: tuple[str, ...] | None = None) -> JobResults:
    """The page of postings for `query`. `fields`: read only these of the page's postings, as rows
    (shown.ShownPosting: the search page draws a dozen fields); without, models with their occupation
    (the API shows them all)."""
    catalogue = current_catalogue()
    matches = _matches(catalogue, query)
    total = len(matches.positions)
    pages = max(1, math.ceil(total / query.page_size))
    page = min(max(1, query.page), pages)
    order = _ordered(catalogue, matches, page * query.page_size)[(page - 1) * query.page_size:]
    ids = [int(i) for i in catalogue.ids[matches.positions[order]]]
    # By primary key, and the status checked here: a status filter in SQL lets SQLite pick the status
    # index and visit every active row.
    by_id: dict[int, JobPosting] | dict[int, ShownPosting]
    if fields is None:  # the catalogue's rows; a row changed since to dates out of the windows is left out
        by_id = JobPosting.objects.filter(readable_filter()).select_related("occupation").defer(
            "search_text", "search_vector", "description").in_bulk(ids)
    else:
        by_id = postings_by_id(ids, fields)
    reasons = _reasons(catalogue, matches, matches.positions[order]) if matches.meaning is not None else {}
    hits = [JobHit(posting=by_id[pk], distance_km=_distance(by_id[pk].latitude, by_id[pk].longitude, query.centre),
                   reason=reasons.get(pk, ""))
            for pk in ids if pk in by_id and by_id[pk].status == PostingStatus.ACTIVE]
    return JobResults(query=replace(query, page=page), total=total, page=page, pages=pages, hits=hits,
                      corrections=matches.meaning.corrections if matches.meaning is not None else [],
                      left_out=matches.left_out, ignored=matches.meaning.ignored if matches.meaning is not None else [],
                      catalogue=catalogue)


def _reasons(catalogue: Catalogue, matches: _Matches, positions: np.ndarray) -> dict[int, str]:
    """Why each shown posting matched, in words, when it was not (only) the words as typed: its
    occupation is one the words name, its ISCO-08 unit group is theirs, or a synonym, a compound's
    parts or a corrected spelling matched."""
    meaning = matches.meaning
    assert meaning is not None
    reasons: dict[int, str] = {}
    if not len(positions):
        return reasons
    occupations = catalogue.occupation[positions]
    named = [int(o) for o in occupations if int(o) in meaning.occupations]
    related = [int(c) for c, o in zip(catalogue.isco[positions], occupations, strict=True)
               if int(o) not in meaning.occupations and int(c) in meaning.isco]
    occupation_labels = _labels(catalogue, "occupation", set(named), taxonomy.occupation_labels)
    group_labels = _labels(catalogue, "isco", {f"{c:04d}" for c in related}, taxonomy.isco_group_labels)
    for position, occupation in zip(positions, occupations, strict=True):
        pk = int(catalogue.ids[position])
        if int(occupation) in occupation_labels:
            reasons[pk] = _("The position is %(occupation)s") % {"occupation": occupation_labels[int(occupation)]}
            continue
        code = int(catalogue.isco[position])
        if f"{code:04d}" in group_labels:
            reasons[pk] = _("Related occupation: %(group)s") % {"group": group_labels[f"{code:04d}"]}
            continue
        for group in meaning.groups:
            typed = [i for i, a in enumerate(group.alternatives) if a.kind == TYPED]
            if any(_contains(_alternative_matches(catalogue, group, i)[0], position) for i in typed):
                continue
            found = next((a for i, a in enumerate(group.alternatives)
                          if a.kind != TYPED and _contains(_alternative_matches(catalogue, group, i)[0], position)), None)
            if found is not None:
                reasons[pk] = _("Found as “%(words)s” for “%(typed)s”") % {"words": found.text, "typed": group.typed}
                break
    return reasons


def _labels(catalogue: Catalogue, kind: str, keys: set, read) -> dict:
    """Concept labels in the active language, read once per catalogue."""
    if not keys:
        return {}
    cache = catalogue.notes.setdefault(("labels", kind, get_language()), {})
    missing = [k for k in keys if k not in cache]
    if missing:
        found = read(missing)
        cache.update({k: found.get(k) for k in missing})
    return {k: cache[k] for k in keys if cache.get(k) is not None}


def _contains(sorted_positions: np.ndarray, position) -> bool:
    at = int(np.searchsorted(sorted_positions, position))
    return at < len(sorted_positions) and sorted_positions[at] == position


def search_markers(query: JobQuery, *, limit: int = MAX_MARKERS) -> tuple[int, list[dict]]:
    """Lean marker data for the map: every match in the radius (up to `limit`), no descriptions."""
    catalogue = current_catalogue()
    matches = _matches(catalogue, query)
    total = len(matches.positions)
    ids = [int(i) for i in catalogue.ids[matches.positions[_ordered(catalogue, matches, limit)]]]
    rows = JobPosting.objects.filter(readable_filter(), pk__in=ids).values_list(
        "id", "title", "employer_name", "latitude", "longitude", "city", "status")
    by_id = {r[0]: r[:6] for r in rows if r[6] == PostingStatus.ACTIVE and r[3] is not None}
    markers = []
    for pk in ids:
        if pk not in by_id:
            continue
        _, title, employer, lat, lon, city = by_id[pk]
        if lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
            continue
        markers.append({"id": pk, "title": title, "employer": employer, "lat": round(lat or 0.0, 5),
                        "lon": round(lon or 0.0, 5), "city": city, "distance_km": _distance(lat, lon, query.centre)})
    return total, markers


# --- never an empty page without help -------------------------------------------------------------------


@dataclass(frozen=True)
class Widening:
    """A nearby search that has results: what changes in the query string, and how many it finds."""

    kind: str  # "spelling", "radius", "filter", "occupation" or "words"
    label: str
    changes: dict
    count: int


FILTER_LABELS: dict[str, tuple[str, Any]] = {  # JobQuery field -> (form field, its value when dropped)
    "hours": ("hours", ""), "employment_type": ("employment_type", ""), "municipality_code": ("municipality", ""),
    "occupation_id": ("occupation", None), "deadline_from": ("deadline_from", None),
    "posted_since": ("posted_since", None),
}


def _count(catalogue: Catalogue, query: JobQuery) -> int:
    return len(_matches(catalogue, query).positions)


def spelling_suggestions(results: JobResults) -> list[Widening]:
    """"Mente du …?": the query with each corrected word in its better-known spelling, with its count."""
    query = results.query
    if not results.corrections:
        return []
    catalogue = results.catalogue if results.catalogue is not None else current_catalogue()
    text = query.text
    for fix in results.corrections:
        text = re.sub(rf"(?<!\w){re.escape(fix.typed)}(?!\w)", fix.suggestion, text, flags=re.IGNORECASE)
    if text.lower() == query.text.lower():
        return []
    return [Widening("spelling", text, {"q": text}, _count(catalogue, replace(query, text=text)))]


def widenings(query: JobQuery, *, limit: int = 5, catalogue: Catalogue | None = None) -> list[Widening]:
    """For a search without results: a wider radius, the search without each filter, the occupations
    closest to the words (same ISCO-08 minor group), or all jobs without the words, each with its
    count; only those that find something. `catalogue`: the one the search used (JobResults.catalogue)."""
    catalogue = catalogue if catalogue is not None else current_catalogue()
    found: list[Widening] = []
    wider = [km for km in (100, 200, MAX_RADIUS_KM) if km > query.radius_km] if query.centre is not None else []
    if wider:  # one pass at the widest radius; the nearer ones are counted from its distances
        widest = _matches(catalogue, replace(query, radius_km=wider[-1]))
        assert widest.distances is not None  # a centre was given
        for km in wider:
            if n := int(np.count_nonzero(widest.distances <= km)):
                found.append(Widening("radius", _("Within %(km)s km") % {"km": km}, {"radius": km}, n))
                break
    names = {"hours": _("Working hours"), "employment_type": _("Employment type"), "municipality_code": _("Municipality"),
             "occupation_id": _("Occupation"), "deadline_from": _("Application deadline"),
             "posted_since": _("Posted since")}
    for attribute, (form_field, dropped) in FILTER_LABELS.items():
        if getattr(query, attribute) and (n := _count(catalogue, replace(query, **{attribute: dropped}))):
            found.append(Widening("filter", _("Without the filter “%(name)s”") % {"name": names[attribute]},
                                  {form_field: ""}, n))
    if words(query.text) and search_terms(query.text) and query.understand:
        meaning = _meaning(catalogue, query.text)
        minor = {code // 10 for code in meaning.isco}
        without_words = None  # the search without its words: counted once, used twice
        if minor:
            nearby = without_words = _matches(catalogue, replace(query, text=""))
            positions = nearby.positions[np.isin(catalogue.isco3[nearby.positions], np.fromiter(minor, dtype=np.int32))]
            occupations, counts = np.unique(catalogue.occupation[positions], return_counts=True)
            best = [(int(o), int(c)) for c, o in sorted(zip(counts, occupations, strict=True), reverse=True) if o >= 0][:3]
            labels = _labels(catalogue, "occupation", {o for o, _ in best}, taxonomy.occupation_labels)
            found += [Widening("occupation", _("Related occupation: %(occupation)s") % {"occupation": labels[o]},
                               {"q": "", "occupation": o}, n) for o, n in best if o in labels]
        if without_words is None:
            without_words = _matches(catalogue, replace(query, text=""))
        if n := len(without_words.positions):
            found.append(Widening("words", _("All jobs without the search words"), {"q": ""}, n))
    return found[:limit]
