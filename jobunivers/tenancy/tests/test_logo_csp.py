"""A municipality's https logo from another host loads under the CSP: its origin is added to img-src
on that municipality's pages only (issue 12)."""

import pytest

from jobunivers.tenancy.middleware import logo_origin
from jobunivers.tenancy.models import Theme

pytestmark = pytest.mark.django_db


def _img_src(response) -> list[str]:
    policy = response["Content-Security-Policy"]
    return next(part.split()[1:] for part in policy.split(";") if part.strip().startswith("img-src"))


def test_the_logo_host_is_allowed_on_its_municipalitys_pages_only(client, municipality, other_municipality, settings):
    settings.CONTENT_SECURITY_POLICY = settings.CONTENT_SECURITY_POLICY_REPORT_ONLY  # enforced, as in production
    Theme.objects.filter(municipality=municipality).update(logo_url="https://cdn.aarhus.example/logo.svg")
    here = client.get(f"/{municipality.slug}/")
    there = client.get(f"/{other_municipality.slug}/")
    assert here.status_code == 200 and there.status_code == 200
    assert "https://cdn.aarhus.example" in _img_src(here)
    assert "'self'" in _img_src(here)
    assert "https://cdn.aarhus.example" not in _img_src(there)


@pytest.mark.parametrize(("url", "origin"), [
    ("https://cdn.aarhus.example/logo.svg", "https://cdn.aarhus.example"),
    ("https://cdn.aarhus.example:8443/a.png", "https://cdn.aarhus.example:8443"),
    ("http://cdn.aarhus.example/logo.svg", None),
    ("https://x.example;script-src/a.png", None),
    ("", None),
    ("/static/logo.svg", None),
])
def test_logo_origin(url, origin):
    assert logo_origin(url) == origin
