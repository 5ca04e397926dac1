import datetime
import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from jobunivers.core.testing import client_for, murl
from jobunivers.jobs.models import JobPosting
from jobunivers.jobs.tests.factories import JobPostingFactory
from jobunivers.tenancy.roles import Role
from jobunivers.tenancy.services import membership_grant


@pytest.fixture
def employer(db):
    from jobunivers.accounts.tests.factories import UserFactory
    from jobunivers.jobs.services import employer_link

    user = UserFactory()
    membership = membership_grant(user=user, role=Role.EMPLOYER, municipality=None)
    user.memberships.update(organisation="Eksempel Byg ApS")
    employer_link(membership=membership, name="Eksempel Byg ApS", cvr="12345674")
    return user


def test_search_page_lists_matches_with_count_in_danish(places, carpenter):
    # given two carpenter postings, one near Aarhus, one in Copenhagen
    JobPostingFactory(title="Tømrer til renovering")
    JobPostingFactory(title="Tømrer i København", latitude=55.6803, longitude=12.5868)
    # when an anonymous visitor searches within 30 km of 8000
    response = Client().get(reverse("jobs:search"), {"q": "tømrere", "where": "8000", "radius": 30})
    # then one job is found, in Danish
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 job fundet" in html
    assert "Tømrer til renovering" in html and "Tømrer i København" not in html
    assert html.count("<h1") == 1


def test_unknown_place_is_a_clear_error(places):
    response = Client().get(reverse("jobs:search"), {"where": "9999 Ingenby"}, HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 200
    assert "Vi kender ikke stedet" in response.content.decode()


@pytest.mark.parametrize("page", ["99999", "nul"])
def test_a_bad_page_number_is_a_visible_error(places, page):
    # the page number is a hidden field: its error must still reach the user, in Danish
    response = Client().get(reverse("jobs:search"), {"q": "tømrer", "page": page}, HTTP_ACCEPT_LANGUAGE="da")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<p class="alert-text">Sidenummer: ' in html


def test_markers_json_has_no_descriptions(places):
    JobPostingFactory(title="Tømrer", description="HEMMELIG BESKRIVELSE")
    response = Client().get(reverse("jobs:markers"), {"q": "tømrer", "where": "8000 Aarhus C"})
    data = response.json()
    assert response.status_code == 200
    assert data["total"] == 1
    assert data["centre"]["label"] == "8000 Aarhus C"
    assert data["markers"][0]["url"] == reverse("jobs:detail", kwargs={"posting_id": JobPosting.objects.get().pk})
    assert "HEMMELIG" not in response.content.decode()


def test_markers_bad_parameters_are_400(places):
    response = Client().get(reverse("jobs:markers"), {"radius": "-3"})
    assert response.status_code == 400
    assert "radius" in response.json()["errors"]


def test_map_page_configures_tiles_and_links_to_the_list(db, settings):
    settings.JOBS_MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    response = Client().get(reverse("jobs:map"), {"q": "kok"})
    html = response.content.decode()
    assert 'data-tile-url="https://tiles.example/{z}/{x}/{y}.png"' in html
    assert f'{reverse("jobs:search")}?q=kok' in html


def test_detail_embeds_valid_jobposting_jsonld(carpenter):
    # given a posting with an occupation and a deadline
    posting = JobPostingFactory(title="Tømrer </script><script>alert(1)</script>", occupation=carpenter,
                                application_deadline="2030-01-31", employer_cvr="12345678")
    # when its page is shown
    html = Client().get(reverse("jobs:detail", kwargs={"posting_id": posting.pk})).content.decode()
    # then the JSON-LD parses, has schema.org's required JobPosting properties, and cannot break out of the script
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(block)
    assert data["@type"] == "JobPosting"
    assert {"title", "description", "datePosted", "hiringOrganization", "jobLocation"} <= set(data)
    assert data["validThrough"] == "2030-01-31T23:59:59"
    assert data["occupationalCategory"] == carpenter.uri
    assert data["hiringOrganization"]["vatID"] == "DK12345678"
    assert "<script>alert" not in html


def test_detail_of_unknown_posting_is_404(db):
    assert Client().get(reverse("jobs:detail", kwargs={"posting_id": 999999})).status_code == 404


def test_withdrawn_posting_stays_resolvable_with_a_notice(db):
    posting = JobPostingFactory(status="withdrawn")
    response = Client().get(reverse("jobs:detail", kwargs={"posting_id": posting.pk}))
    assert response.status_code == 200
    assert "trukket tilbage" in response.content.decode()


def test_citizen_sees_save_plan_and_applied_buttons_posting_to_the_citizens_app(municipality, member):
    # given a citizen of Aarhus and an active posting
    citizen = member(Role.CITIZEN, municipality)
    posting = JobPostingFactory()
    # when the citizen opens the posting under the municipality's prefix
    html = client_for(citizen).get(murl(municipality, "jobs:detail", posting_id=posting.pk)).content.decode()
    # then the three forms post to the citizens app's URLs
    for name in ("citizens:job_save", "citizens:job_add_to_plan", "citizens:job_applied"):
        assert f'action="{murl(municipality, name, posting_id=posting.pk)}"' in html


def test_anonymous_visitor_gets_no_citizen_buttons(db):
    posting = JobPostingFactory()
    html = Client().get(reverse("jobs:detail", kwargs={"posting_id": posting.pk})).content.decode()
    assert "job_save" not in html and "/gem/" not in html


def test_citizen_search_defaults_to_a_radius_around_home(municipality, member, places):
    # given a citizen living in Randers and postings in Aarhus (35 km) and Randers
    citizen = member(Role.CITIZEN, municipality)
    citizen.citizen.postcode = places["8900"]
    citizen.citizen.save()
    JobPostingFactory(title="Kok i Aarhus")
    JobPostingFactory(title="Kok i Randers", latitude=56.4607, longitude=10.0364)
    # when the citizen searches within 20 km without giving a place
    html = client_for(citizen).get(murl(municipality, "jobs:search"), {"q": "kok", "radius": 20}).content.decode()
    # then only the job near home is found
    assert "Kok i Randers" in html and "Kok i Aarhus" not in html


def test_employer_creates_edits_and_withdraws_own_posting(employer, places, carpenter):
    client = client_for(employer)
    data = {"title": "Tømrer", "occupation": "tømrer", "description": "Nybyggeri i Aarhus.", "postcode": "8000",
            "hours": "full_time", "employment_type": "permanent", "positions": 2, "apply_email": "job@byg.example"}
    # when the employer posts a job
    response = client.post(reverse("jobs:employer_create"), data)
    posting = JobPosting.objects.get()
    assert response.status_code == 302
    assert (posting.owner_organisation, posting.employer_name, posting.occupation, posting.municipality_code) == (
        "Eksempel Byg ApS", "Eksempel Byg ApS", carpenter, "0751")
    # and edits it
    response = client.post(reverse("jobs:employer_edit", kwargs={"posting_id": posting.pk}), {**data, "title": "Tømrere"})
    posting.refresh_from_db()
    assert (response.status_code, posting.title) == (302, "Tømrere")
    # and withdraws it
    client.post(reverse("jobs:employer_withdraw", kwargs={"posting_id": posting.pk}))
    posting.refresh_from_db()
    assert posting.status == "withdrawn"


@pytest.mark.parametrize(("language", "message"), [("da", "Indtast et dansk postnummer med 4 cifre."),
                                                   ("en", "Enter a Danish postcode with 4 digits.")])
def test_employer_validation_in_danish_and_english(employer, places, language, message):
    client = client_for(employer)
    client.cookies["jobunivers_language"] = language
    data = {"title": "Kok", "description": "Køkken.", "postcode": "9999", "hours": "full_time",
            "employment_type": "permanent", "positions": 1, "apply_email": "a@b.example"}
    response = client.post(reverse("jobs:employer_create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert JobPosting.objects.count() == 0


def test_employer_cannot_touch_another_organisations_posting(employer):
    other = JobPostingFactory(owner_organisation="Konkurrent A/S")
    client = client_for(employer)
    assert client.get(reverse("jobs:employer_edit", kwargs={"posting_id": other.pk})).status_code == 404
    assert client.post(reverse("jobs:employer_withdraw", kwargs={"posting_id": other.pk})).status_code == 404
    other.refresh_from_db()
    assert other.status == "active"


def test_employer_pages_refuse_other_roles(municipality, member):
    citizen = member(Role.CITIZEN, municipality)
    assert client_for(citizen).get(reverse("jobs:employer_create")).status_code == 403


def test_privacy_export_and_erase_of_an_employers_postings(employer):
    from jobunivers.audit.privacy import registrations

    posting = JobPostingFactory(owner=employer, owner_organisation="Eksempel Byg ApS", title="Kok")
    registration = next(r for r in registrations() if r.model_label == "jobs.jobposting")
    assert [row["title"] for row in registration.export(employer)] == ["Kok"]
    registration.erase(employer)
    posting.refresh_from_db()
    assert (posting.owner, posting.status) == (None, "active")


def test_search_page_queries_do_not_grow_with_the_results(places, django_assert_max_num_queries):
    for n in range(5):
        JobPostingFactory(title=f"Tømrer {n}", application_deadline=datetime.date(2028, 1, 1))
    client = Client()
    params = {"q": "tømrer", "where": "8000", "radius": 30}
    assert client.get(reverse("jobs:search"), params).content.decode().count('class="jobs-result"') == 5
    # warm: the catalogue version, the word's look-up (kept) and the page's postings; no query per result
    with django_assert_max_num_queries(3):
        html = client.get(reverse("jobs:search"), params, HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert html.count('class="jobs-result"') == 5
    assert html.count("Frist 1. januar 2028") == 5


@pytest.mark.parametrize(("page", "previous", "following"), [(1, None, 2), (2, 1, 3), (3, 2, None)])
def test_the_pager_links_keep_the_search_and_show_only_pages_that_exist(db, page, previous, following):
    # given 45 cooks: three pages of 20
    JobPostingFactory.create_batch(45, title="Kok", description="Restaurant.")
    html = Client().get(reverse("jobs:search"), {"q": "kok", "sort": "date", "page": page},
                        HTTP_ACCEPT_LANGUAGE="da").content.decode()
    links = {rel: href for href, rel in re.findall(r'href="\?([^"]*)" rel="(prev|next)"', html)}
    assert links == {rel: f"q=kok&amp;sort=date&amp;page={n}" for rel, n in (("prev", previous), ("next", following))
                     if n is not None}
    assert f"Side {page} af 3" in html


@pytest.mark.parametrize(("language", "heading"), [("da", "12.345 job fundet"), ("en", "12,345 jobs found")])
def test_the_result_count_is_grouped_in_thousands_as_the_language_writes_numbers(db, monkeypatch, language, heading):
    from jobunivers.jobs import views
    from jobunivers.jobs.search import JobResults

    # given a search that finds 12,345 postings (the search itself stood in for: only the heading is drawn here)
    monkeypatch.setattr(views, "search_postings",
                        lambda query, fields=None: JobResults(query=query, total=12_345, page=1, pages=618))
    # when the page is shown in Danish and in English
    response = Client(headers={"accept-language": language}).get(reverse("jobs:search"), {"q": "tømrer"})
    # then the count is written with the language's thousands separator
    html = response.content.decode()
    assert re.search(r"<h2[^>]*>\s*" + re.escape(heading), html), html[html.find("<h2"):][:200]


def test_the_counts_of_nearby_searches_are_grouped_in_thousands_too(db, monkeypatch):
    from jobunivers.jobs import views
    from jobunivers.jobs.search import JobResults, Widening

    # given a search that finds nothing, and a nearby search that finds 50,000 postings
    monkeypatch.setattr(views, "search_postings",
                        lambda query, fields=None: JobResults(query=query, total=0, page=1, pages=1))
    monkeypatch.setattr(views, "widenings", lambda query, catalogue=None: [
        Widening("words", "Alle job uden søgeordene", {"q": ""}, 50_000)])
    # when the page is shown in Danish
    html = Client().get(reverse("jobs:search"), {"q": "tømrer"}).content.decode()
    # then the nearby search's count has the Danish thousands separator
    assert "Alle job uden søgeordene</a> (50.000 job)" in html
