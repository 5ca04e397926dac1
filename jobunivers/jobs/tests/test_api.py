import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from jobunivers.jobs.tests.factories import JobPostingFactory


def test_api_search_with_radius_and_filter(places):
    JobPostingFactory(title="Tømrer til renovering", hours="full_time")
    JobPostingFactory(title="Tømrer i København", latitude=55.6803, longitude=12.5868)
    response = Client().get("/api/v1/jobs/search", {"q": "tømrere", "where": "8000", "radius": 30, "hours": "full_time"})
    data = response.json()
    assert response.status_code == 200
    assert (data["total"], data["page"], data["pages"]) == (1, 1, 1)
    assert data["results"][0]["title"] == "Tømrer til renovering"
    assert data["results"][0]["distance_km"] == 0.0
    assert "description" not in data["results"][0]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [({"radius": "abc"}, "radius", "Angiv et helt tal."), ({"radius": 0}, "radius", "Angiv en værdi på mindst 1."),
     ({"hours": "always"}, "hours", "Vælg en af: '', 'full_time', 'part_time'."),
     ({"deadline_from": "31-12-2026"}, "deadline_from", "Angiv en dato som ÅÅÅÅ-MM-DD."),
     ({"posted_since": "0"}, "posted_since", "Angiv en dato som ÅÅÅÅ-MM-DD."),
     ({"sort": "price"}, "sort", "Vælg en af: '', 'relevance', 'distance', 'date'."),
     ({"page_size": 1000}, "page_size", "Angiv en værdi på højst 100."), ({"page": -1}, "page", "Angiv en værdi på mindst 1."),
     ({"q": "x" * 201}, "q", "Brug højst 200 tegn.")],
)
def test_api_parameters_that_break_the_schema_are_422_in_danish(places, params, field, message):
    response = Client().get("/api/v1/jobs/search", params)
    body = response.json()
    assert response.status_code == 422, body
    assert body == {"detail": f"{field}: {message}", "errors": {field: [message]}}


def test_api_a_place_the_data_does_not_know_is_400(places):
    response = Client().get("/api/v1/jobs/search", {"where": "0000"})
    body = response.json()
    assert response.status_code == 400, body
    assert body["detail"] and list(body["errors"]) == ["where"]


def test_api_a_parameter_given_twice_is_422(db):
    response = Client().get("/api/v1/jobs/search?page_size=5&page_size=abc")
    assert response.status_code == 422
    assert response.json() == {"detail": "page_size: Angiv hver parameter én gang.",
                               "errors": {"page_size": ["Angiv hver parameter én gang."]}}


def test_api_far_dates_are_clamped_not_a_server_error(places):
    JobPostingFactory(title="Tømrer til renovering")
    response = Client().get("/api/v1/jobs/search", {"posted_since": "0001-01-01", "deadline_from": "9999-12-31"})
    assert response.status_code == 200
    assert response.json()["total"] == 0


def test_api_posting_ids_beyond_bigint_are_422_not_500(db):
    assert Client().get(f"/api/v1/jobs/postings/{2**63}").status_code == 422
    assert Client().get(f"/api/v1/jobs/postings/{2**63 - 1}").status_code == 404


def test_api_posting_detail_and_404(db):
    posting = JobPostingFactory(status="expired")
    assert Client().get(f"/api/v1/jobs/postings/{posting.pk}").json()["status"] == "expired"
    assert Client().get("/api/v1/jobs/postings/999999").status_code == 404


def test_api_is_rate_limited(db, settings):
    import time

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": 3}
    cache.clear()
    client = Client()
    if time.time() % 60 > 40:  # the limiter counts per clock minute: start the four requests early in one
        time.sleep(61 - time.time() % 60)
    statuses = [client.get("/api/v1/jobs/search").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    cache.clear()


@pytest.mark.parametrize("accept_language", ["da", "en"])
def test_api_occupation_label_is_danish_with_the_english_one_beside_it(db, accept_language):
    from jobunivers.taxonomy.tests.factories import OccupationFactory

    nurse = OccupationFactory(preferred_label="specialist nurse", preferred_label_da="sygeplejerske")
    only_english = OccupationFactory(preferred_label="membership manager")
    JobPostingFactory(title="Sygeplejerske til akutmodtagelsen", occupation=nurse, isco_code="2221")
    JobPostingFactory(title="Medlemschef", occupation=only_english, isco_code="1431")
    JobPostingFactory(title="Uden fag", occupation=None)
    with translation.override("da"):  # the request activates its language; later tests expect Danish
        response = Client().get("/api/v1/jobs/search", {"sort": "date"}, HTTP_ACCEPT_LANGUAGE=accept_language)
    labels = {r["title"]: (r["occupation_label"], r["occupation_label_lang"], r["occupation_label_en"])
              for r in response.json()["results"]}
    assert labels == {"Sygeplejerske til akutmodtagelsen": ("sygeplejerske", "da", "specialist nurse"),
                      "Medlemschef": ("membership manager", "en", "membership manager"),
                      "Uden fag": (None, None, None)}
    posting_id = JobPostingFactory(title="Sygeplejerske, nat", occupation=nurse).pk
    detail = Client().get(f"/api/v1/jobs/postings/{posting_id}").json()
    assert (detail["occupation_label"], detail["occupation_label_lang"], detail["occupation_label_en"]) == (
        "sygeplejerske", "da", "specialist nurse")
