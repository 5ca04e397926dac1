"""Property-based tests of the three feed parsers (issue 12): whatever the input, a parser either refuses the
whole file with ValidationFailed or yields records and clean skips with reasons; never another exception.
Every record that passes `clean_record` fits its columns as PostgreSQL defines them, and an import of
any such file writes only rows the database accepts (run this file on PostgreSQL too).
"""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import models
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobunivers.core.errors import ValidationFailed
from jobunivers.jobs.models import JobImportRun, JobPosting
from jobunivers.jobs.services import postings_import
from jobunivers.jobs.sources import FeedRecord, RecordError, registry
from jobunivers.jobs.sources.base import RecordInvalid
from jobunivers.jobs.validation import clean_record

PG_INT_MAX = 2**31 - 1

# --- strategies ---------------------------------------------------------------------------------------

scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(10**40), max_value=10**40),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30))
json_values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                             st.dictionaries(st.text(max_size=6), inner, max_size=3)),
                           max_leaves=8)
# Text with the characters that break databases and parsers: NUL, control characters, quotes, separators.
nasty_text = st.text(alphabet=st.one_of(st.characters(codec="utf-8"), st.sampled_from("\x00\r\n\";,\\\ufeff")),
                     max_size=40)
long_text = st.builds(lambda c, n: c * n, st.sampled_from(["a", "ø", "\x00", " "]), st.sampled_from([199, 200, 201, 254, 255, 256, 501]))
any_text = st.one_of(nasty_text, long_text)
dates = st.one_of(
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)).map(lambda d: d.isoformat()),
    st.dates(min_value=date(1, 1, 2), max_value=date(9999, 12, 30)).map(lambda d: d.isoformat()),
    st.sampled_from(["2026-11-20", "2026-11-20T08:00:00Z", "9999-12-31", "0001-01-01", "2026-02-30", "", "igår"]),
    st.integers(min_value=-(10**20), max_value=10**20), st.floats(allow_nan=True), json_values,
)
numbers = st.one_of(st.integers(min_value=-(10**40), max_value=10**40), st.floats(allow_nan=True, allow_infinity=True),
                    st.sampled_from(["1", "2,5", "1e6", "NaN", "-0", "mange", "10" * 20]), json_values)
urls = st.one_of(st.sampled_from(["https://job.example/1", "http://x.dk", "mailto:job@x.dk", "javascript:alert(1)",
                                  "JAVASCRIPT:alert(1)", "data:text/html,x", "//evil.example", "https://", "ftp://x.dk",
                                  " https://x.dk/a b"]), any_text)
emails = st.one_of(st.sampled_from(["job@example.dk", "a" * 250 + "@x.dk", "not-an-email", "@", "a@b"]), any_text)
coordinates = st.one_of(st.lists(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(), st.text(max_size=5)),
                                 max_size=3), json_values)


def _maybe(strategy):
    return st.one_of(st.just(None), strategy, json_values)


JOBTECH_FIELDS = {
    "id": st.one_of(any_text, st.integers(), st.sampled_from(["A1", "A2", "A3"])),
    "headline": st.one_of(any_text, st.sampled_from(["Tømrer", "Kok"])),
    "employer": st.one_of(st.fixed_dictionaries({"name": st.one_of(any_text, st.just("Byg A/S")),
                                                 "organization_number": _maybe(any_text)}), json_values),
    "description": st.one_of(st.fixed_dictionaries({"text": any_text}), json_values),
    "publication_date": dates, "application_deadline": _maybe(dates), "timestamp": _maybe(dates),
    "number_of_vacancies": _maybe(numbers),
    "scope_of_work": st.one_of(st.fixed_dictionaries({"max": numbers}), json_values),
    "workplace_address": st.one_of(st.fixed_dictionaries({
        "postcode": _maybe(any_text), "city": _maybe(any_text), "country_code": st.sampled_from(["DK", "SE", "", None]),
        "municipality_code": _maybe(any_text), "coordinates": coordinates}), json_values),
    "application_details": st.one_of(st.fixed_dictionaries({"url": _maybe(urls), "email": _maybe(emails)}), json_values),
    "must_have": st.one_of(st.fixed_dictionaries({"skills": st.lists(st.fixed_dictionaries({
        "label": any_text, "weight": numbers}), max_size=3)}), json_values),
    "removed": st.one_of(st.booleans(), json_values),
}
jobtech_ads = st.fixed_dictionaries(JOBTECH_FIELDS)
JSONLD_FIELDS = {
    "@type": st.one_of(st.just("JobPosting"), json_values),
    "title": st.one_of(any_text, st.just("Tømrer")), "identifier": st.one_of(any_text, json_values),
    "datePosted": dates, "validThrough": _maybe(dates), "dateModified": _maybe(dates),
    "hiringOrganization": st.one_of(st.fixed_dictionaries({"name": any_text, "vatID": _maybe(any_text)}), json_values),
    "description": _maybe(any_text), "totalJobOpenings": _maybe(numbers), "workHours": _maybe(numbers),
    "url": _maybe(urls), "applicationContact": st.one_of(st.fixed_dictionaries({"email": emails}), json_values),
    "jobLocation": st.one_of(st.fixed_dictionaries({
        "address": st.one_of(st.fixed_dictionaries({"postalCode": _maybe(any_text),
                                                    "addressCountry": st.sampled_from(["DK", "SE", ""])}), json_values),
        "geo": st.one_of(st.fixed_dictionaries({"latitude": _maybe(numbers), "longitude": _maybe(numbers)}), json_values)}),
        json_values),
    "employmentType": _maybe(any_text), "skills": _maybe(st.lists(any_text, max_size=3)),
}
jsonld_items = st.fixed_dictionaries(JSONLD_FIELDS)


def _near(base: dict, fields: dict) -> st.SearchStrategy:
    """A good record with zero to two of its fields replaced by anything the field strategy gives."""
    return st.lists(st.sampled_from(sorted(fields)), max_size=2, unique=True).flatmap(
        lambda keys: st.fixed_dictionaries({key: fields[key] for key in keys})).map(lambda changes: {**base, **changes})


GOOD_AD = {"id": "A1", "headline": "Tømrer", "employer": {"name": "Byg A/S", "organization_number": "12345674"},
           "description": {"text": "Vi søger en tømrer."}, "publication_date": "2026-11-20T08:00:00",
           "application_deadline": "2027-01-15", "number_of_vacancies": 2, "scope_of_work": {"max": 100},
           "workplace_address": {"postcode": "8000", "city": "Aarhus C", "country_code": "DK",
                                 "coordinates": [10.2, 56.15]},
           "application_details": {"url": "https://job.example/1", "email": "job@example.dk"}}
GOOD_ITEM = {"@type": "JobPosting", "title": "Tømrer", "identifier": "L1", "datePosted": "2026-11-20",
             "hiringOrganization": {"name": "Byg A/S", "vatID": "DK12345674"}, "totalJobOpenings": 1, "workHours": 37,
             "url": "https://job.example/2", "applicationContact": {"email": "job@example.dk"},
             "jobLocation": {"address": {"postalCode": "8000", "addressCountry": "DK"},
                             "geo": {"latitude": 56.15, "longitude": 10.2}}}
near_ads = _near(GOOD_AD, {**JOBTECH_FIELDS, "id": st.sampled_from(["A1", "A2", "A3"])})
near_items = _near(GOOD_ITEM, {**JSONLD_FIELDS, "identifier": st.sampled_from(["L1", "L2", "L3"])})
CSV_COLUMNS = ["external_id", "title", "employer_name", "published", "description", "employer_cvr", "postcode",
               "latitude", "longitude", "hours", "hours_per_week", "positions", "application_deadline", "apply_url",
               "apply_email", "status", "must_skills"]
csv_cells = st.one_of(any_text, st.sampled_from(["", "1", "8000", "fuldtid", "2026-11-20", "9999-12-31", "1e6", "NaN",
                                                 "javascript:alert(1)", "12345674", "12345678", "56.15", "10.2"]))
csv_rows = st.fixed_dictionaries({column: csv_cells for column in CSV_COLUMNS})
GOOD_ROW = {"external_id": "C1", "title": "Tømrer", "employer_name": "Byg A/S", "published": "2026-11-20",
            "description": "Vi søger en tømrer.", "employer_cvr": "12345674", "postcode": "8000", "latitude": "56.15",
            "longitude": "10.2", "hours": "fuldtid", "hours_per_week": "37", "positions": "1",
            "application_deadline": "2027-01-15", "apply_url": "https://job.example/3", "apply_email": "job@example.dk",
            "status": "", "must_skills": ""}
near_rows = _near(GOOD_ROW, {**{column: csv_cells for column in CSV_COLUMNS},
                             "external_id": st.sampled_from(["C1", "C2", "C3"])})


def _csv_bytes(rows: list[dict], delimiter: str) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8", errors="surrogatepass")


def _json_bytes(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, allow_nan=True).encode("utf-8", errors="surrogatepass")


files = st.one_of(
    st.tuples(st.just("jobtech"), st.lists(st.one_of(near_ads, jobtech_ads), max_size=4).map(_json_bytes)),
    st.tuples(st.just("jsonld"), st.lists(st.one_of(near_items, jsonld_items), max_size=4).map(_json_bytes)),
    st.tuples(st.just("csv"), st.builds(_csv_bytes, st.lists(st.one_of(near_rows, csv_rows), max_size=4),
                                        st.sampled_from([",", ";"]))),
    st.tuples(st.sampled_from(["jobtech", "jsonld", "csv"]), st.binary(max_size=200)),
    st.tuples(st.sampled_from(["jobtech", "jsonld"]), json_values.map(_json_bytes)),
)

# --- what PostgreSQL accepts --------------------------------------------------------------------------


def _fits_columns(record: FeedRecord) -> None:
    """Independent of validation.py: every value fits its column as PostgreSQL defines it."""
    for model_field in JobPosting._meta.get_fields():
        name = getattr(model_field, "attname", None)
        if not hasattr(record, name or ""):
            continue
        value = getattr(record, name)
        if isinstance(model_field, (models.CharField, models.TextField)):
            assert isinstance(value, str), name
            assert "\x00" not in value, name
            value.encode("utf-8")  # no lone surrogates
            if model_field.max_length:
                assert len(value) <= model_field.max_length, name
    assert len(record.apply_email) <= 254
    assert len(record.description) <= 100_000
    assert isinstance(record.positions, int) and 1 <= record.positions <= PG_INT_MAX
    if record.hours_per_week is not None:
        assert isinstance(record.hours_per_week, Decimal) and record.hours_per_week.is_finite()
        assert 0 < record.hours_per_week < 1000 and record.hours_per_week == record.hours_per_week.quantize(Decimal("0.1"))
    for coordinate, limit in ((record.latitude, 90), (record.longitude, 180)):
        if coordinate is not None:
            assert math.isfinite(coordinate) and -limit <= coordinate <= limit
    now = timezone.now()
    for moment in (record.published_at, record.changed_at):
        if moment is not None:
            assert datetime(2000, 1, 1, tzinfo=moment.tzinfo) <= moment <= now + timedelta(days=367)
    if record.application_deadline is not None:
        assert date(2000, 1, 1) <= record.application_deadline <= now.date() + timedelta(days=5 * 366 + 1)
    assert not record.apply_url or record.apply_url.split(":", 1)[0].lower() in {"http", "https", "mailto"}
    for skill in record.skills:
        assert "\x00" not in skill.uri + skill.label and math.isfinite(skill.weight)


def _parse(source: str, data: bytes) -> list:
    try:
        return list(registry.get(source)().parse(data))
    except ValidationFailed:
        return []


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(files)
def test_any_input_gives_records_that_fit_or_clean_skips(file):
    # given any file in one of the three formats (or any bytes)
    source, data = file
    # when it is parsed and every record is checked
    items = _parse(source, data)
    # then each item is a record or a skip with a position and a reason, and every record that passes fits
    for item in items:
        assert isinstance(item, (FeedRecord, RecordError))
        if isinstance(item, RecordError):
            assert item.position and item.reason
            continue
        try:
            cleaned = clean_record(item)
        except RecordInvalid as error:
            assert str(error)
            continue
        _fits_columns(cleaned)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(files)
def test_any_input_imports_without_an_error_from_the_database(file):
    # given any file
    source, data = file
    JobPosting.objects.all().delete()
    items = _parse(source, data)
    # when it is imported
    report = postings_import(source=source, items=items, embed=False)
    # then every record that passes the checks is written, the database refuses none, and each skip has a reason
    last_by_id = {}  # the later record with the same id wins, as the import documents
    for item in items:
        if isinstance(item, FeedRecord):
            try:
                cleaned = clean_record(item)
            except RecordInvalid:
                continue
            last_by_id[cleaned.external_id] = cleaned
    # a removal notice of an unknown posting writes nothing
    passing = {external_id for external_id, cleaned in last_by_id.items() if cleaned.title}
    assert report.created == len(passing) == JobPosting.objects.count()
    assert not [reason for _, reason in report.errors if reason.startswith("the database refused")]
    assert all(position and reason for position, reason in report.errors)
    assert sorted(JobPosting.objects.values_list("external_id", flat=True)) == sorted(passing)


def test_an_unreadable_file_still_leaves_a_run_record(db, tmp_path):
    # given a file that is not JSON at all
    path = tmp_path / "feed.json"
    path.write_bytes(b"\xff\xfe\x00garbage")
    # when it is imported
    from jobunivers.jobs.services import import_from_location

    with pytest.raises(ValidationFailed):
        import_from_location(source="jsonld", location=str(path), embed=False)
    # then the failed run is recorded and nothing was written
    run = JobImportRun.objects.get()
    assert (run.source, run.created, bool(run.failed)) == ("jsonld", 0, True)
    assert JobPosting.objects.count() == 0
