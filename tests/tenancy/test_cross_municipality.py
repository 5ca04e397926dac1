"""Every endpoint is classified, and staff of municipality A get 404 for municipality B's objects.

Each app declares its URLs in jobunivers/<app>/tests/leak_cases.py:
    OBJECT_URLS: list[LeakCase]       one object of a municipality (404 expected from A)
    LIST_URLS: list[ListLeakCase]     lists of a municipality's objects (B's marker must not show in A)
    EXEMPT: dict[url_name, reason]    no municipal data (static pages, public job search, ...)
A new URL that is in none of them fails test_every_url_is_classified.
"""

from __future__ import annotations

import importlib

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from jobunivers.core.testing import LeakCase, ListLeakCase, client_for, murl

THIRD_PARTY_NAMESPACES = {"admin"}
THIRD_PARTY_NAMES = {"set_language", "openapi-json", "openapi-view", "api-root"}


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            yield from _walk(entry.url_patterns, f"{namespace}:{ns}".strip(":") if ns else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}".strip(":")


def all_url_names() -> set[str]:
    names = set()
    for name in _walk(get_resolver().url_patterns):
        if name.split(":")[0] in THIRD_PARTY_NAMESPACES or name.split(":")[-1] in THIRD_PARTY_NAMES:
            continue
        names.add(name)
    return names


def _load_cases():
    object_cases: list[LeakCase] = []
    list_cases: list[ListLeakCase] = []
    exempt: dict[str, str] = {}
    for app in settings.INSTALLED_APPS:
        if not app.startswith("jobunivers."):
            continue
        try:
            module = importlib.import_module(f"{app}.tests.leak_cases")
        except ModuleNotFoundError as error:
            if error.name != f"{app}.tests.leak_cases":
                raise
            continue
        object_cases += getattr(module, "OBJECT_URLS", [])
        list_cases += getattr(module, "LIST_URLS", [])
        exempt.update(getattr(module, "EXEMPT", {}))
    return object_cases, list_cases, exempt


OBJECT_CASES, LIST_CASES, EXEMPT = _load_cases()


def test_every_url_is_classified():
    # given every named URL in the project
    classified = {c.url_name for c in OBJECT_CASES} | {c.url_name for c in LIST_CASES} | set(EXEMPT)
    # then each is covered by a leak case or exempt with a reason
    missing = sorted(all_url_names() - classified)
    assert missing == [], f"URLs without a cross-municipality case or exemption: {missing}"
    stale = sorted(classified - all_url_names())
    assert stale == [], f"Leak cases for URLs that no longer exist: {stale}"


@pytest.mark.parametrize("case", OBJECT_CASES, ids=lambda c: c.url_name)
def test_members_of_another_municipality_get_404(case, world):
    # given an object of municipality B
    kwargs = case.build(world)
    url = murl(world.home, case.url_name, **kwargs)
    # when every member of A, whatever the role, asks for it under A's prefix
    for role, user in world.users.items():
        response = getattr(client_for(user), case.method)(url, case.data)
        # then it does not exist for them
        assert response.status_code == 404, f"{case.url_name} as {role}: {response.status_code}"


@pytest.mark.parametrize("case", LIST_CASES, ids=lambda c: c.url_name)
def test_lists_never_show_another_municipalitys_data(case, world):
    # given a marker in municipality B's data
    marker, kwargs = case.build(world)
    url = murl(world.home, case.url_name, **kwargs)
    # when members of A open the list
    for role, user in world.users.items():
        response = client_for(user).get(url)
        # then B's marker is not there
        assert marker not in response.content.decode(), f"{case.url_name} as {role} shows B's data"
