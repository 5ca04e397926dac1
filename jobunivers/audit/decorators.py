"""Mark staff views and API endpoints that show or change a citizen's personal data.

    @municipal_view(*STAFF_ROLES)
    @citizen_data_view
    def citizen_overview(request, citizen_id):
        citizen = access_citizen(actor=request.user, id=citizen_id, purpose="help",
                                 what="citizen overview")   # checks and logs
        ...

Reads of one citizen's data are logged by the app's `access_<entity>` selector
(and changes by its services) in the same transaction as the read or write; the
view only passes the purpose. Searches and lists may still log from the view with
`log_staff_access`. Either way the marker lets the audit-coverage test find every such view and
check, by calling it, that it writes an access-log entry; and at run time a
marked view that answers successfully without logging is reported (and, with
settings.AUDIT_STRICT, refused), so a forgotten call cannot pass silently.
A staff view that is neither marked nor declared free of citizen data in the
app's tests/leak_cases.py (`NO_CITIZEN_DATA`) fails the coverage test.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .services import REQUEST_FLAG, access_entries_written

logger = logging.getLogger(__name__)


def citizen_data_view(view: Callable) -> Callable:
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        before = (getattr(request, REQUEST_FLAG, 0), access_entries_written())
        response = view(request, *args, **kwargs)
        status = getattr(response, "status_code", 200)
        if status < 300 and (getattr(request, REQUEST_FLAG, 0), access_entries_written()) == before:
            name = f"{view.__module__}.{view.__qualname__}"
            if getattr(settings, "AUDIT_STRICT", False):
                raise ImproperlyConfigured(f"{name} showed citizen data without writing an access-log entry")
            logger.error("citizen data shown without an access-log entry by %s", name)
        return response

    wrapped.shows_citizen_data = True  # type: ignore[attr-defined]
    return wrapped


def shows_citizen_data(view: Callable) -> bool:
    """True if the view (through any stack of decorators) is marked with citizen_data_view."""
    seen = set()
    current: Callable | None = view
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if getattr(current, "shows_citizen_data", False):
            return True
        current = getattr(current, "__wrapped__", None)
    return False
