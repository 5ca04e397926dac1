"""The crafted bad-feed suite (issue 12): each case is a file with good records and a bad one, in one of the
three formats. The good records land, the bad one is skipped with its position and a Danish reason in
the run record, and afterwards job search, a citizen's feed and the public API answer 200.

Runs on SQLite and on PostgreSQL (where an unchecked value would abort the file with a DataError):
`DATABASE_URL=postgres://... .venv/bin/pytest -q --create-db jobunivers/jobs`.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from jobunivers.core.errors import ValidationFailed
from jobunivers.core.testing import client_for, murl
from jobunivers.jobs.models import JobImportRun, JobPosting
from jobunivers.jobs.services import import_from_location

BIG = 50 * 1024 * 1024  # a 50 MB description
TODAY = "2026-11-20"


def _good_jobtech(ad_id: str, **changes) -> dict:
    ad = {
        "id": ad_id, "headline": f"Tømrer {ad_id}", "description": {"text": "Vi søger en tømrer til renovering."},
        "employer": {"name": "Byg A/S"}, "publication_date": f"{TODAY}T08:00:00",
        "application_deadline": "2027-01-15T23:59:59", "number_of_vacancies": 1,
        "working_hours_type": {"label": "Heltid"}, "scope_of_work": {"min": 100, "max": 100},
        "workplace_address": {"postcode": "8000", "city": "Aarhus C", "country_code": "DK",
                              "coordinates": [10.2036, 56.1528]},
        "application_details": {"url": "https://job.example/1", "email": "job@example.dk"},
    }
    ad.update(changes)
    return ad


def _good_jsonld(identifier: str, **changes) -> dict:
    item = {
        "@context": "https://schema.org/", "@type": "JobPosting", "title": f"Tømrer {identifier}",
        "description": "<p>Vi søger en tømrer.</p>", "identifier": identifier, "datePosted": TODAY,
        "validThrough": "2027-01-15T23:59", "employmentType": "FULL_TIME",
        "hiringOrganization": {"@type": "Organization", "name": "Byg A/S"},
        "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress", "postalCode": "8000",
                                                      "addressLocality": "Aarhus C", "addressCountry": "DK"}},
        "url": "https://job.example/jl",
    }
    item.update(changes)
    return item


CSV_COLUMNS = ["external_id", "title", "employer_name", "published", "description", "postcode", "hours",
               "hours_per_week", "positions", "latitude", "longitude", "apply_url", "apply_email"]


def _good_csv(external_id: str, **changes) -> dict:
    row = {"external_id": external_id, "title": f"Tømrer {external_id}", "employer_name": "Byg A/S",
           "published": TODAY, "description": "Vi søger en tømrer.", "postcode": "8000", "hours": "fuldtid",
           "hours_per_week": "37", "positions": "1", "latitude": "", "longitude": "", "apply_url": "https://job.example/c",
           "apply_email": "job@example.dk"}
    row.update(changes)
    return row


def _jobtech(*ads) -> bytes:
    return json.dumps(list(ads), ensure_ascii=False).encode()


def _jsonld(*items) -> bytes:
    return json.dumps(list(items), ensure_ascii=False).encode()


def _csv(*rows) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


@dataclass
class Case:
    source: str
    body: bytes | None  # None: built lazily (the 50 MB cases)
    skipped: dict[str, str]  # position -> a fragment of the Danish reason
    good: tuple[str, ...] = ("G1", "G2")
    failed: str = ""  # the whole file is refused: a fragment of the run's failure

    def data(self) -> bytes:
        return self.body if self.body is not None else BUILDERS[self.source]()


def _big_jobtech() -> bytes:
    return _jobtech(_good_jobtech("G1"), _good_jobtech("B", description={"text": "x" * BIG}), _good_jobtech("G2"))


def _big_jsonld() -> bytes:
    return _jsonld(_good_jsonld("G1"), _good_jsonld("B", description="y " * (BIG // 2)), _good_jsonld("G2"))


def _big_csv() -> bytes:
    return _csv(_good_csv("G1"), _good_csv("B", description="z" * BIG), _good_csv("G2"))


BUILDERS = {"jobtech": _big_jobtech, "jsonld": _big_jsonld, "csv": _big_csv}

J, L, C = _good_jobtech, _good_jsonld, _good_csv
LONG_ID = "i" * 201
LONG_EMAIL = "a" * 250 + "@x.dk"  # 255 characters
LATIN1 = "Tømrer".encode("latin-1")

CASES = {
    # --- JobTech -------------------------------------------------------------------------------------
    "jobtech publication 9999-12-31": Case("jobtech", _jobtech(J("G1"), J("B", publication_date="9999-12-31T23:59:59"), J("G2")),
                                           {"annonce 2": "offentliggjort 9999-12-31 ligger uden for"}),
    "jobtech id over 200 characters": Case("jobtech", _jobtech(J("G1"), J(LONG_ID), J("G2")),
                                           {"annonce 2": "eksternt id er længere end 200 tegn"}),
    "jobtech e-mail over 254": Case("jobtech", _jobtech(J("G1"), J("B", application_details={"email": LONG_EMAIL}), J("G2")),
                                    {"annonce 2": "er længere end 254 tegn"}),
    "jobtech NUL byte": Case("jobtech", _jobtech(J("G1"), J("B", headline="Tømrer\x00"), J("G2")),
                             {"annonce 2": "indeholder et NUL-tegn"}),
    "jobtech 10**30 positions": Case("jobtech", _jobtech(J("G1"), J("B", number_of_vacancies=10**30), J("G2")),
                                     {"annonce 2": "antallet af stillinger skal være fra 1 til 10000"}),
    "jobtech 1e6 hours": Case("jobtech", _jobtech(J("G1"), J("B", scope_of_work={"max": 2702703}), J("G2")),
                              {"annonce 2": "timer om ugen skal være over 0 og højst 168"}),
    "jobtech javascript: URL": Case("jobtech", _jobtech(J("G1"), J("B", application_details={"url": "javascript:alert(1)"}),
                                                        J("G2")), {"annonce 2": "http(s)- eller mailto-adresse"}),
    "jobtech 50 MB description": Case("jobtech", None, {"annonce 2": "beskrivelsen er længere end 100.000 tegn"}),
    "jobtech coordinates off the globe": Case("jobtech", _jobtech(J("G1"), J("B", workplace_address={
        "coordinates": [200.0, 95.0]}), J("G2")), {"annonce 2": "uden for jordkloden"}),
    "jobtech Danish ad placed in Sweden": Case("jobtech", _jobtech(J("G1"), J("B", workplace_address={
        "country_code": "DK", "coordinates": [18.05, 59.32]}), J("G2")), {"annonce 2": "ligger ikke i Danmark"}),
    "jobtech headline of the wrong type": Case("jobtech", _jobtech(J("G1"), J("B", headline={"sv": "Snickare"}), J("G2")),
                                               {"annonce 2": "skal være tekst"}),
    "jobtech missing publication date": Case("jobtech", _jobtech(J("G1"), J("B", publication_date=None), J("G2")),
                                             {"annonce 2": "offentliggjort mangler"}),
    "jobtech duplicate id in one file": Case("jobtech", _jobtech(J("G1"), J("G1", headline="Tømrer, senior"), J("G2")),
                                             {"annonce 1": "erstattet af annonce 2"}),
    "jobtech broken JSON": Case("jobtech", _jobtech(J("G1"), J("G2"))[:-40], {}, good=(),
                                failed="Filen er ikke gyldig JSON"),
    "jobtech wrong encoding in one ad": Case("jobtech", _jobtech(J("G1"), J("B", headline="@@@"), J("G2")).replace(
        b"@@@", LATIN1), {"annonce 2": "er ikke gyldig UTF-8-tekst"}),
    "jobtech deadline 9999-12-31": Case("jobtech", _jobtech(J("G1"), J("B", application_deadline="9999-12-31"), J("G2")),
                                        {"annonce 2": "ansøgningsfrist 9999-12-31 ligger uden for"}),
    "jobtech NaN coordinates": Case("jobtech", _jobtech(J("G1"), J("G2")).replace(b"[", b'[{"id": "B", "headline": "x", '
                                    b'"employer": {"name": "y"}, "publication_date": "2026-11-20", '
                                    b'"workplace_address": {"coordinates": [NaN, Infinity]}}, ', 1),
                                    {"annonce 1": "uden for jordkloden"}),
    "jobtech positions as words": Case("jobtech", _jobtech(J("G1"), J("B", number_of_vacancies="mange"), J("G2")),
                                       {"annonce 2": "er ikke et helt tal"}),
    # --- JSON-LD -------------------------------------------------------------------------------------
    "jsonld datePosted 9999-12-31": Case("jsonld", _jsonld(L("G1"), L("B", datePosted="9999-12-31"), L("G2")),
                                         {"element 2": "offentliggjort 9999-12-31 ligger uden for"}),
    "jsonld identifier over 200 characters": Case("jsonld", _jsonld(L("G1"), L(LONG_ID), L("G2")),
                                                  {"element 2": "eksternt id er længere end 200 tegn"}),
    "jsonld e-mail over 254": Case("jsonld", _jsonld(L("G1"), L("B", applicationContact={"email": LONG_EMAIL}), L("G2")),
                                   {"element 2": "er længere end 254 tegn"}),
    "jsonld NUL byte": Case("jsonld", _jsonld(L("G1"), L("B", description="Tømrer\x00søges"), L("G2")),
                            {"element 2": "indeholder et NUL-tegn"}),
    "jsonld 10**30 openings": Case("jsonld", _jsonld(L("G1"), L("B", totalJobOpenings=10**30), L("G2")),
                                   {"element 2": "antallet af stillinger skal være fra 1 til 10000"}),
    "jsonld 1e6 work hours": Case("jsonld", _jsonld(L("G1"), L("B", workHours=1e6), L("G2")),
                                  {"element 2": "timer om ugen skal være over 0 og højst 168"}),
    "jsonld javascript: URL": Case("jsonld", _jsonld(L("G1"), L("B", url="javascript:alert(1)"), L("G2")),
                                   {"element 2": "http(s)- eller mailto-adresse"}),
    "jsonld 50 MB description": Case("jsonld", None, {"element 2": "beskrivelsen er længere end 100.000 tegn"}),
    "jsonld latitude of the wrong type": Case("jsonld", _jsonld(L("G1"), L("B", jobLocation={
        "geo": {"latitude": "nord", "longitude": 10.2}}), L("G2")), {"element 2": "er ikke et tal"}),
    "jsonld missing employer": Case("jsonld", _jsonld(L("G1"), L("B", hiringOrganization=None), L("G2")),
                                    {"element 2": "intet navn i hiringOrganization"}),
    "jsonld broken JSON in a page": Case("jsonld", b'<html><script type="application/ld+json">[{"@type": </script></html>',
                                         {}, good=(), failed="Filen er ikke gyldig JSON"),
    # --- CSV -----------------------------------------------------------------------------------------
    "csv published 9999-12-31": Case("csv", _csv(C("G1"), C("B", published="9999-12-31"), C("G2")),
                                     {"linje 3": "offentliggjort 9999-12-31 ligger uden for"}),
    "csv id over 200 characters": Case("csv", _csv(C("G1"), C(LONG_ID), C("G2")),
                                       {"linje 3": "eksternt id er længere end 200 tegn"}),
    "csv e-mail over 254": Case("csv", _csv(C("G1"), C("B", apply_email=LONG_EMAIL), C("G2")),
                                {"linje 3": "er længere end 254 tegn"}),
    "csv NUL byte": Case("csv", _csv(C("G1"), C("B", title="Tømrer\x00"), C("G2")), {"linje 3": "indeholder et NUL-tegn"}),
    "csv 10**30 positions": Case("csv", _csv(C("G1"), C("B", positions=str(10**30)), C("G2")),
                                 {"linje 3": "antallet af stillinger skal være fra 1 til 10000"}),
    "csv 1e6 hours": Case("csv", _csv(C("G1"), C("B", hours_per_week="1000000"), C("G2")),
                          {"linje 3": "timer om ugen skal være over 0 og højst 168"}),
    "csv javascript: URL": Case("csv", _csv(C("G1"), C("B", apply_url="javascript:alert(1)"), C("G2")),
                                {"linje 3": "http(s)- eller mailto-adresse"}),
    "csv 50 MB description": Case("csv", None, {"linje 3": "beskrivelsen er længere end 100.000 tegn"}),
    "csv coordinates outside Denmark": Case("csv", _csv(C("G1"), C("B", latitude="59.32", longitude="18.05"), C("G2")),
                                            {"linje 3": "ligger ikke i Danmark"}),
    "csv missing title": Case("csv", _csv(C("G1"), C("B", title=""), C("G2")), {"linje 3": "kolonnen title er tom"}),
    "csv duplicate id in one file": Case("csv", _csv(C("G1"), C("G2"), C("G1", title="Tømrer, senior")),
                                         {"linje 2": "erstattet af linje 4"}),
    "csv one line in Latin-1": Case("csv", _csv(C("G1"), C("B", title="@@@"), C("G2")).replace(b"@@@", LATIN1),
                                    {"linje 3": "er ikke gyldig UTF-8-tekst"}),
    "csv without the required columns": Case("csv", b"id;name\n1;x\n", {}, good=(),
                                             failed="CSV-filen mangler kolonnerne"),
}


@pytest.fixture
def feed_citizen(places, carpenter, municipality):
    from jobunivers.matching.tests.helpers import citizen_seeking

    return citizen_seeking(municipality, [carpenter])


@pytest.mark.parametrize("name", list(CASES))
def test_a_bad_record_never_poisons_the_import_or_the_pages(name, feed_citizen, municipality, tmp_path):
    # given a file with good records and a bad one
    case = CASES[name]
    path = tmp_path / "feed"
    path.write_bytes(case.data())
    # when it is imported (in Danish, as the hourly sync and the command run)
    with translation.override("da"):
        if case.failed:
            with pytest.raises(ValidationFailed):
                import_from_location(source=case.source, location=str(path), embed=False)
        else:
            import_from_location(source=case.source, location=str(path), embed=False)
    # then the good records landed, and only they
    landed = set(JobPosting.objects.values_list("external_id", flat=True))
    assert landed == set(case.good)
    # and the run is recorded with where and why each bad record was skipped
    run = JobImportRun.objects.get()
    assert run.source == case.source
    reasons = {error["position"]: error["reason"] for error in run.errors}
    assert set(reasons) == set(case.skipped)
    for position, fragment in case.skipped.items():
        assert fragment in reasons[position], reasons[position]
    assert case.failed in run.failed
    assert (run.created, bool(run.failed)) == (len(case.good), bool(case.failed))
    # and search, the citizen's feed and the public API answer 200 afterwards
    cache.clear()
    search = Client().get(reverse("jobs:search"), {"q": "tømrer"})
    assert search.status_code == 200
    assert search.content.decode().count('class="jobs-result"') == len(case.good)
    assert client_for(feed_citizen.user).get(murl(municipality, "matching:feed")).status_code == 200
    api = Client().get("/api/v1/jobs/search", {"q": "tømrer"})
    assert (api.status_code, api.json()["total"]) == (200, len(case.good))
    for posting in JobPosting.objects.all():
        assert Client().get(f"/api/v1/jobs/postings/{posting.pk}").status_code == 200
        assert Client().get(reverse("jobs:detail", kwargs={"posting_id": posting.pk})).status_code == 200


def test_the_suite_covers_at_least_25_cases_over_the_three_formats():
    by_format = {source: sum(1 for c in CASES.values() if c.source == source) for source in ("jobtech", "jsonld", "csv")}
    assert sum(by_format.values()) >= 25
    assert min(by_format.values()) >= 8


def test_the_command_reports_skipped_records_in_danish(db, tmp_path, capsys):
    # given a JobTech file whose second ad was published on 9999-12-31
    path = tmp_path / "feed.json"
    path.write_bytes(CASES["jobtech publication 9999-12-31"].data())
    # when the command imports it in Danish
    from django.core.management import call_command

    with translation.override("da"):
        call_command("import_jobs", str(path), source="jobtech", no_embed=True)
    # then it says what was skipped and why, and what was imported
    output = capsys.readouterr()
    assert "sprunget over annonce 2: offentliggjort 9999-12-31 ligger uden for 2000-01-01 til" in output.err
    assert "jobtech: 2 oprettet, 0 ændret, 0 uændret, 0 trukket tilbage, 1 sprunget over" in output.out


@pytest.mark.parametrize(("latitude", "longitude", "in_denmark"), [
    (55.719823, 4.435944, True),  # Henne: the postcode's centre lies in the North Sea
    (55.303404, 15.67679, True),  # Svaneke on Bornholm
    (57.942812, 9.714966, True),  # Hirtshals
    (59.32, 18.05, False),  # Stockholm
    (52.52, 13.40, False),  # Berlin
])
def test_danish_coordinates_include_the_waters_of_danish_postcodes(latitude, longitude, in_denmark):
    from django.utils import timezone

    from jobunivers.jobs.sources.base import FeedRecord, RecordInvalid
    from jobunivers.jobs.validation import clean_record

    record = FeedRecord(position="ad 1", external_id="X", title="Tømrer", employer_name="Byg A/S", country="DK",
                        latitude=latitude, longitude=longitude, published_at=timezone.now())
    if in_denmark:
        assert clean_record(record).latitude == latitude
    else:
        with pytest.raises(RecordInvalid, match="not in Denmark"):
            clean_record(record)
