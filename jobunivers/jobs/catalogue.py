"""The active postings' facets as numpy columns, held in process memory and rebuilt when postings change.

Search (filters, radius, sorting, counting) and the citizen feed's first stage read every active
posting's facets; as columns in memory that is a handful of vector operations instead of a query
that visits tens of thousands of rows. The text itself stays in the database's full-text index
(PostgreSQL 'danish', SQLite FTS5): see `jobunivers.jobs.search` and docs/adr/0023-search-catalogue.md.

Freshness: a version token, MAX(updated_at) and MAX(id), both answered from an index, says whether
postings changed. Every write to a posting sets `updated_at` (model saves by `auto_now`; the
import's bulk update and the expiry set it explicitly), so the first request that reads the token
after a commit rebuilds. The token is read at most once every `JOBS_CATALOGUE_FRESHNESS` seconds
(default 1, Elasticsearch's refresh interval): a change made by another process is searchable within
that second, one made in this process from the next request on (`written`, at once and again on
commit, from the model's save and delete and the import's and the expiry's bulk writes). Two writers committing out
of timestamp order could hide a change from the token, so a catalogue is also rebuilt when older
than `JOBS_CATALOGUE_MAX_AGE` seconds (default 300). A posting that stopped being active meanwhile
is still never shown: pages load their postings by id and status.
"""

from __future__ import annotations

import datetime
import logging
import math
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, DateField, DateTimeField, F, When

from .models import JobPosting, PostingStatus
from .validation import readable_filter

logger = logging.getLogger(__name__)

NO_DEADLINE = np.iinfo(np.int32).max  # a date ordinal later than any real deadline


@dataclass(frozen=True, eq=False)
class Catalogue:
    version: tuple
    built_at: float  # time.monotonic()
    ids: np.ndarray  # int64, ascending: position i <-> posting ids[i]
    latitude: np.ndarray  # float64, NaN where unknown
    longitude: np.ndarray
    occupation: np.ndarray  # int64, -1 where none
    isco: np.ndarray  # int32 ISCO-08 unit group (4 digits), -1 where none
    isco3: np.ndarray  # int32 ISCO-08 minor group (the code's first 3 digits), -1 where none
    municipality: np.ndarray  # int32 municipality code, -1 where none
    hours: np.ndarray  # int16 codes into hours_values
    hours_values: tuple[str, ...]
    employment_type: np.ndarray  # int16 codes into employment_type_values
    employment_type_values: tuple[str, ...]
    published: np.ndarray  # float64 POSIX seconds
    deadline: np.ndarray  # int32 date ordinal, NO_DEADLINE where none
    newest_rank: np.ndarray  # int32: 0 for the newest posting (published, then id, descending)
    terms: dict = field(default_factory=dict, repr=False)  # the full-text term cache (search.py)
    notes: dict = field(default_factory=dict, repr=False)  # query understanding's caches (understanding.py)

    def __len__(self) -> int:
        return len(self.ids)

    def locate(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(positions, known): for each id its would-be position, and whether it is in the catalogue."""
        ids = np.asarray(ids, dtype=np.int64)
        if not len(self.ids) or not len(ids):
            return np.zeros(len(ids), dtype=np.int64), np.zeros(len(ids), dtype=bool)
        where = np.minimum(np.searchsorted(self.ids, ids), len(self.ids) - 1)
        return where, self.ids[where] == ids

    def positions_with(self, column: str, values) -> np.ndarray:
        """Ascending positions whose `column` ("occupation", "isco" or "isco3") is one of `values`: a
        look-up in the column's sorted order, sorted once per catalogue, instead of comparing every
        posting with every value (np.isin over 50,000 postings took 0.15 ms a call, several a search)."""
        values = np.unique(np.fromiter(values, dtype=np.int64))
        if not len(values) or not len(self.ids):
            return np.empty(0, dtype=np.int64)
        index = self.notes.get(("sorted", column))
        if index is None:  # two threads may both build it: the same arrays
            order = np.argsort(getattr(self, column), kind="stable")  # positions ascending within a value
            index = self.notes[("sorted", column)] = (order, getattr(self, column)[order].astype(np.int64))
        order, in_order = index
        starts = np.searchsorted(in_order, values, side="left")
        ends = np.searchsorted(in_order, values, side="right")
        parts = [order[a:b] for a, b in zip(starts, ends, strict=True) if b > a]
        if not parts:
            return np.empty(0, dtype=np.int64)
        return parts[0].astype(np.int64) if len(parts) == 1 else np.sort(np.concatenate(parts)).astype(np.int64)

    def mask_with(self, column: str, values) -> np.ndarray:
        """A boolean mask over the catalogue: True where `column` is one of `values` (positions_with)."""
        mask = np.zeros(len(self.ids), dtype=bool)
        mask[self.positions_with(column, values)] = True
        return mask

    def days_to_deadline(self, positions: np.ndarray, today: datetime.date) -> np.ndarray:
        """Days from `today` to each posting's application deadline; NaN where it has none."""
        deadline = self.deadline[positions]
        return np.where(deadline == NO_DEADLINE, np.nan, deadline.astype(np.float64) - today.toordinal())

    def code(self, column: str, value: str) -> int:
        """The code of a text facet value, or -1 when no active posting has it."""
        values: tuple[str, ...] = getattr(self, f"{column}_values")
        return values.index(value) if value in values else -1


def _codes(texts: list[str]) -> tuple[np.ndarray, tuple[str, ...]]:
    values = tuple(sorted(set(texts)))
    lookup = {v: i for i, v in enumerate(values)}
    return np.fromiter((lookup[t] for t in texts), dtype=np.int16, count=len(texts)), values


def _int_or(text: str | None, default: int) -> int:
    return int(text) if text and text.isdigit() else default


def version_token() -> tuple:
    """(MAX(updated_at), MAX(id)), each answered from an index. PostgreSQL plans one statement with both
    aggregates as two index probes (0.13 ms, against 0.19 ms for two scalar subqueries, which it plans
    twice over); SQLite's min/max optimisation takes a single aggregate only, so there it is two."""
    table = connection.ops.quote_name(JobPosting._meta.db_table)
    # As text: the token is only compared, and a timestamp stored by hand past year 9999 (or
    # 'infinity' on PostgreSQL) cannot be turned into a Python datetime.
    if connection.vendor == "postgresql":
        sql = f"SELECT MAX(updated_at)::text, MAX(id) FROM {table}"  # noqa: S608 - model's table name
    else:
        sql = f"SELECT (SELECT MAX(updated_at) FROM {table}), (SELECT MAX(id) FROM {table})"  # noqa: S608 - model's table name
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def build(version: tuple | None = None) -> Catalogue:
    from . import lexicon

    version = version_token() if version is None else version
    catalogue = _assemble(_rows(JobPosting.objects.all()), version)
    # Read after the rows: every posting of the catalogue has its words in it (lexicon.py).
    catalogue.notes["lexicon"] = lexicon.read()
    return catalogue


def _rows(queryset) -> list[tuple]:
    # Only rows in the import's date windows: one with a publication date of 9999-12-31 stored by hand
    # would otherwise sit first in "newest" forever, and one past year 9999 cannot be read at all. The
    # dates come through a CASE, so such a row is counted and logged in the same query, never converted.
    readable = readable_filter()
    rows = list(queryset.filter(status=PostingStatus.ACTIVE).annotate(
        readable_published=Case(When(readable, then=F("published_at")), default=None, output_field=DateTimeField()),
        readable_deadline=Case(When(readable, then=F("application_deadline")), default=None, output_field=DateField()),
    ).order_by("id").values_list(
        "id", "latitude", "longitude", "occupation_id", "isco_code", "municipality_code", "hours", "employment_type",
        "readable_published", "readable_deadline"))
    unreadable = sum(1 for row in rows if row[8] is None)
    if unreadable:
        logger.warning("jobs catalogue: %d active postings have dates outside the readable window and are left out",
                       unreadable)
        rows = [row for row in rows if row[8] is not None]
    return rows


def _assemble(rows: list[tuple], version: tuple) -> Catalogue:
    n = len(rows)
    columns: list[Any] = list(zip(*rows, strict=True)) if rows else [()] * 10
    ids = np.fromiter(columns[0], dtype=np.int64, count=n)
    nan = float("nan")
    published = np.fromiter((p.timestamp() for p in columns[8]), dtype=np.float64, count=n)
    # NaN and infinite coordinates (stored before the checks) are "unknown", as NULL is.
    latitude = np.fromiter((nan if v is None else v for v in columns[1]), dtype=np.float64, count=n)
    longitude = np.fromiter((nan if v is None else v for v in columns[2]), dtype=np.float64, count=n)
    unknown = ~(np.isfinite(latitude) & np.isfinite(longitude))
    latitude[unknown], longitude[unknown] = nan, nan
    hours, hours_values = _codes(list(columns[6]))
    types, type_values = _codes(list(columns[7]))
    newest = np.lexsort((-ids, -published))  # positions, newest first
    newest_rank = np.empty(n, dtype=np.int32)
    newest_rank[newest] = np.arange(n, dtype=np.int32)
    return Catalogue(
        version=version, built_at=time.monotonic(), ids=ids,
        latitude=latitude, longitude=longitude,
        occupation=np.fromiter((-1 if v is None else v for v in columns[3]), dtype=np.int64, count=n),
        isco=np.fromiter((_int_or(v, -1) if len(v or "") == 4 else -1 for v in columns[4]), dtype=np.int32, count=n),
        isco3=np.fromiter((_int_or((v or "")[:3], -1) if len(v or "") >= 3 else -1 for v in columns[4]), dtype=np.int32,
                          count=n),
        municipality=np.fromiter((_int_or(v, -1) for v in columns[5]), dtype=np.int32, count=n),
        hours=hours, hours_values=hours_values, employment_type=types, employment_type_values=type_values,
        published=published,
        deadline=np.fromiter((NO_DEADLINE if d is None else d.toordinal() for d in columns[9]), dtype=np.int32, count=n),
        newest_rank=newest_rank,
    )


INCREMENTAL_LIMIT = 2000  # more changed postings than this since the last build: read them all again


def _token_time(text) -> datetime.datetime | None:
    """The version token's MAX(updated_at) as an aware datetime, or None when it cannot be read."""
    from django.utils.dateparse import parse_datetime
    from django.utils.timezone import is_naive, make_aware

    try:
        value = text if isinstance(text, datetime.datetime) else parse_datetime(str(text or ""))
    except ValueError:
        return None
    if value is None:
        return None
    return make_aware(value, datetime.UTC) if is_naive(value) else value


def refreshed(old: Catalogue, version: tuple) -> Catalogue | None:
    """The catalogue after the postings changed since `old` was made, from the changed rows only (a sync
    changes a few postings a minute; reading all 50,000 again took seconds per process each time).
    Rows written since the old token's MAX(updated_at) are taken out and, where still active and
    readable, put back; the rest of the columns is kept. None when too much changed or the token
    cannot be read: then the caller builds from scratch (as it also does after JOBS_CATALOGUE_MAX_AGE,
    which bounds what an out-of-order commit could hide from the token)."""
    since = _token_time(old.version[0])
    if since is None:
        return None
    changed = list(JobPosting.objects.filter(updated_at__gte=since).values_list("id", flat=True)[:INCREMENTAL_LIMIT + 1])
    if len(changed) > INCREMENTAL_LIMIT:
        return None
    delta = _assemble(_rows(JobPosting.objects.filter(pk__in=changed)), version)
    keep = ~np.isin(old.ids, np.asarray(changed, dtype=np.int64))
    ids = np.concatenate([old.ids[keep], delta.ids])
    order = np.argsort(ids, kind="stable")
    ids = ids[order]

    def joined(name: str) -> np.ndarray:
        return np.concatenate([getattr(old, name)[keep], getattr(delta, name)])[order]

    def recoded(name: str) -> tuple[np.ndarray, tuple[str, ...]]:
        old_values, new_values = getattr(old, f"{name}_values"), getattr(delta, f"{name}_values")
        values = tuple(sorted(set(old_values) | set(new_values)))
        lookup = {v: i for i, v in enumerate(values)}
        parts = [np.array([lookup[v] for v in known] or [0], dtype=np.int16)[codes]
                 for known, codes in ((old_values, getattr(old, name)[keep]), (new_values, getattr(delta, name)))]
        return np.concatenate(parts)[order], values

    hours, hours_values = recoded("hours")
    types, type_values = recoded("employment_type")
    published = joined("published")
    newest = np.lexsort((-ids, -published))
    newest_rank = np.empty(len(ids), dtype=np.int32)
    newest_rank[newest] = np.arange(len(ids), dtype=np.int32)
    return Catalogue(
        version=version, built_at=old.built_at, ids=ids, latitude=joined("latitude"), longitude=joined("longitude"),
        occupation=joined("occupation"), isco=joined("isco"), isco3=joined("isco3"),
        municipality=joined("municipality"), hours=hours, hours_values=hours_values, employment_type=types,
        employment_type_values=type_values, published=published, deadline=joined("deadline"),
        newest_rank=newest_rank,
        notes=_carried_notes(old, changed),
    )


def _carried_notes(old: Catalogue, changed: list[int]) -> dict:
    """The title words (understanding.py) are patched with the changed postings' titles, not read again,
    the index's lexicon gets the changed postings' words (lexicon.py), and the word caches of this and earlier catalogues are kept as layers to re-base from (carry.py)."""
    from .carry import layers_after

    notes: dict = {"layers": layers_after(old, changed, INCREMENTAL_LIMIT)}
    if old.notes.get("lexicon") is not None:  # the changed postings' words added (lexicon.py)
        notes["lexicon"] = old.notes["lexicon"].with_postings(changed)
    if old.notes.get("vocabulary") is not None:
        return {**notes, "vocabulary_base": old.notes["vocabulary"], "vocabulary_changed": changed}
    pending = [*old.notes.get("vocabulary_changed", []), *changed]
    if old.notes.get("vocabulary_base") is not None and len(pending) <= INCREMENTAL_LIMIT:
        return {**notes, "vocabulary_base": old.notes["vocabulary_base"], "vocabulary_changed": pending}
    return notes


_lock = threading.Lock()
_current: Catalogue | None = None
_checked_at = -math.inf  # time.monotonic() of the last version token read that found _current current
_writes = 0  # changed() calls so far: a token read that overlapped one does not count as a check


def changed() -> None:
    """Postings were written in this process: the next request reads the token."""
    global _checked_at, _writes
    _writes += 1
    _checked_at = -math.inf


def written(**_signal) -> None:
    """Postings are being written in this process: read the token on the next request (the writing
    transaction's own requests see its rows) and again once it commits (everyone else's). Connected
    to the model's post_save and post_delete; the bulk writes call it themselves."""
    changed()
    transaction.on_commit(changed, using=_signal.get("using"))


def current() -> Catalogue:
    """This process's catalogue of active postings, rebuilt first if postings changed."""
    global _current, _checked_at
    catalogue = _current
    max_age = float(getattr(settings, "JOBS_CATALOGUE_MAX_AGE", 300))
    checked = time.monotonic()
    if (catalogue is not None and checked - _checked_at < float(getattr(settings, "JOBS_CATALOGUE_FRESHNESS", 1))
            and checked - catalogue.built_at <= max_age):
        return catalogue
    writes = _writes
    token = version_token()
    if catalogue is None or catalogue.version != token or time.monotonic() - catalogue.built_at > max_age:
        with _lock:
            catalogue = _current
            if catalogue is None or time.monotonic() - catalogue.built_at > max_age:
                catalogue = build(token)
            elif catalogue.version != token:
                # Changed since: patch in the changed rows (a new catalogue, so the word caches start
                # empty, as their positions moved); the age of the full read is kept.
                catalogue = refreshed(catalogue, token) or build(token)
            _current = catalogue
    if writes == _writes:  # no write in this process committed while the token was read
        _checked_at = checked
    return catalogue


def clear() -> None:
    """Forget the catalogue (tests roll back transactions the version token cannot see)."""
    global _current, _checked_at
    _current = None
    _checked_at = -math.inf
