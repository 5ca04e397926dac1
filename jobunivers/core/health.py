"""Liveness and readiness for the load balancer and the orchestrator (docs/operations-metrics.md).

Liveness answers from the process alone: it never touches the database, the cache or the broker, so a
database outage does not get every web process restarted. Readiness checks each dependency and
answers 503 naming the checks that failed (only their names and the error's type: the answer may be
public, the log line has the detail).
"""

from __future__ import annotations

import logging
import uuid

from django.core.cache import cache
from django.db import connections
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import broker

logger = logging.getLogger(__name__)


def check_database() -> None:
    for connection in connections.all():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()


def check_cache() -> None:
    key, value = "jobunivers:readiness", uuid.uuid4().hex
    cache.set(key, value, 30)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not return what was just stored")


def check_broker() -> None:
    broker.broker_ping()


CHECKS = (("database", check_database), ("cache", check_cache), ("broker", check_broker))


def readiness_checks() -> dict[str, str]:
    """Each check's result: "ok", "skipped" (the broker when there is no broker server) or the type
    of the error that failed it."""
    results: dict[str, str] = {}
    for name, check in CHECKS:
        if name == "broker" and not broker.broker_has_server():
            results[name] = "skipped"
            continue
        try:
            check()
        except Exception as error:
            logger.warning("readiness check %s failed: %s: %s", name, type(error).__name__, error)
            results[name] = type(error).__name__
        else:
            results[name] = "ok"
    return results


@require_GET
@never_cache
def liveness(request):
    return HttpResponse("ok", content_type="text/plain")


@require_GET
@never_cache
def readiness(request):
    checks = readiness_checks()
    failed = sorted(name for name, result in checks.items() if result not in {"ok", "skipped"})
    return JsonResponse({"status": "fail" if failed else "ok", "failed": failed, "checks": checks},
                        status=503 if failed else 200)
