"""Security baseline: headers, cookies, CSRF, no stack traces, production refusals."""

import pytest
from django.test import Client

from jobunivers.core.testing import client_for, murl
from jobunivers.tenancy.roles import Role


def test_pages_carry_a_content_security_policy_and_safe_headers(municipality, settings):
    # given the base policy enforced (tests run it report-only for axe-core)
    settings.CONTENT_SECURITY_POLICY = settings.CONTENT_SECURITY_POLICY_REPORT_ONLY
    response = Client().get(f"/{municipality.slug}/log-ind/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_session_and_csrf_cookies_are_http_only(member, municipality):
    # given a staff member who passes the password step (the session is created then)
    adviser = member(Role.JOB_ADVISER, municipality, is_demo=False)
    client = Client()
    client.get("/log-ind/medarbejder/")
    response = client.post("/log-ind/medarbejder/", {"username": adviser.username,
                                                     "password": "correct-horse-battery-staple"})
    # then the session cookie is HttpOnly and SameSite, and the CSRF cookie HttpOnly too
    assert response.cookies["sessionid"]["httponly"] is True
    assert response.cookies["sessionid"]["samesite"] == "Lax"
    assert client.cookies["csrftoken"]["httponly"] is True


def test_forms_refuse_posts_without_a_csrf_token(member, municipality):
    citizen = member(Role.CITIZEN, municipality)
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    response = client.post(murl(municipality, "audit:my_consents"), {"personalisation": "on"})
    assert response.status_code == 403
    from jobunivers.audit.selectors import consent_given
    assert consent_given(user_id=citizen.pk, purpose="personalisation") is False


def test_errors_show_no_stack_trace(member, municipality, monkeypatch):
    # given a view that fails
    citizen = member(Role.CITIZEN, municipality)

    def boom(*args, **kwargs):
        raise RuntimeError("secret internals 0101901234")

    monkeypatch.setattr("jobunivers.audit.views.personal_data_export", boom)
    client = client_for(citizen)
    client.raise_request_exception = False
    response = client.get(murl(municipality, "audit:my_data"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "Traceback" not in body and "secret internals" not in body and "0101901234" not in body


def test_production_settings_are_hardened():
    import importlib
    import os
    import sys

    os.environ["SECRET_KEY"] = "x" * 50
    sys.modules.pop("config.settings.production", None)
    production = importlib.import_module("config.settings.production")
    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
    assert production.SECURE_HSTS_SECONDS >= 31536000 and production.SECURE_HSTS_INCLUDE_SUBDOMAINS
    assert production.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"] == ["'self'"]
    assert production.STAFF_REQUIRE_SECOND_FACTOR is True


@pytest.mark.parametrize("path", ["/api/v1/jobs/search", "/api/v1/taxonomy/occupations"])
def test_public_api_is_rate_limited(path, settings, db):
    from django.core.cache import cache
    cache.clear()
    settings.RATE_LIMITS = {"login": 10, "api": 2}
    client = Client()
    statuses = [client.get(path).status_code for _ in range(3)]
    assert statuses[2] == 429 and all(s != 429 for s in statuses[:2])
