import pytest
from django.core.cache import cache
from django.test import Client

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
    ("params", "field"),
    [({"radius": "abc"}, "radius"), ({"radius": 0}, "radius"), ({"where": "0000"}, "where"),
     ({"hours": "always"}, "hours"), ({"deadline_from": "31-12-2026"}, "deadline_from"), ({"sort": "price"}, "sort"),
     ({"page_size": 1000}, "page_size"), ({"page": -1}, "page")],
)
def test_api_bad_parameters_are_400_with_a_clear_message(places, params, field):
    response = Client().get("/api/v1/jobs/search", params)
    assert response.status_code in (400, 422)
    body = response.json()
    assert response.status_code == 400, body
    assert body["detail"]
    assert field in body["errors"]


def test_api_posting_detail_and_404(db):
    posting = JobPostingFactory(status="expired")
    assert Client().get(f"/api/v1/jobs/postings/{posting.pk}").json()["status"] == "expired"
    assert Client().get("/api/v1/jobs/postings/999999").status_code == 404


def test_api_is_rate_limited(db, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": 3}
    cache.clear()
    client = Client()
    statuses = [client.get("/api/v1/jobs/search").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    cache.clear()
