"""The register file's parser (importing.py) on any input, by Hypothesis: valid rows come through CSV and
JSON unchanged, anything else gives line-numbered errors and no rows, never an exception."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobunivers.analytics.importing import COLUMNS, Record, UnreadableFile, parse, read, read_csv, read_json

TODAY = datetime.date(2026, 12, 5)

dates = st.dates(min_value=datetime.date(2015, 1, 1), max_value=TODAY)
references = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", min_size=1, max_size=40)


@st.composite
def spells(draw):
    """A list of valid spells with unique references, one citizen each (overlaps are tested apart)."""
    count = draw(st.integers(min_value=1, max_value=12))
    refs = draw(st.lists(references, min_size=count, max_size=count, unique=True))
    rows = []
    for index, reference in enumerate(refs):
        started = draw(dates)
        ended = draw(st.one_of(st.none(), st.dates(min_value=started, max_value=TODAY)))
        reason = draw(st.sampled_from(["job", "education", "other"])) if ended else ""
        rows.append({"citizen_id": index + 1, "reference": reference, "started_on": started,
                     "ended_on": ended, "exit_reason": reason})
    return rows


def _csv(rows, delimiter=","):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([row["citizen_id"], row["reference"], row["started_on"].isoformat(),
                         row["ended_on"].isoformat() if row["ended_on"] else "", row["exit_reason"]])
    return out.getvalue()


def _json(rows):
    return json.dumps({"spells": [{**row, "started_on": row["started_on"].isoformat(),
                                   "ended_on": row["ended_on"].isoformat() if row["ended_on"] else None,
                                   "exit_reason": row["exit_reason"] or None} for row in rows]})


def _as_tuples(parsed):
    return [(r.citizen_id, r.reference, r.started_on, r.ended_on, r.exit_reason) for r in parsed]


def _expected(rows):
    return [(r["citizen_id"], r["reference"], r["started_on"], r["ended_on"], r["exit_reason"]) for r in rows]


@settings(max_examples=150, deadline=None)
@given(spells(), st.sampled_from([",", ";"]))
def test_valid_rows_come_through_csv_unchanged(rows, delimiter):
    # given a valid file
    text = _csv(rows, delimiter)
    # when it is read and parsed
    parsed, errors = parse(read_csv(text), today=TODAY)
    # then every row comes out as written, with the CSV line numbers
    assert errors == []
    assert _as_tuples(parsed) == _expected(rows)
    assert [r.line for r in parsed] == list(range(2, len(rows) + 2))


@settings(max_examples=150, deadline=None)
@given(spells())
def test_valid_rows_come_through_json_unchanged(rows):
    # given the same spells as JSON
    parsed, errors = parse(read_json(_json(rows)), today=TODAY)
    # then the same rows come out, numbered from 1
    assert errors == []
    assert _as_tuples(parsed) == _expected(rows)
    assert [r.line for r in parsed] == list(range(1, len(rows) + 1))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400), st.sampled_from(["csv", "json"]))
def test_any_text_gives_rows_or_errors_never_an_exception(text, file_format):
    # given any text at all
    try:
        records = read(text, file_format)
    except UnreadableFile as error:
        # then an unreadable file says why
        assert str(error)
        return
    # when the records are parsed
    parsed, errors = parse(records, today=TODAY)
    # then each error names a line of the file, and every record is either a row or has an error
    lines = {record.line for record in records}
    bad_lines = {int(error.split(":")[0].split()[1]) for error in errors}
    assert all(error.startswith("Linje ") for error in errors)
    assert bad_lines <= lines
    assert {row.line for row in parsed} | bad_lines == lines


@settings(max_examples=200, deadline=None)
@given(spells(), st.data())
def test_one_bad_value_rejects_the_whole_file_and_names_its_line(rows, data):
    # given a valid file where one row gets one bad value
    index = data.draw(st.integers(min_value=0, max_value=len(rows) - 1))
    column, bad = data.draw(st.sampled_from([
        ("citizen_id", "abc"), ("citizen_id", "-3"), ("citizen_id", "0"), ("reference", ""),
        ("reference", "x" * 41), ("started_on", "31-01-2026"), ("started_on", "2026-02-30"),
        ("started_on", (TODAY + datetime.timedelta(days=1)).isoformat()), ("exit_reason", "job!"),
    ]))
    records = read_csv(_csv(rows))
    values = dict(records[index].values, **{column: bad})
    records[index] = Record(line=records[index].line, values=values)
    # when it is parsed
    parsed, errors = parse(records, today=TODAY)
    # then that row does not come out, the others do, and the error names the line of the bad row
    assert [row.line for row in parsed] == [line for line in range(2, len(rows) + 2) if line != index + 2]
    assert errors and all(error.startswith(f"Linje {index + 2}: ") for error in errors)


def test_rows_that_contradict_each_other_are_named():
    # given an open spell followed by another spell of the same citizen, and a reference used twice
    text = ("citizen_id,reference,started_on,ended_on,exit_reason\n"
            "5,A,2026-01-01,,\n"
            "5,B,2026-03-01,2026-04-01,job\n"
            "6,B,2026-03-01,2026-04-01,other\n"
            "7,C,2026-03-01,2026-02-01,job\n"
            "8,D,2026-03-01,2026-04-01,\n"
            "9,E,2026-03-01,,job\n")
    # when parsed
    parsed, errors = parse(read_csv(text), today=TODAY)
    # then every contradiction is named with its line
    assert [row.line for row in parsed] == [2, 3, 4]
    assert errors == [
        "Linje 5: ended_on ligger før started_on",
        "Linje 6: exit_reason skal udfyldes, når perioden er slut",
        "Linje 7: exit_reason er udfyldt, men ended_on er tom",
        "Linje 4: referencen B står også på linje 3",
        "Linje 3: perioden overlapper perioden på linje 2 for samme borger",
    ]


def test_a_file_without_the_columns_is_unreadable():
    with pytest.raises(UnreadableFile, match="Filen mangler kolonnerne: citizen_id, reference"):
        read_csv("person,start\n1,2026-01-01\n")
    with pytest.raises(UnreadableFile):
        read_json('{"spells": 3}')
