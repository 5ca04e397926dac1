"""Many rows into one table at once, skipping the ones a unique constraint already holds (SQLite and
PostgreSQL). The ORM's `bulk_create` prepares every value of every row through its field (a timestamp's time
zone conversion, for example, once per row and column), which is most of the time of a large fan-out or a
journey run; these prepare each distinct value once. Unique constraints stay the only guard against
duplicates. Used by notifications' fan-out and the journey engine.
"""

from __future__ import annotations

import datetime
import decimal
import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection
from django.db.models import Model
from django.utils import timezone

# Values json.dumps cannot write itself; PostgreSQL casts each text back to the column's type.
_AS_TEXT = (datetime.datetime, datetime.date, datetime.time, uuid.UUID, decimal.Decimal)
# Columns a JSON document cannot carry as plain values: these go as one array parameter per column instead.
_NOT_AS_JSON = frozenset({"JSONField", "BinaryField", "ArrayField"})


def _as_text(value):
    if isinstance(value, _AS_TEXT):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    raise TypeError(f"{type(value).__name__} cannot be written in bulk")


def _postgresql_statement(meta, given, rest, defaults, columns: str, suffix: str, part: list[tuple]):
    """The INSERT of one part on PostgreSQL, and its parameters. The rows travel as one JSON document read by
    jsonb_to_recordset: psycopg writes a list parameter element by element in Python (escaping each string),
    which was a third of a journey run; json.dumps is C and one string is escaped once. Columns JSON cannot
    carry (JSON, binary, arrays) fall back to one array parameter per column (unnest)."""
    qn = connection.ops.quote_name
    constants = "".join(", %s" for _ in rest)
    table = qn(meta.db_table)
    if any(f.get_internal_type() in _NOT_AS_JSON for f in given):
        arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in given)
        columns_of_rows = [list(column) for column in zip(*part, strict=True)]
        # Only quoted model table/column names, column types and placeholders go into the text.
        return (f"INSERT INTO {table} ({columns}) SELECT u.*{constants} "  # noqa: S608
                f"FROM unnest({arrays}) AS u{suffix}", [*defaults, *columns_of_rows])
    names = [f.column for f in given]
    texts: dict = {}  # a run writes the same few timestamps thousands of times: each is written once

    def as_text(value):
        try:
            return texts[value]
        except KeyError:
            text = texts[value] = _as_text(value)
            return text

    document = json.dumps([dict(zip(names, row, strict=True)) for row in part], default=as_text,
                          separators=(",", ":"))
    record = ", ".join(f"{qn(f.column)} {f.db_type(connection)}" for f in given)
    # Only quoted model table/column names, column types and placeholders go into the text.
    return (f"INSERT INTO {table} ({columns}) SELECT r.*{constants} "  # noqa: S608
            f"FROM jsonb_to_recordset(%s::jsonb) AS r({record}){suffix}", [*defaults, document])


def insert_ignoring_conflicts(model, fields: list[str], rows: list[tuple], *,
                               returning: list[str] | None = None) -> list[tuple]:
    """INSERT ... ON CONFLICT DO NOTHING of many rows in multi-row statements (SQLite and PostgreSQL).

    `rows` hold values already prepared for the database, in the order of `fields`; every other
    concrete field gets its default. With `returning`, those columns of the rows actually written
    (not the ones a unique constraint skipped) are returned. The ORM's bulk_create prepares every
    value of every row through its field, which is what made fan-out slow; this prepares nothing
    per row. Unique constraints stay the only guard against duplicates."""
    if not rows:
        return []
    meta = model._meta
    given = [meta.get_field(name) for name in fields]
    rest = [f for f in meta.concrete_fields if not f.primary_key and f.name not in fields]
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in given + rest)
    width = len(given) + len(rest)
    placeholder = "(" + ", ".join(["%s"] * width) + ")"
    max_params = getattr(connection.features, "max_query_params", None) or 30000
    per_statement = max(1, min(500, max_params // width))
    suffix = " ON CONFLICT DO NOTHING"
    if returning:
        suffix += " RETURNING " + ", ".join(qn(meta.get_field(name).column) for name in returning)
    result: list[tuple] = []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for start in range(0, len(rows), 5000):
                cursor.execute(*_postgresql_statement(meta, given, rest, defaults, columns, suffix,
                                                      rows[start:start + 5000]))
                if returning:
                    result += cursor.fetchall()
        return result
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            part = rows[start:start + per_statement]
            params = [value for row in part for value in (*row, *defaults)]
            # Only quoted model table/column names and placeholders go into the text; values are parameters.
            cursor.execute(f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES "  # noqa: S608
                           f"{', '.join([placeholder] * len(part))}{suffix}", params)
            if returning:
                result += cursor.fetchall()
    return result


def insert_rows_ignoring_conflicts(model: type[Model], rows: Sequence[Mapping[str, Any]], *,
                                   returning: list[str] | None = None) -> list[tuple]:
    """`insert_ignoring_conflicts` for rows given as {attname: value} (e.g. `citizen_id`): a concrete field a
    row leaves out gets its default, `auto_now` and `auto_now_add` fields one shared "now", and each distinct
    value of a field is prepared for the database once. No model instance is made (making them was a quarter
    of a journey run's time); unknown keys are refused."""
    if not rows:
        return []
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    known = {f.attname for f in fields}
    unknown = {key for row in rows for key in row} - known
    if unknown:
        raise TypeError(f"{model.__name__} has no field {sorted(unknown)[0]!r}")
    now = timezone.now()
    automatic = {f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)}
    defaults = {f.attname: f.get_default() for f in fields if f.attname not in automatic}
    prepared: dict[str, dict] = {f.attname: {} for f in fields}
    order = [(f.attname, f) for f in fields]

    def value(attname: str, field, row: Mapping[str, Any]):
        raw = now if attname in automatic else row.get(attname, defaults[attname])
        memo = prepared[attname]
        try:
            return memo[raw]
        except KeyError:
            done = memo[raw] = field.get_db_prep_save(raw, connection)
            return done
        except TypeError:  # an unhashable value (a JSON field's dict): prepared every time
            return field.get_db_prep_save(raw, connection)

    values = [tuple(value(attname, field, row) for attname, field in order) for row in rows]
    return insert_ignoring_conflicts(model, [f.name for f in fields], values, returning=returning)
