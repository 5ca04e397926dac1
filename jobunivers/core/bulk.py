"""Many rows into one table at once, skipping the ones a unique constraint already holds (SQLite and
PostgreSQL). The ORM's `bulk_create` prepares every value of every row through its field (a timestamp's time
zone conversion, for example, once per row and column), which is most of the time of a large fan-out or a
journey run; these prepare each distinct value once. Unique constraints stay the only guard against
duplicates. Used by notifications' fan-out and the journey engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection
from django.db.models import Model
from django.utils import timezone


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
        # One array parameter per column (unnest): a VALUES list of thousands of placeholders is parsed
        # again by psycopg for every statement, which was most of a PostgreSQL fan-out's time.
        arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in given)
        constants = "".join(", %s" for _ in rest)
        with connection.cursor() as cursor:
            for start in range(0, len(rows), 5000):
                part = rows[start:start + 5000]
                columns_of_rows = [list(column) for column in zip(*part, strict=True)]
                # Only quoted model table/column names, column types and placeholders go into the text.
                cursor.execute(f"INSERT INTO {qn(meta.db_table)} ({columns}) SELECT u.*{constants} "  # noqa: S608
                               f"FROM unnest({arrays}) AS u{suffix}", [*defaults, *columns_of_rows])
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
