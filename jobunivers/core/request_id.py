"""A request id on every log line: taken from a well-formed X-Request-ID header (the proxy's) or made
here, returned in the response header, carried into the Celery tasks the request enqueues (a message
header) and set again while the worker runs them, so one id finds a request and its background work.

Every log record is stamped with `request_id`, `task_id` and `task_name` (empty when none) by a log
record factory, so every handler and formatter sees them, third-party loggers included.
"""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar

from .logging import CPR_PATTERN

HEADER = "X-Request-ID"
META_KEY = "HTTP_X_REQUEST_ID"
TASK_HEADER = "jobunivers_request_id"  # the Celery message header that carries the id
# Letters, digits and . _ : - only, 8 to 128 characters: a UUID, a proxy's hex id or a trace id pass; a
# header meant to inject log lines or markup does not, and is replaced by an id of our own.
WELL_FORMED = re.compile(r"[A-Za-z0-9._:-]{8,128}")

request_id_var: ContextVar[str] = ContextVar("jobunivers_request_id", default="")
task_id_var: ContextVar[str] = ContextVar("jobunivers_task_id", default="")
task_name_var: ContextVar[str] = ContextVar("jobunivers_task_name", default="")


def current_request_id() -> str:
    return request_id_var.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


def accepted_request_id(value: str | None) -> str | None:
    """The incoming id if it is well formed and holds nothing that looks like a CPR number, else None."""
    if not value or not WELL_FORMED.fullmatch(value) or CPR_PATTERN.search(value):
        return None
    return value


class RequestIdMiddleware:
    """First in MIDDLEWARE: everything after it (and the tasks it enqueues) logs with the id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = accepted_request_id(request.META.get(META_KEY)) or new_request_id()
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[HEADER] = request_id
        return response


# --- log records ----------------------------------------------------------------------------------------

_previous_factory = logging.getLogRecordFactory()


def _record_with_ids(*args, **kwargs) -> logging.LogRecord:
    record = _previous_factory(*args, **kwargs)
    record.request_id = request_id_var.get()
    record.task_id = task_id_var.get()
    record.task_name = task_name_var.get()
    return record


def install_log_record_factory() -> None:
    """Called once from CoreConfig.ready(); idempotent."""
    if logging.getLogRecordFactory() is not _record_with_ids:
        logging.setLogRecordFactory(_record_with_ids)


# --- Celery ---------------------------------------------------------------------------------------------

def add_request_id_header(headers=None, **_kwargs) -> None:
    """before_task_publish: a task enqueued while handling a request (or inside another task) carries
    the id in its message headers."""
    request_id = request_id_var.get()
    if request_id and headers is not None and not headers.get(TASK_HEADER):
        headers[TASK_HEADER] = request_id


def _header_of(task_request, name: str) -> str:
    value = getattr(task_request, name, None)
    if not value:
        value = (getattr(task_request, "headers", None) or {}).get(name)
    return value if isinstance(value, str) else ""


_tokens: ContextVar[tuple | None] = ContextVar("jobunivers_task_log_tokens", default=None)


def enter_task(task_id=None, task=None, **_kwargs) -> None:
    """task_prerun: the worker logs with the request id from the message (an eagerly run task keeps the
    caller's), the task's id and its name."""
    request_id = accepted_request_id(_header_of(task.request, TASK_HEADER)) if task is not None else None
    tokens = (
        request_id_var.set(request_id or request_id_var.get()),
        task_id_var.set(task_id or ""),
        task_name_var.set(getattr(task, "name", "") or ""),
        _tokens.get(),
    )
    _tokens.set(tokens)


def leave_task(**_kwargs) -> None:
    """task_postrun: back to what was set before (nothing in a worker, the request in an eager run)."""
    tokens = _tokens.get()
    if tokens is None:
        return
    request_token, task_id_token, task_name_token, outer = tokens
    task_name_var.reset(task_name_token)
    task_id_var.reset(task_id_token)
    request_id_var.reset(request_token)
    _tokens.set(outer)


def connect_celery_signals() -> None:
    from celery.signals import before_task_publish, task_postrun, task_prerun

    before_task_publish.connect(add_request_id_header, weak=False, dispatch_uid="jobunivers_request_id_publish")
    task_prerun.connect(enter_task, weak=False, dispatch_uid="jobunivers_request_id_prerun")
    task_postrun.connect(leave_task, weak=False, dispatch_uid="jobunivers_request_id_postrun")
