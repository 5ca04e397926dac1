"""JSON log lines with the request id, which follows a request into its Celery tasks; CPR numbers
redacted on every line, tracebacks included."""

import io
import json
import logging
import logging.config
import re

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from config.celery import app
from config.settings.base import logging_config
from jobunivers.core.request_id import TASK_HEADER, accepted_request_id
from jobunivers.observability.tests.tasks_for_tests import logs_a_line


def _handler(log_format: str, stream) -> logging.Handler:
    """The console handler exactly as the settings build it, writing to `stream`."""
    config = logging_config(log_format)
    handler_config = dict(config["handlers"]["console"], stream=stream)
    formatter_config = dict(config["formatters"][handler_config["formatter"]])
    factory = formatter_config.pop("()")
    from django.utils.module_loading import import_string

    handler = logging.StreamHandler(stream)
    handler.setFormatter(import_string(factory)(**{("fmt" if key == "format" else key): value
                                                   for key, value in formatter_config.items()}))
    for name in handler_config["filters"]:
        handler.addFilter(import_string(config["filters"][name]["()"])())
    return handler


class JsonCapture:
    def __init__(self):
        self.stream = io.StringIO()
        self.handler = _handler("json", self.stream)

    def __enter__(self):
        logging.getLogger().addHandler(self.handler)
        return self

    def __exit__(self, *exc):
        logging.getLogger().removeHandler(self.handler)

    def __call__(self):
        return [json.loads(line) for line in self.stream.getvalue().splitlines()]


@pytest.fixture
def json_lines():
    with JsonCapture() as capture:
        yield capture


def enqueue_view(request):
    logging.getLogger("jobunivers.tests").info("view log line")
    logs_a_line.delay()
    return HttpResponse("queued")


urlpatterns = [path("enqueue/", enqueue_view)]


def test_a_logged_exception_with_a_cpr_number_is_redacted_in_message_and_traceback(json_lines):
    # given an exception whose message holds a CPR number
    logger = logging.getLogger("jobunivers.tests")
    try:
        raise ValueError("no citizen with CPR 010190-1234 or 0101901234")
    except ValueError:
        # when it is logged with its traceback, the log message naming the number too
        logger.exception("lookup of %s failed", "0101901234")
    # then the JSON line has neither form of the number anywhere, and says where it was
    [line] = [line for line in json_lines() if line["logger"] == "jobunivers.tests"]
    text = json.dumps(line)
    assert "010190" not in text and "0101901234" not in text
    assert line["message"] == "lookup of [CPR] failed"
    assert "ValueError: no citizen with CPR [CPR] or [CPR]" in line["exc_info"]
    assert line["level"] == "ERROR"


def test_the_plain_console_redacts_tracebacks_too():
    # given the development console's handler
    stream = io.StringIO()
    logger = logging.getLogger("jobunivers.tests.plain")
    logger.addHandler(_handler("plain", stream))
    logger.propagate = False
    try:
        try:
            raise KeyError("2512489996")
        except KeyError:
            logger.exception("failed")
    finally:
        logger.handlers.clear()
        logger.propagate = True
    # then the traceback line holds the redaction, not the number
    assert "2512489996" not in stream.getvalue()
    assert "KeyError: '[CPR]'" in stream.getvalue()


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_the_request_id_is_returned_and_follows_the_request_into_its_task(client, json_lines):
    # given an eagerly run task (the default in tests)
    # when a request with a well-formed X-Request-ID enqueues it
    response = client.get("/enqueue/", HTTP_X_REQUEST_ID="proxy-id-4f9a2c")
    # then the id comes back, and the view's and the task's log lines carry it
    assert response["X-Request-ID"] == "proxy-id-4f9a2c"
    lines = json_lines()
    view_line = next(line for line in lines if line["message"] == "view log line")
    task_line = next(line for line in lines if line["message"] == "task log line")
    assert view_line["request_id"] == task_line["request_id"] == "proxy-id-4f9a2c"
    assert task_line["task_name"] == "jobunivers.observability.tests.logs_a_line"
    assert task_line["task_id"] != ""


@pytest.mark.django_db
def test_a_malformed_or_missing_request_id_is_replaced_by_a_new_one(client):
    made = client.get("/health/live/")["X-Request-ID"]
    injected = client.get("/health/live/", HTTP_X_REQUEST_ID="bad id\nlevel=ERROR")["X-Request-ID"]
    cpr = client.get("/health/live/", HTTP_X_REQUEST_ID="0101901234")["X-Request-ID"]
    # each a new random id (32 hex digits, which may by chance spell "bad": compare shapes, not substrings)
    assert all(re.fullmatch(r"[0-9a-f]{32}", value) for value in (made, injected, cpr))
    assert len({made, injected, cpr}) == 3
    assert accepted_request_id("0101901234") is None and accepted_request_id("short") is None


@pytest.mark.django_db(transaction=True)
@override_settings(ROOT_URLCONF=__name__)
def test_the_request_id_travels_in_the_message_header_to_a_real_worker(client):
    # given a real Celery worker (in a thread) consuming from the configured broker: in memory here,
    # Redis under `make test-celery`; tasks are sent as messages, not run in the web process
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    published = []

    def remember(headers=None, **_kwargs):
        published.append(dict(headers or {}))

    from celery.signals import before_task_publish

    before_task_publish.connect(remember, weak=False)
    try:
        # (the log capture is attached once the worker has set up its logging)
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10), \
                JsonCapture() as json_lines:
            # when a request enqueues the task
            response = client.get("/enqueue/", HTTP_X_REQUEST_ID="worker-trip-7b1e")
            # ... and the worker has run it
            for _ in range(200):
                if any(line["message"] == "task log line" for line in json_lines()):
                    break
                import time

                time.sleep(0.05)
    finally:
        before_task_publish.disconnect(remember)
        app.conf.task_always_eager = previous
    # then the message carried the id, and the worker's log line has it, with the task's name
    assert response["X-Request-ID"] == "worker-trip-7b1e"
    assert [headers[TASK_HEADER] for headers in published
            if headers.get("task") == "jobunivers.observability.tests.logs_a_line"] == ["worker-trip-7b1e"]
    task_line = next(line for line in json_lines() if line["message"] == "task log line")
    assert task_line["request_id"] == "worker-trip-7b1e"
    assert task_line["task_name"] == "jobunivers.observability.tests.logs_a_line"


def test_production_writes_json_and_development_plain_lines():
    assert logging_config("json")["handlers"]["console"]["formatter"] == "json"
    assert logging_config("plain")["handlers"]["console"]["formatter"] == "plain_with_ids"
    assert settings.LOGGING["handlers"]["console"]["formatter"] == "plain_with_ids"


def test_gunicorn_error_log_redacts_a_traceback(tmp_path):
    # given gunicorn's logger with our class writing its error log to a file
    from gunicorn.config import Config

    from jobunivers.core.logging import RedactingGunicornLogger

    config = Config()
    config.set("errorlog", str(tmp_path / "error.log"))
    logger = RedactingGunicornLogger(config)
    # when a worker logs an exception whose message holds a CPR number ("Error handling request")
    try:
        raise RuntimeError("bad row for 311299-1113")
    except RuntimeError:
        logger.exception("Error handling request /borger/?q=%s", "3112991113")
    for handler in logger.error_log.handlers:
        handler.flush()
    # then neither the message nor the traceback holds the number
    written = (tmp_path / "error.log").read_text()
    assert "RuntimeError: bad row for [CPR]" in written
    assert "311299" not in written
