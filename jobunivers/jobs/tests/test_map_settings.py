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


def test_citizens_markers_without_a_query_are_within_their_radius_of_home(municipality):
    # given a citizen in 8000 Aarhus C who searches within 20 km, and jobs in Aarhus and Randers (35 km)
    from jobunivers.core.testing import client_for, murl
    from jobunivers.matching.tests.helpers import citizen_seeking, occupation, posting

    carpenter = occupation("tømrer", "7115")
    citizen = citizen_seeking(municipality, [carpenter], radius_km=20)
    near = posting("Tømrer i Aarhus", carpenter)
    posting("Tømrer i Randers", carpenter, lat=56.4607, lon=10.0364)
    # when the map asks for its markers without a query
    data = client_for(citizen.user).get(murl(municipality, "jobs:markers")).json()
    # then only the Aarhus job is on the map, around her home, within her radius
    assert [m["id"] for m in data["markers"]] == [near.pk]
    assert (data["centre"]["label"], data["radius_km"]) == ("8000 Aarhus C", 20.0)
