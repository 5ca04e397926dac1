"""One setting makes both the map's tile URL and the content security policy's image source."""

from django.test import Client
from django.urls import reverse

from config.settings.base import CONTENT_SECURITY_POLICY, JOBS_MAP_TILE_URL, tile_origin


def test_policy_allows_exactly_the_default_tile_host():
    assert JOBS_MAP_TILE_URL == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] == ["'self'", "data:", "https://tile.openstreetmap.org"]


def test_tile_origin_of_other_templates():
    assert tile_origin("https://{s}.tiles.example/{z}/{x}/{y}.png") == ["https://*.tiles.example"]
    assert tile_origin("https://kort.example:8443/wmts/{z}/{x}/{y}.png?token=abc") == ["https://kort.example:8443"]
    assert tile_origin("/static/tiles/{z}/{x}/{y}.png") == []


def test_markers_without_a_query_answer_200(db):
    # given nobody signed in and no query (the map page's first call)
    response = Client().get(reverse("jobs:markers"))
    # then the markers call answers, nationally, instead of 400
    assert response.status_code == 200
    assert response.json() == {"total": 0, "centre": None, "radius_km": None, "markers": []}
