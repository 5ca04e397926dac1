"""The menu is kept per role, modules, language and municipality: each of them changes what it shows."""

from django.urls import get_script_prefix, set_script_prefix
from django.utils import translation

from jobunivers.core.navigation import items_for


def _menu(role, *, language="da", prefix="/", modules=None):
    previous = get_script_prefix()
    set_script_prefix(prefix)
    try:
        with translation.override(language):
            return [(item["label"], item["url"]) for item in items_for(role, modules)]
    finally:
        set_script_prefix(previous)


def test_the_menu_follows_language_municipality_and_role():
    # given the citizen's menu in Danish for one municipality
    danish = _menu("citizen", prefix="/aarhus/")
    # when it is read again in English, for another municipality, and for another role
    english = _menu("citizen", language="en", prefix="/aarhus/")
    other_place = _menu("citizen", prefix="/odense/")
    staff = _menu("caseworker", prefix="/aarhus/")
    # then each shows its own labels and links, and reading twice gives the same
    assert danish[0] == ("Min side", "/aarhus/min-side/")
    assert english[0] == ("My page", "/aarhus/min-side/")
    assert other_place[0] == ("Min side", "/odense/min-side/")
    assert all(url.startswith("/odense/") for _label, url in other_place)
    assert ("Min side", "/aarhus/min-side/") not in staff
    assert _menu("citizen", prefix="/aarhus/") == danish
    assert items_for(None) == []
