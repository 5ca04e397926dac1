"""Small holes closed (issue 12 item 7): redirects, logs, error reports, caching, body size, admin input."""

from __future__ import annotations

import logging
import sys
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.utils.module_loading import import_string

from jobunivers.core.errors import ValidationFailed
from jobunivers.core.logging import (
    NoTracebackForClientErrors,
    RedactingGunicornLogger,
    StripQueryStringFilter,
)
from jobunivers.core.redirects import is_local_path, is_safe_redirect
from jobunivers.core.testing import client_for, murl
from jobunivers.tenancy.models import MunicipalitySettings, Theme
from jobunivers.tenancy.roles import Role

CPR = "010190-1234"


# --- One safe-redirect check -----------------------------------------------------------------------


@pytest.mark.parametrize(("url", "local"), [
    ("/aarhus/job-til-dig/", True),
    ("/aarhus/job/?side=2", True),
    ("//evil.example/", False),
    ("/\\evil.example", False),
    ("\\\\evil.example", False),
    ("https://evil.example/", False),
    ("javascript:alert(1)", False),
    ("", False),
    ("/" + "a" * 600, False),
])
def test_stored_links_must_be_paths_on_this_site(url, local):
    assert is_local_path(url) is local


@pytest.mark.parametrize(("url", "safe"), [
    ("/aarhus/hjem/", True),
    ("http://testserver/aarhus/hjem/", True),
    ("/\\evil.example", False),
    ("//evil.example", False),
    ("http://evil.example/", False),
])
def test_redirect_targets_must_stay_on_this_host(url, safe):
    request = RequestFactory().get("/")
    assert is_safe_redirect(request, url) is safe


def test_a_push_with_a_backslash_link_is_refused():
    from jobunivers.caseworker.models import PushKind
    from jobunivers.caseworker.services import PushContent, validate_content

    with pytest.raises(ValidationFailed) as refusal:
        validate_content(PushContent(kind=PushKind.CONTENT, title="Jobmesse", link="/\\evil.example"))
    assert list(refusal.value.messages) == ["link"]


def test_a_notice_with_a_backslash_link_is_refused():
    from jobunivers.notifications.services import _validate

    with pytest.raises(ValidationFailed) as refusal:
        _validate(kind="general", subject_key="x", title="Besked", link="/\\evil.example", channels=None)
    assert list(refusal.value.messages) == ["link"]


# --- No query strings or CPR numbers in the web server's log ----------------------------------------


def test_gunicorn_access_log_has_no_query_string_cookie_or_cpr():
    # given gunicorn's logger with our class and a staff search request carrying a CPR number
    from gunicorn.config import Config

    logger = RedactingGunicornLogger(Config())
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"/aarhus/medarbejder/mine-borgere/?q={CPR}",
               "PATH_INFO": "/aarhus/medarbejder/mine-borgere/", "QUERY_STRING": f"q={CPR}",
               "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "192.0.2.1",
               "HTTP_REFERER": f"https://jobunivers.example/aarhus/medarbejder/borgere/?q={CPR}"}
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"]), ("COOKIE", "sessionid=secret")])
    response = SimpleNamespace(status="200 OK", sent=1234, headers=[])
    # when the access-log atoms are computed and formatted with gunicorn's default format
    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=5))
    line = logger.cfg.access_log_format % atoms
    # then the line names the page but neither the query nor the CPR number nor the cookie
    assert '"GET /aarhus/medarbejder/mine-borgere/?[query] HTTP/1.1" 200 1234' in line
    assert '"https://jobunivers.example/aarhus/medarbejder/borgere/?[query]"' in line
    assert CPR not in str(atoms) and "0101901234" not in str(atoms) and "secret" not in str(atoms)


def test_procfile_runs_gunicorn_with_the_redacting_config():
    from pathlib import Path

    from django.conf import settings

    web = next(line for line in (Path(settings.BASE_DIR) / "Procfile").read_text().splitlines()
               if line.startswith("web:"))
    assert "-c config/gunicorn.py" in web and "--access-logfile" not in web
    config: dict = {}
    exec((Path(settings.BASE_DIR) / "config" / "gunicorn.py").read_text(), config)  # noqa: S102
    assert config["logger_class"] == "jobunivers.core.logging.RedactingGunicornLogger"


def test_runserver_request_log_has_no_query_string():
    record = logging.LogRecord("django.server", logging.INFO, __file__, 1, '"%s" %s %s',
                               (f"GET /aarhus/medarbejder/borgere/?q={CPR} HTTP/1.1", "200", "512"), None)
    StripQueryStringFilter().filter(record)
    assert record.getMessage() == '"GET /aarhus/medarbejder/borgere/?[query] HTTP/1.1" 200 512'


def test_staff_citizen_search_is_posted_not_put_in_the_url(member, municipality):
    from jobunivers.audit.models import AccessLogEntry

    adviser = member(Role.JOB_ADVISER, municipality)
    client = client_for(adviser)
    url = murl(municipality, "caseworker:search")
    # when a search arrives as a GET with the name in the URL, it is not run; as a POST it is
    ignored = client.get(url, {"q": "Mette"})
    posted = client.post(url, {"q": "Mette"})
    # then only the POST searched, and it was logged with its criterion
    assert ignored.status_code == 200 and posted.status_code == 200
    entries = list(AccessLogEntry.all_tenants.values_list("action", "criterion"))
    assert entries == [("search", "name: Mette")]
    assert 'method="post"' in posted.content.decode()


# --- Error reports and 403s -----------------------------------------------------------------------


def test_staff_sign_in_keeps_the_password_out_of_error_reports(db, monkeypatch, settings):
    # given the staff sign-in view failing inside authentication
    from django.contrib.sessions.backends.db import SessionStore
    from django.views.debug import ExceptionReporter

    from jobunivers.accounts import staff

    def broken(*args, **kwargs):
        raise RuntimeError("authentication back end is down")

    monkeypatch.setattr(staff, "authenticate", broken)
    request = RequestFactory().post("/log-ind/medarbejder/", {"username": "aisha", "password": "Hemmelig-kode-42"})
    request.session = SessionStore()
    # when it raises and Django builds the error report
    try:
        staff.staff_login(request)
    except RuntimeError:
        report = ExceptionReporter(request, *sys.exc_info()).get_traceback_text()
    else:  # pragma: no cover
        pytest.fail("the view did not raise")
    # then the report has neither the posted password nor the local variables holding it
    assert "authentication back end is down" in report
    assert "Hemmelig-kode-42" not in report


def test_client_errors_are_logged_without_traceback():
    try:
        raise PermissionError("not yours")
    except PermissionError:
        exc_info = sys.exc_info()
    forbidden = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Forbidden (Permission denied): %s",
                                  ("/aarhus/x/",), exc_info)
    forbidden.status_code = 403
    crash = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s",
                              ("/aarhus/x/",), exc_info)
    crash.status_code = 500
    for record in (forbidden, crash):
        NoTracebackForClientErrors().filter(record)
    assert forbidden.exc_info is None
    assert crash.exc_info is exc_info


def test_the_console_log_handler_drops_client_error_tracebacks(settings):
    assert "no_client_error_tracebacks" in settings.LOGGING["handlers"]["console"]["filters"]
    assert settings.LOGGING["loggers"]["django.server"]["handlers"] == ["requests"]


# --- No copies of signed-in pages -------------------------------------------------------------------


def test_signed_in_pages_are_not_stored(member, municipality):
    citizen = member(Role.CITIZEN, municipality)
    response = client_for(citizen).get(murl(municipality, "audit:my_data"))
    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"no-store", "private", "no-cache"} <= directives


def test_public_pages_for_anonymous_visitors_are_not_marked_no_store(municipality):
    response = Client().get(f"/{municipality.slug}/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


# --- Request body cap ------------------------------------------------------------------------------


def test_a_body_over_the_cap_is_refused_with_a_danish_413(municipality, settings):
    settings.MAX_REQUEST_BODY_BYTES = 1024
    response = Client().post(f"/{municipality.slug}/log-ind/medarbejder/", {"username": "x", "password": "y" * 2000})
    assert response.status_code == 413
    assert "for stort" in response.content.decode()
    assert "Grænsen er 1 MB" in response.content.decode()


def test_a_body_over_the_cap_on_the_api_gets_json(db, settings):
    settings.MAX_REQUEST_BODY_BYTES = 1024
    response = Client().post("/api/v1/jobs/search", data="x" * 2000, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["detail"].startswith("Det, du sendte, er for stort")


def test_too_many_form_bytes_for_django_get_the_same_413(member, municipality, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    adviser = member(Role.JOB_ADVISER, municipality)
    response = client_for(adviser).post(murl(municipality, "caseworker:search"), {"q": "M" * 500})
    assert response.status_code == 413
    assert "for stort" in response.content.decode()


# --- Administrators' input: https logos, numbers within bounds ---------------------------------------


def _admin_post(municipality, admin, **changes):
    from jobunivers.tenancy.forms import MunicipalitySettingsForm, ThemeForm

    theme = Theme.objects.get(municipality=municipality)
    current = MunicipalitySettings.objects.get(municipality=municipality)
    data = {}
    for prefix, form in (("theme", ThemeForm(instance=theme)), ("settings", MunicipalitySettingsForm(instance=current))):
        for name in form.fields:
            value = form.initial.get(name)
            data[f"{prefix}-{name}"] = "" if value is None else value
    data.update(changes)
    return client_for(admin).post(murl(municipality, "tenancy:admin_home"), data)


@pytest.fixture
def administrator(member, municipality):
    from jobunivers.tenancy.selectors import settings_for, theme_for

    theme_for(municipality), settings_for(municipality)
    return member(Role.MUNICIPALITY_ADMIN, municipality)


@pytest.mark.parametrize("logo", ["http://kommune.example/logo.png", "javascript:alert(1)", "/static/logo.png"])
def test_a_logo_address_that_is_not_https_is_refused(municipality, administrator, logo):
    response = _admin_post(municipality, administrator, **{"theme-logo_url": logo})
    assert response.status_code == 200
    assert "Angiv en fuld adresse, der begynder med https://." in response.content.decode()
    assert Theme.objects.get(municipality=municipality).logo_url == ""


def test_an_https_logo_address_is_saved(municipality, administrator):
    response = _admin_post(municipality, administrator, **{"theme-logo_url": "https://kommune.example/logo.svg"})
    assert response.status_code == 302
    assert Theme.objects.get(municipality=municipality).logo_url == "https://kommune.example/logo.svg"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("idle_session_timeout_minutes", "0", "Angiv et antal minutter fra 5 til 480."),
    ("idle_session_timeout_minutes", "100000", "Angiv et antal minutter fra 5 til 480."),
    ("access_log_retention_days", "1", "Angiv et antal dage fra 30 til 3650."),
    ("consultant_capacity", "2147483648", "Angiv et helt tal fra 1 til 1000."),
    ("match_notification_threshold", "1.5", "Angiv en score fra 0 til 1."),
    ("override_warning_percent", "-1", "Angiv en procentsats fra 0 til 100."),
    ("job_notices_per_day", "21", "Angiv et helt tal fra 0 til 20."),
])
def test_numeric_settings_out_of_bounds_are_refused_in_danish(municipality, administrator, field, value, message):
    before = MunicipalitySettings.objects.get(municipality=municipality)
    response = _admin_post(municipality, administrator, **{f"settings-{field}": value})
    assert response.status_code == 200
    assert message in response.content.decode()
    after = MunicipalitySettings.objects.get(municipality=municipality)
    assert getattr(after, field) == getattr(before, field)
    assert after.updated_at == before.updated_at


def test_the_settings_service_refuses_out_of_bounds_values_too(municipality, administrator):
    from jobunivers.tenancy.services import settings_update

    current = MunicipalitySettings.objects.get(municipality=municipality)
    with pytest.raises(ValidationError) as refusal:
        settings_update(actor=administrator, settings=current, data={"availability_deadline_days": 0})
    assert list(refusal.value.message_dict) == ["availability_deadline_days"]
    assert MunicipalitySettings.objects.get(municipality=municipality).availability_deadline_days == 30


# --- The API's schema tells the truth (item 8) -----------------------------------------------------


def test_every_api_operation_documents_its_error_answers():
    from config.api import api

    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = {str(status): answer for status, answer in operation["responses"].items()}
            assert "429" in responses, f"{method} {path}"
            assert responses["429"]["headers"]["Retry-After"]["schema"]["type"] == "integer"
            if operation.get("parameters"):
                # ErrorOut, or an operation's own error shape that also always carries "detail"
                reference = responses["422"]["content"]["application/json"]["schema"]["$ref"]
                name = reference.rsplit("/", 1)[-1]
                assert "detail" in schema["components"]["schemas"][name]["required"], f"{method} {path}"
    assert schema["components"]["schemas"]["ErrorOut"]["required"] == ["detail"]


def test_numeric_api_parameters_are_typed_as_numbers():
    from config.api import api

    schema = api.get_openapi_schema()
    search = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/jobs/search"]["get"]["parameters"]}
    assert {name: (search[name]["type"], search[name]["minimum"], search[name]["maximum"])
            for name in ("radius", "page", "page_size")} == {
        "radius": ("integer", 1, 500), "page": ("integer", 1, 10_000), "page_size": ("integer", 1, 100)}
    assert search["deadline_from"]["format"] == "date"


def test_the_rate_limited_api_answer_matches_the_documented_shape(db, settings):
    from django.core.cache import cache

    cache.clear()
    settings.RATE_LIMITS = {"login": 10, "api": 1}
    client = Client()
    client.get("/api/v1/taxonomy/skills", {"q": "truck"})
    response = client.get("/api/v1/taxonomy/skills", {"q": "truck"})
    assert response.status_code == 429
    assert set(response.json()) == {"detail"} and int(response["Retry-After"]) >= 0


def test_a_real_403_reaches_the_console_handler_as_one_line(member, municipality):
    # given a handler with the console handler's filters, listening to Django's request log
    import logging.config

    from django.conf import settings

    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(record)

    config = settings.LOGGING
    handler = Collect()
    for name in config["handlers"]["console"]["filters"]:
        spec = dict(config["filters"][name])
        handler.addFilter(import_string(spec.pop("()"))())
    request_logger = logging.getLogger("django.request")
    request_logger.addHandler(handler)
    try:
        # when a citizen opens a staff page
        response = client_for(member(Role.CITIZEN, municipality)).get(murl(municipality, "caseworker:home"))
    finally:
        request_logger.removeHandler(handler)
    # then the 403 is logged, without a traceback
    assert response.status_code == 403
    forbidden = [r for r in records if getattr(r, "status_code", None) == 403]
    assert len(forbidden) == 1 and forbidden[0].exc_info is None
