import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from jobunivers.core.errors import ValidationFailed
from jobunivers.jobs.contracts import PostingChanged, PostingCreated, PostingsPublished, PostingWithdrawn
from jobunivers.jobs.models import JobImportRun, JobPosting, PostingSkill
from jobunivers.jobs.services import import_from_location
from jobunivers.taxonomy.tests.factories import SkillFactory

SAMPLE = Path(settings.REFERENCE_DATA_DIR) / "jobads" / "jobtech_search_results_sample.json"
TEMPLATE = Path(__file__).resolve().parents[1] / "sources" / "contrib" / "csv" / "template.csv"


@pytest.fixture
def events(monkeypatch):
    published = []
    monkeypatch.setattr("jobunivers.jobs.services.publish_on_commit", published.append)
    return published


def _ad(ad_id, **changes):
    ad = json.loads(SAMPLE.read_text())["hits"]["hits"][0]["_source"]
    ad = {**ad, "id": ad_id, **changes}
    return ad


def test_jobtech_search_results_are_imported_with_all_fields(db, tmp_path, events):
    # given the JobTech sample (an Elasticsearch search result with 2 ads) and a matching ESCO skill
    SkillFactory(uri="http://data.europa.eu/esco/skill/java", preferred_label="Java")
    # when it is imported
    report = import_from_location(source="jobtech", location=str(SAMPLE), embed=False)
    # then both ads are postings with their fields
    assert (report.created, report.updated, report.errors) == (2, 0, [])
    posting = JobPosting.objects.get(source="jobtech", external_id="23174210")
    assert posting.title == "Java-utvecklare"
    assert posting.employer_name == "Not4real dream business AB"
    assert posting.hours == "full_time"
    assert posting.employment_type == "permanent"
    assert (round(posting.latitude, 4), round(posting.longitude, 4)) == (59.3199, 18.059)
    assert posting.postcode == "13141"
    assert posting.municipality_code == ""  # a Swedish municipality code is not a Danish one
    assert str(posting.application_deadline) == "2019-05-12"
    assert posting.apply_email == "john.doe@not4realaddress.com"
    assert [(s.skill.preferred_label, s.importance, s.weight) for s in PostingSkill.objects.filter(posting=posting)] == [
        ("Java", "must", 10.0)]
    assert sorted(type(e).__name__ for e in events) == ["PostingCreated", "PostingCreated", "PostingsPublished"]
    assert sorted(events[-1].created_ids) == sorted(JobPosting.objects.values_list("pk", flat=True))
    assert JobImportRun.objects.get().created == 2


def test_reimport_is_an_upsert_and_a_removed_stream_ad_withdraws(db, tmp_path, events):
    # given an imported stream batch
    first = tmp_path / "batch1.json"
    first.write_text(json.dumps([_ad("A1"), _ad("A2")]))
    import_from_location(source="jobtech", location=str(first), embed=False)
    events.clear()
    # when a later batch changes A1 and removes A2
    second = tmp_path / "batch2.json"
    second.write_text(json.dumps([_ad("A1", headline="Java-utvecklare, senior"), {"id": "A2", "removed": True}]))
    report = import_from_location(source="jobtech", location=str(second), embed=False)
    # then nothing is duplicated, A1 changed and A2 left the active set but still exists
    assert (report.created, report.updated, report.withdrawn) == (0, 1, 1)
    assert JobPosting.objects.count() == 2
    assert JobPosting.objects.get(external_id="A1").title == "Java-utvecklare, senior"
    assert JobPosting.objects.get(external_id="A2").status == "withdrawn"
    assert {type(e) for e in events[:2]} == {PostingChanged, PostingWithdrawn}
    assert events[2:] == [PostingsPublished(source="jobtech", changed_ids=(JobPosting.objects.get(external_id="A1").pk,))]


def test_a_bad_record_is_reported_with_position_and_the_good_ones_are_imported(db, tmp_path):
    # given a batch whose second ad has no headline
    path = tmp_path / "batch.json"
    path.write_text(json.dumps([_ad("G1"), _ad("B2", headline=""), _ad("G3")]))
    # when it is imported
    report = import_from_location(source="jobtech", location=str(path), embed=False)
    # then the bad ad is skipped with its position and reason
    assert report.errors == [("ad 2", "the ad has no headline")]
    assert sorted(JobPosting.objects.values_list("external_id", flat=True)) == ["G1", "G3"]


def test_a_broken_file_changes_nothing(db, tmp_path):
    # given existing postings and a truncated JSON file
    import_from_location(source="jobtech", location=str(SAMPLE), embed=False)
    before = list(JobPosting.objects.values_list("external_id", "title", "status"))
    path = tmp_path / "broken.json"
    path.write_text(SAMPLE.read_text()[:500])
    # when it is imported
    with pytest.raises(ValidationFailed):
        import_from_location(source="jobtech", location=str(path), embed=False)
    # then nothing changed and the failed run is recorded
    assert list(JobPosting.objects.values_list("external_id", "title", "status")) == before
    assert JobImportRun.objects.filter(failed__startswith="The file is not valid JSON").count() == 1


def test_unknown_source_and_missing_file_are_clear_errors(db):
    with pytest.raises(ValidationFailed, match="Unknown source nope"):
        import_from_location(source="nope", location=str(SAMPLE))
    with pytest.raises(ValidationFailed, match="File not found"):
        import_from_location(source="jobtech", location="/nonexistent/feed.json")
    assert JobPosting.objects.count() == 0


JSONLD = {
    "@context": "https://schema.org/", "@type": "JobPosting", "title": "Tømrer til nybyggeri",
    "description": "<p>Vi søger en <b>tømrer</b>.</p>", "identifier": {"@type": "PropertyValue", "name": "x", "value": "JL-1"},
    "datePosted": "2026-11-01", "validThrough": "2026-12-01T23:59", "employmentType": ["FULL_TIME", "TEMPORARY"],
    "hiringOrganization": {"@type": "Organization", "name": "Byg A/S", "vatID": "DK12345674"},
    "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress", "streetAddress": "Søndergade 1",
                                                  "postalCode": "8000", "addressLocality": "Aarhus C", "addressCountry": "DK"}},
    "occupationalCategory": "http://data.europa.eu/esco/occupation/2a22ff9e-de3b-408d-b312-5034896cc4f4",
    "baseSalary": {"@type": "MonetaryAmount", "currency": "DKK", "value": {"@type": "QuantitativeValue", "value": 200, "unitText": "HOUR"}},
}


def test_jsonld_object_fills_place_from_the_postcode_and_occupation_from_the_uri(db, tmp_path, places, carpenter):
    # given one JobPosting object
    path = tmp_path / "job.jsonld"
    path.write_text(json.dumps(JSONLD))
    # when it is imported
    report = import_from_location(source="jsonld", location=str(path), embed=False)
    # then the posting has the postcode's point, the municipality and the ESCO occupation
    assert report.created == 1
    posting = JobPosting.objects.get(external_id="JL-1")
    assert (posting.latitude, posting.longitude, posting.municipality_code) == (56.1528, 10.2036, "0751")
    assert posting.occupation == carpenter
    assert posting.isco_code == "7115"
    assert posting.description == "Vi søger en tømrer."
    assert (posting.hours, posting.employment_type) == ("full_time", "temporary")
    assert posting.employer_cvr == "12345674"
    assert posting.salary_text == "200 DKK HOUR"


def test_jsonld_list_and_html_page_with_bad_items(db, tmp_path, places):
    # given an HTML page with a list of three items, the second not a JobPosting, the third without a title
    items = [JSONLD, {"@type": "Event", "name": "x"}, {**JSONLD, "identifier": "JL-3", "title": ""}]
    path = tmp_path / "page.html"
    path.write_text(f'<html><script type="application/ld+json">{json.dumps(items)}</script></html>')
    # when it is imported
    report = import_from_location(source="jsonld", location=str(path), embed=False)
    # then the good item is imported and the bad ones are reported by position
    assert report.created == 1
    assert report.errors == [("item 2", "@type is not JobPosting"), ("item 3", "no title")]


def test_jsonld_from_a_url_served_by_a_local_server(db, places):
    # given a local HTTP server with a JSON-LD list (never the internet in tests)
    body = json.dumps([JSONLD, {**JSONLD, "identifier": "JL-2"}]).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        # when the feed URL is imported
        report = import_from_location(source="jsonld", location=f"http://127.0.0.1:{server.server_port}/jobs.jsonld", embed=False)
    finally:
        server.shutdown()
    # then both postings exist
    assert report.created == 2
    assert sorted(JobPosting.objects.values_list("external_id", flat=True)) == ["JL-1", "JL-2"]


def test_unreachable_url_is_a_clear_error_and_changes_nothing(db):
    with pytest.raises(ValidationFailed, match="could not be fetched"):
        import_from_location(source="jsonld", location="http://127.0.0.1:9/feed.json")
    assert JobPosting.objects.count() == 0


def test_csv_template_imports(db, places, carpenter):
    # when the documented template is imported
    report = import_from_location(source="csv", location=str(TEMPLATE), embed=False)
    # then its example posting exists with its fields
    assert (report.created, report.errors) == (1, [])
    posting = JobPosting.objects.get(source="csv", external_id="ABC-1")
    assert (posting.title, posting.occupation, posting.postcode, posting.municipality_code) == (
        "Tømrer til renovering", carpenter, "8000", "0751")


def test_csv_with_semicolons_and_bad_lines(db, tmp_path, places):
    # given a Danish spreadsheet export with semicolons: one good line, three bad ones
    path = tmp_path / "jobs.csv"
    path.write_text(
        "external_id;title;employer_name;published;postcode;hours;positions\n"
        "1;Kok;Café Å;2026-11-01;8000;deltid;1\n"
        "2;Tjener;Café Å;2026-11-01;8000;halvtid;1\n"
        "3;;Café Å;2026-11-01;8000;;1\n"
        "4;Opvasker;Café Å;2026-11-01;800;;0\n", encoding="utf-8")
    # when it is imported
    report = import_from_location(source="csv", location=str(path), embed=False)
    # then the good line is imported and each bad one is reported by line number
    assert report.created == 1
    assert report.errors == [("line 3", "hours must be full_time or part_time, not 'halvtid'"),
                             ("line 4", "the column title is empty"), ("line 5", "positions must be a whole number of at least 1")]
    assert JobPosting.objects.get().hours == "part_time"


def test_csv_without_required_columns_is_refused(db, tmp_path):
    path = tmp_path / "jobs.csv"
    path.write_text("id,name\n1,x\n")
    with pytest.raises(ValidationFailed, match="lacks the columns: external_id, title, employer_name, published"):
        import_from_location(source="csv", location=str(path))
    assert JobPosting.objects.count() == 0


def test_import_jobs_command(db, capsys):
    # when the command imports the sample
    call_command("import_jobs", str(SAMPLE), source="jobtech", no_embed=True)
    # then it reports the counts
    assert "jobtech: 2 created, 0 updated, 0 unchanged, 0 withdrawn, 0 skipped" in capsys.readouterr().out
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_jobs", "/nonexistent.json", source="jobtech")


def test_events_are_published_only_after_commit(db, django_capture_on_commit_callbacks):
    # given a subscriber
    from jobunivers.core import events

    seen = []
    events.subscribe(PostingCreated, seen.append)
    try:
        # when the sample is imported and the transaction commits
        with django_capture_on_commit_callbacks(execute=True):
            import_from_location(source="jobtech", location=str(SAMPLE), embed=False)
    finally:
        events._handlers[PostingCreated].remove(seen.append)
    # then the subscriber got one typed event per posting
    assert sorted(e.posting_id for e in seen) == sorted(JobPosting.objects.values_list("pk", flat=True))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a GIN index's pending list is PostgreSQL's")
def test_an_import_merges_the_search_index_pending_list_after_commit(db, tmp_path, django_capture_on_commit_callbacks):
    from jobunivers.jobs.services import SEARCH_INDEX
    from jobunivers.jobs.tests.factories import JobPostingFactory

    def merged_pages() -> int:  # gin_clean_pending_list: the pending pages it merged now
        with connection.cursor() as cursor:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [SEARCH_INDEX])
            return cursor.fetchone()[0]

    # given postings written outside an import: their index entries wait in the pending list
    JobPostingFactory.create_batch(5)
    assert merged_pages() > 0
    # when a file is imported (the flush runs after the commit)
    path = tmp_path / "batch.json"
    path.write_text(json.dumps([_ad("P1"), _ad("P2")]))
    with django_capture_on_commit_callbacks(execute=True):
        report = import_from_location(source="jobtech", location=str(path), embed=False)
    # then nothing is left pending for searches to read
    assert report.created == 2
    assert merged_pages() == 0
