"""Reading a register file of unemployment spells (docs/outcomes-import.md): CSV or JSON in, checked
rows or a list of errors out. Pure functions with no database, so Hypothesis can drive them; the
service (services.outcomes_import) adds the checks that need the database and writes all or nothing.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import ExitReason

COLUMNS = ("citizen_id", "reference", "started_on", "ended_on", "exit_reason", "job_occupation")
REQUIRED_COLUMNS = ("citizen_id", "reference", "started_on")
REFERENCE_MAX_LENGTH = 40
OCCUPATION_CODE_MAX_LENGTH = 40  # taxonomy.Occupation.esco_code
FORMATS = ("csv", "json")


class UnreadableFile(Exception):
    """The file as a whole cannot be read (not CSV/JSON, columns missing); the text says why in Danish."""


@dataclass(frozen=True)
class SpellRow:
    line: int
    citizen_id: int
    reference: str
    started_on: datetime.date
    ended_on: datetime.date | None
    exit_reason: str
    job_occupation: str = ""  # the ESCO code of the job's occupation ("2512.4"); services resolves it


@dataclass(frozen=True)
class Record:
    """One row as read: `line` is the CSV line number (the header is line 1) or the JSON entry's number."""

    line: int
    values: dict[str, str]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):  # JSON true/false is no valid value of any column
        return str(value).lower()
    return str(value).strip()


def read_csv(text: str) -> list[Record]:
    """CSV with a header line naming the columns (comma or semicolon, UTF-8 with or without BOM)."""
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
        header = [name.strip() for name in (reader.fieldnames or [])]
        missing = [name for name in REQUIRED_COLUMNS if name not in header]
        if missing:
            raise UnreadableFile(_("The file lacks the columns: %(columns)s") % {"columns": ", ".join(missing)})
        reader.fieldnames = header
        return [Record(line=reader.line_num, values={name: _text(row.get(name)) for name in COLUMNS})
                for row in reader]
    except csv.Error as error:
        raise UnreadableFile(_("The file could not be read as CSV: %(error)s") % {"error": error}) from error


def read_json(text: str) -> list[Record]:
    """JSON: {"spells": [{"citizen_id": 12, "reference": "...", ...}, ...]} (or the list alone)."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise UnreadableFile(_("The file is not valid JSON: %(error)s") % {"error": error}) from error
    entries = data.get("spells") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise UnreadableFile(_('The JSON file must hold a list "spells" of spells.'))
    records = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            records.append(Record(line=number, values={"__not_an_object__": "1"}))
            continue
        records.append(Record(line=number, values={name: _text(entry.get(name)) for name in COLUMNS}))
    return records


def read(text: str, file_format: str) -> list[Record]:
    if file_format == "csv":
        return read_csv(text)
    if file_format == "json":
        return read_json(text)
    raise UnreadableFile(_("Unknown format %(format)s: use csv or json.") % {"format": file_format})


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def parse(records: list[Record], *, today: datetime.date) -> tuple[list[SpellRow], list[str]]:
    """Every record checked on its own and against the others in the file: the rows that passed their
    own checks, and every error with its line (Danish when active). The caller writes nothing unless
    the errors are empty (services.outcomes_import adds the checks against the database first)."""
    rows: list[SpellRow] = []
    errors: list[str] = []
    for record in records:
        line_errors: list[str] = []

        def err(text: str, line: int = record.line, found: list[str] = line_errors) -> None:
            found.append(_("Line %(line)s: %(error)s") % {"line": line, "error": text})

        values = record.values
        if "__not_an_object__" in values:
            err(_("each spell must be an object with the columns as keys"))
            errors += line_errors
            continue
        citizen_text = values.get("citizen_id", "")
        citizen_id = int(citizen_text) if citizen_text.isascii() and citizen_text.isdigit() else None
        if citizen_id is None or citizen_id == 0 or citizen_id > 2**31 - 1:
            err(_("citizen_id must be a whole number above 0 (the platform's citizen number)"))
        reference = values.get("reference", "")
        if not reference:
            err(_("reference is missing (the register's id of the spell)"))
        elif len(reference) > REFERENCE_MAX_LENGTH:
            err(_("reference may be at most %(n)s characters") % {"n": REFERENCE_MAX_LENGTH})
        started_on = _date(values.get("started_on", ""))
        if started_on is None:
            err(_("started_on must be a date like 2026-01-31"))
        elif started_on > today:
            err(_("started_on lies in the future"))
        ended_text = values.get("ended_on", "")
        ended_on = _date(ended_text) if ended_text else None
        if ended_text and ended_on is None:
            err(_("ended_on must be a date like 2026-01-31 or empty"))
        elif ended_on is not None and ended_on > today:
            err(_("ended_on lies in the future"))
        elif ended_on is not None and started_on is not None and ended_on < started_on:
            err(_("ended_on is before started_on"))
        exit_reason = values.get("exit_reason", "")
        if exit_reason and exit_reason not in ExitReason.values:
            err(_("exit_reason has the unknown value %(value)s (use job, education or other)") % {"value": exit_reason[:40]})
        elif ended_text and not exit_reason:
            err(_("exit_reason is needed when the spell has ended"))
        elif exit_reason and not ended_text:
            err(_("exit_reason is given but ended_on is empty"))
        job_occupation = values.get("job_occupation", "")
        if job_occupation and len(job_occupation) > OCCUPATION_CODE_MAX_LENGTH:
            err(_("job_occupation may be at most %(n)s characters") % {"n": OCCUPATION_CODE_MAX_LENGTH})
        elif job_occupation and exit_reason != ExitReason.JOB:
            err(_("job_occupation is given but exit_reason is not job"))
        errors += line_errors
        if not line_errors:
            assert citizen_id is not None and started_on is not None  # noqa: S101 (checked above)
            rows.append(SpellRow(line=record.line, citizen_id=citizen_id, reference=reference,
                                 started_on=started_on, ended_on=ended_on, exit_reason=exit_reason,
                                 job_occupation=job_occupation))
    errors += _across_rows(rows)
    return rows, errors


def _across_rows(rows: list[SpellRow]) -> list[str]:
    """A reference appears once in a file, and one citizen's spells do not overlap."""
    errors = []
    first_line: dict[str, int] = {}
    for row in rows:
        if row.reference in first_line:
            errors.append(_("Line %(line)s: the reference %(reference)s is also on line %(first)s")
                          % {"line": row.line, "reference": row.reference, "first": first_line[row.reference]})
        else:
            first_line[row.reference] = row.line
    by_citizen: dict[int, list[SpellRow]] = defaultdict(list)
    for row in rows:
        by_citizen[row.citizen_id].append(row)
    for spells in by_citizen.values():
        spells.sort(key=lambda r: r.started_on)
        for before, after in zip(spells, spells[1:], strict=False):
            if before.ended_on is None or before.ended_on > after.started_on:
                errors.append(_("Line %(line)s: the spell overlaps the spell on line %(other)s of the same citizen")
                              % {"line": after.line, "other": before.line})
    return errors
