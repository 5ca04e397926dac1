"""The postings a result page shows, read by id in one statement written here rather than by the ORM,
as plain rows of the fields the page draws.

A search page shows 20 postings. Reading them through a QuerySet (`readable_filter()`, `only()`,
`in_bulk`) cost about 1.3 ms on PostgreSQL, of which the statement itself took 0.04 ms: the rest was
compiling the query (its six date conditions) and building it again for every request. The statement
below is the same query, kept per field set, with the same date windows as parameters
(`validation.published_window` and `deadline_window`, as `readable_filter` uses them).

Each row becomes a named tuple of the asked fields (`ShownPosting`), not a `JobPosting`: building 20
models (`RawQuerySet`, `Model.__init__` over every field, deferred loading) took 0.25 ms of the 0.55 ms
this read cost. The page only draws the rows, so nothing is lost; a field not asked for is an
AttributeError, not a query. The values still go through the database's and the fields' own
converters (SQLite's text dates become aware datetimes), so they are what the ORM would give; a test
compares the two on rows inside and outside every window.
"""

from __future__ import annotations

from collections import namedtuple
from functools import lru_cache
from typing import Any, Protocol

from django.db import connection

from .models import JobPosting
from .validation import deadline_window, published_window

ALWAYS = ("id", "status", "latitude", "longitude")  # what the search needs of every shown posting


class ShownPosting(Protocol):
    """A shown posting: its id (also as `pk`), status and point, and the fields the page asked for."""

    id: int
    status: str
    latitude: float | None
    longitude: float | None

    @property
    def pk(self) -> int: ...

    def __getattr__(self, name: str) -> Any: ...


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


@lru_cache(maxsize=32)
def _row_type(fields: tuple[str, ...]) -> Any:
    """A named tuple of `fields` with `pk` for `id`, one type per field set."""
    base = namedtuple("ShownPosting", fields)  # type: ignore[misc]  # noqa: PYI024 - fields known at run time
    return type("ShownPosting", (base,), {"__slots__": (), "pk": property(lambda row: row.id)})


@lru_cache(maxsize=32)
def _converters(vendor: str, fields: tuple[str, ...]) -> tuple[tuple[int, tuple, Any], ...]:
    """(index, converters, column) of each field whose value the database's backend or the field itself
    converts, as the ORM's compiler finds them (`get_db_converters`); none for most on PostgreSQL."""
    table = JobPosting._meta.db_table
    found = []
    for index, name in enumerate(fields):
        field = JobPosting._meta.get_field(name)
        column = field.get_col(table)  # type: ignore[union-attr]
        functions = tuple(connection.ops.get_db_converters(column)) + tuple(field.get_db_converters(connection))  # type: ignore[union-attr]
        if functions:
            found.append((index, functions, column))
    return tuple(found)


def postings_by_id(ids: list[int], fields: tuple[str, ...]) -> dict[int, ShownPosting]:
    """{id: row} of those `ids` whose dates lie in the readable windows (a row changed since the
    catalogue was read may not), with `fields` and ALWAYS."""
    if not ids:
        return {}
    names = tuple(dict.fromkeys((*ALWAYS, *fields)))
    vendor = connection.vendor
    earliest, latest = published_window()
    first_day, last_day = deadline_window()
    window = [earliest, latest, earliest, latest, first_day, last_day]
    params: list[Any] = [list(ids), *window] if vendor == "postgresql" else [*ids, *window]
    sql = _statement(vendor, names, 0 if vendor == "postgresql" else len(ids))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    converters = _converters(vendor, names)
    make = _row_type(names)._make
    shown = {}
    for row in rows:
        if converters:
            values = list(row)
            for index, functions, column in converters:
                for convert in functions:
                    values[index] = convert(values[index], column, connection)
            row = values
        posting = make(row)
        shown[posting.id] = posting
    return shown
