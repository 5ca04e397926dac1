"""The postings a result page shows, read by id in one statement written here rather than by the ORM.

A search page shows 20 postings. Reading them through a QuerySet (`readable_filter()`, `only()`,
`in_bulk`) cost about 1.3 ms on PostgreSQL, of which the statement itself took 0.04 ms: the rest was
compiling the query (its six date conditions) and building it again for every request. The statement
below is the same query, kept per field set, with the same date windows as parameters
(`validation.published_window` and `deadline_window`, as `readable_filter` uses them); Django's
`RawQuerySet` still turns each row into a `JobPosting` with the database's converters, so the values
are what the ORM would give. A test compares the two on rows inside and outside every window.
"""

from __future__ import annotations

from functools import lru_cache

from django.db import connection

from .models import JobPosting
from .validation import deadline_window, published_window

ALWAYS = ("id", "status", "latitude", "longitude")  # what the search needs of every shown posting


@lru_cache(maxsize=32)
def _statement(vendor: str, fields: tuple[str, ...], count: int) -> str:
    quote = connection.ops.quote_name
    meta = JobPosting._meta
    column = {field.name: quote(field.column or field.name) for field in meta.concrete_fields}
    columns = ", ".join(column[name] for name in fields)
    published, changed, deadline = column["published_at"], column["changed_at"], column["application_deadline"]
    # PostgreSQL takes the ids as one array; SQLite has no arrays, so one placeholder per id.
    ids = "= ANY(%s)" if vendor == "postgresql" else f"IN ({', '.join(['%s'] * count)})"
    return (f"SELECT {columns} FROM {quote(meta.db_table)} WHERE {column['id']} {ids}"  # noqa: S608 - names from the model
            f" AND {published} >= %s AND {published} <= %s AND {changed} >= %s AND {changed} <= %s"
            f" AND ({deadline} IS NULL OR ({deadline} >= %s AND {deadline} <= %s))")


def postings_by_id(ids: list[int], fields: tuple[str, ...]) -> dict[int, JobPosting]:
    """{id: posting} of those `ids` whose dates lie in the readable windows (a row changed since the
    catalogue was read may not), with only `fields` and ALWAYS loaded; the others are deferred."""
    if not ids:
        return {}
    names = tuple(dict.fromkeys((*ALWAYS, *fields)))
    vendor = connection.vendor
    earliest, latest = published_window()
    first_day, last_day = deadline_window()
    window = [earliest, latest, earliest, latest, first_day, last_day]
    params = [list(ids), *window] if vendor == "postgresql" else [*ids, *window]
    sql = _statement(vendor, names, 0 if vendor == "postgresql" else len(ids))
    return {posting.pk: posting for posting in JobPosting.objects.raw(sql, params)}
