"""Logging filters and formatters that keep CPR numbers out of every log line, as a last line of defence.

The filter redacts the message; the formatters redact what they write, so a traceback (an exception
whose message holds a CPR number, a local variable in a frame) is redacted too. `JsonFormatter` writes
one JSON object a line (production, LOG_FORMAT=json), `PlainFormatter` a readable line (development).
"""

import logging
import re
from typing import Any

from pythonjsonlogger.json import JsonFormatter as _LibraryJsonFormatter

CPR_PATTERN = re.compile(r"(?<!\d)(\d{6})-?(\d{4})(?!\d)")


def redact_cpr(text: str) -> str:
    return CPR_PATTERN.sub("[CPR]", text)


def _redacted(value: Any) -> Any:
    if isinstance(value, str):
        return redact_cpr(value)
    if isinstance(value, dict):
        return {key: _redacted(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_redacted(item) for item in value]
    return value


class PlainFormatter(logging.Formatter):
    """A readable line for the development console, redacted after formatting (tracebacks included)."""

    def __init__(self, fmt=None, datefmt=None, style="%", validate=True, *, defaults=None):
        defaults = {"request_id": "", "task_id": "", "task_name": "", **(defaults or {})}
        super().__init__(fmt, datefmt, style, validate, defaults=defaults)

    def format(self, record: logging.LogRecord) -> str:
        return redact_cpr(super().format(record))


class JsonFormatter(_LibraryJsonFormatter):
    """One JSON object a line (python-json-logger), every string value redacted: the message, the
    formatted traceback (`exc_info`), the stack and any `extra` field. Django's `request` extra (an
    HttpRequest, whose text holds the query string) is written as its path only."""

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        request = log_data.get("request")
        if request is not None and not isinstance(request, str):
            log_data["request"] = strip_query(getattr(request, "get_full_path", lambda: "")())
        return _redacted(super().process_log_record(log_data))


class RedactCprFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_cpr(message)
        if redacted != message:
            record.msg = redacted
            record.args = ()
        return True


def strip_query(url: str) -> str:
    """A URL without its query string (kept as "?[query]"): searches may carry names or CPR numbers."""
    if not isinstance(url, str) or "?" not in url:
        return url
    return url.split("?", 1)[0] + "?[query]"


REQUEST_LINE = re.compile(r'(?P<method>[A-Z]+) (?P<target>\S+)(?P<rest> HTTP/[0-9.]+)')


class StripQueryStringFilter(logging.Filter):
    """For request logs (runserver's django.server): the request line without its query string."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        stripped = REQUEST_LINE.sub(lambda m: f"{m['method']} {strip_query(m['target'])}{m['rest']}", message)
        if stripped != message:
            record.msg = stripped
            record.args = ()
        return True


class NoTracebackForClientErrors(logging.Filter):
    """403, 404 and other 4xx answers are logged as one line: a traceback is noise, and may carry data."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True


try:  # gunicorn is a production dependency; the embedded server does not need it.
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # pragma: no cover
    _GunicornLogger = object  # type: ignore[assignment,misc]


class RedactingFormatterWrapper(logging.Formatter):
    """Another formatter's output with CPR numbers redacted (gunicorn's own error-log formatter)."""

    def __init__(self, inner: logging.Formatter):
        super().__init__()
        self.inner = inner

    def format(self, record: logging.LogRecord) -> str:
        return redact_cpr(self.inner.format(record))


class RedactingGunicornLogger(_GunicornLogger):  # type: ignore[misc,valid-type]
    """gunicorn's access log without query strings (request line, referer) and without CPR numbers;
    its error log (worker crashes, "Error handling request" with a traceback) redacted as well.

    Set in config/gunicorn.py (`logger_class`), which the Procfile passes to gunicorn.
    """

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["r"] = f"{environ['REQUEST_METHOD']} {strip_query(environ.get('RAW_URI', ''))} {environ['SERVER_PROTOCOL']}"
        atoms["q"] = "[query]" if environ.get("QUERY_STRING") else ""
        atoms["f"] = strip_query(atoms.get("f", "-"))
        if "{referer}i" in atoms:
            atoms["{referer}i"] = strip_query(atoms["{referer}i"])
        atoms.pop("{cookie}i", None)
        atoms.pop("{authorization}i", None)
        return {key: redact_cpr(value) if isinstance(value, str) else value for key, value in atoms.items()}

    def _set_handler(self, log, output, fmt, stream=None):
        super()._set_handler(log, output, RedactingFormatterWrapper(fmt), stream)
