"""Reads never write (issue 12): a municipality's theme and settings are made when it is created;
`settings_for` and `theme_for` only read, and give the defaults when a row is missing."""

import pytest

from jobunivers.tenancy.models import Municipality, MunicipalitySettings, Theme
from jobunivers.tenancy.selectors import settings_for, theme_for
from jobunivers.tenancy.services import settings_update

pytestmark = pytest.mark.django_db


def test_a_new_municipality_gets_its_theme_and_settings():
    municipality = Municipality.objects.create(code="999", name="Prøve", slug="proeve")
    assert Theme.objects.get(municipality=municipality).display_name == "Jobcenter Prøve"
    assert MunicipalitySettings.objects.get(municipality=municipality).consultant_capacity == 60


def test_settings_for_and_theme_for_read_without_writing(municipality, django_assert_num_queries):
    MunicipalitySettings.objects.filter(municipality=municipality).delete()
    Theme.objects.filter(municipality=municipality).delete()
    with django_assert_num_queries(2):
        settings = settings_for(municipality.pk)
        theme = theme_for(municipality)
    assert settings.pk is None and settings.consultant_capacity == 60 and settings.municipality_id == municipality.pk
    assert theme.pk is None and theme.display_name == f"Jobcenter {municipality.name}"
    assert not MunicipalitySettings.objects.filter(municipality=municipality).exists()
    assert not Theme.objects.filter(municipality=municipality).exists()


def test_saving_the_default_settings_creates_the_row(municipality, member):
    MunicipalitySettings.objects.filter(municipality=municipality).delete()
    admin = member("municipality_admin", municipality)
    settings_update(actor=admin, settings=settings_for(municipality), data={"consultant_capacity": 40})
    assert MunicipalitySettings.objects.get(municipality=municipality).consultant_capacity == 40


def test_settings_for_returns_the_stored_row(municipality):
    MunicipalitySettings.objects.filter(municipality=municipality).update(consultant_capacity=33)
    assert settings_for(municipality).consultant_capacity == 33
