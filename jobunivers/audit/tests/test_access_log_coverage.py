"""Every staff-facing view and API endpoint that shows citizen data writes an access-log entry.

A staff-facing URL is one whose view admits staff (municipal_view/national_view with a staff
role, or with no role restriction) or any API endpoint. Each must be declared in its app's
tests/leak_cases.py:

    ACCESS_LOG_CASES = [AccessLogCase(url_name, build, role)]   shows citizen data: called here,
                                                                must write an access-log entry
    NO_CITIZEN_DATA = {url_name: reason}                         shows no citizen's personal data

Views marked with `audit.decorators.citizen_data_view` must have an AccessLogCase.
KNOWN_UNDECLARED lists the staff URLs that were undeclared when this test was written; it may
only shrink (a declared URL still in it fails the test too).
"""

from __future__ import annotations

import importlib

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from jobunivers.audit.decorators import shows_citizen_data
from jobunivers.audit.models import AccessLogEntry
from jobunivers.core.testing import client_for, murl
from jobunivers.tenancy.roles import STAFF_ROLES, Role

STAFF_FACING_ROLES = frozenset(STAFF_ROLES | {Role.MUNICIPALITY_ADMIN})
API_NOT_ENDPOINTS = {"api:openapi-json", "api:openapi-view", "api:api-root"}

# Staff URLs that had no declaration when the access-log coverage test arrived. Only shrinks.
KNOWN_UNDECLARED: frozenset[str] = frozenset({
    "api:occupations",
    "api:posting",
    "api:search",
    "api:skills",
})


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            yield from _walk(entry.url_patterns, f"{namespace}:{ns}".strip(":") if ns else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}".strip(":"), entry.callback


def _allowed_roles(view):
    seen = set()
    while view is not None and id(view) not in seen:
        seen.add(id(view))
        roles = getattr(view, "allowed_roles", None)
        if roles is not None:
            return roles
        view = getattr(view, "__wrapped__", None)
    return None


def staff_facing_urls() -> dict[str, object]:
    found = {}
    for name, view in _walk(get_resolver().url_patterns):
        if name.startswith("admin:") or name in API_NOT_ENDPOINTS:
            continue
        if name.startswith("api:"):
            found[name] = view
            continue
        roles = _allowed_roles(view)
        if roles is not None and (not roles or set(roles) & STAFF_FACING_ROLES):
            found[name] = view
    return found


def _declarations():
    cases, no_data = [], {}
    for app in settings.INSTALLED_APPS:
        if not app.startswith("jobunivers."):
            continue
        try:
            module = importlib.import_module(f"{app}.tests.leak_cases")
        except ModuleNotFoundError as error:
            if error.name != f"{app}.tests.leak_cases":
                raise
            continue
        cases += getattr(module, "ACCESS_LOG_CASES", [])
        no_data.update(getattr(module, "NO_CITIZEN_DATA", {}))
    return cases, no_data


CASES, NO_CITIZEN_DATA = _declarations()


def test_every_staff_url_is_declared():
    # given every staff-facing URL
    urls = staff_facing_urls()
    declared = {c.url_name for c in CASES} | set(NO_CITIZEN_DATA)
    # then each one either logs (a case proves it) or says why it shows no citizen data
    undeclared = sorted(set(urls) - declared - KNOWN_UNDECLARED)
    assert undeclared == [], f"staff URLs that may show citizen data without a declared access log: {undeclared}"
    no_longer = sorted((KNOWN_UNDECLARED & declared) | (KNOWN_UNDECLARED - set(urls)))
    assert no_longer == [], f"remove from KNOWN_UNDECLARED (declared or gone): {no_longer}"


def test_marked_views_have_a_case_and_declared_views_are_not_contradictory():
    urls = staff_facing_urls()
    case_names = {c.url_name for c in CASES}
    marked_without_case = sorted(n for n, v in urls.items() if shows_citizen_data(v) and n not in case_names)
    assert marked_without_case == []
    contradictions = sorted(n for n, v in urls.items() if shows_citizen_data(v) and n in NO_CITIZEN_DATA)
    assert contradictions == []
    stale = sorted((case_names | set(NO_CITIZEN_DATA)) - set(urls))
    assert stale == [], f"declared but not staff-facing URLs (or gone): {stale}"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.url_name)
def test_declared_staff_views_write_an_access_log_entry(case, world):
    # given the case's data in municipality A and the staff member of the case's role there
    kwargs = case.build(world)
    user = world.users[case.role]
    before = AccessLogEntry.all_tenants.filter(actor_user_id=user.pk).count()
    # when they call the URL
    response = getattr(client_for(user), case.method)(murl(world.home, case.url_name, **kwargs), case.data)
    # then it answered and wrote at least one entry for them, in A
    assert response.status_code < 400, f"{case.url_name}: {response.status_code}"
    entries = AccessLogEntry.all_tenants.filter(actor_user_id=user.pk).order_by("sequence")[before:]
    assert entries, f"{case.url_name} wrote no access-log entry"
    assert {e.municipality_id for e in entries} == {world.home.pk}
