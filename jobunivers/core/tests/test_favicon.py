"""A tab icon per municipality theme: its header colour and initial; nationally the platform's."""

from django.test import Client

from jobunivers.core.testing import murl
from jobunivers.tenancy.models import Theme


def test_municipality_favicon_has_its_theme_colour_and_initial(municipality):
    # given Aarhus with a dark green theme
    Theme.objects.update_or_create(municipality=municipality,
                                   defaults={"display_name": "Jobcenter Aarhus", "primary_colour": "#2b5525"})
    # when the icon is asked for under its prefix
    response = Client().get(murl(municipality, "core:favicon"))
    # then it is an SVG in that colour with an A
    svg = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert 'fill="#2b5525"' in svg
    assert ">A</text>" in svg


def test_national_favicon_and_every_page_links_it(municipality):
    svg = Client().get("/ikon.svg").content.decode()
    assert 'fill="#004993"' in svg and ">J</text>" in svg
    page = Client().get(murl(municipality, "core:accessibility")).content.decode()
    assert f'<link rel="icon" href="/{municipality.slug}/ikon.svg" type="image/svg+xml">' in page
