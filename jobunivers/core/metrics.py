"""Process-level metrics of the web processes and who may read the metrics endpoint (ADR 0081).

Request latency per view comes from django-prometheus's middleware; the database time each view
spends is measured here (a query wrapper around the request). Both live in the process that served
the request: under gunicorn with several workers, set PROMETHEUS_MULTIPROC_DIR so each worker writes
its figures to a shared folder and a scrape sums them (`process_registry`). Figures kept in the
database (task failures, outbox, imports, fan-out) are computed at scrape time elsewhere
(jobunivers.observability), so they do not depend on which process answers.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import time

from django.conf import settings
from django.db import connections
from prometheus_client import REGISTRY, CollectorRegistry, Histogram
from prometheus_client import multiprocess as prometheus_multiprocess

DATABASE_SECONDS_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

request_database_seconds = Histogram(
    "jobunivers_request_database_seconds",
    "Time spent in database queries while answering one request, by view.",
    ["view"],
    buckets=DATABASE_SECONDS_BUCKETS,
)


def view_label(request) -> str:
    """The URL name (as django-prometheus labels latency), never the path: paths hold ids."""
    match = getattr(request, "resolver_match", None)
    return (match.view_name if match is not None and match.view_name else "<unnamed view>")


class DatabaseTimeMiddleware:
    """Adds up the time of every query a request makes (middleware and view) and records it by view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        spent = [0.0]

        def timed(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent[0] += time.perf_counter() - started

        wrappers = [connection.execute_wrapper(timed) for connection in connections.all()]
        for wrapper in wrappers:
            wrapper.__enter__()
        try:
            response = self.get_response(request)
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        request_database_seconds.labels(view=view_label(request)).observe(spent[0])
        return response


def process_registry() -> CollectorRegistry:
    """This process's metrics, or all gunicorn workers' when PROMETHEUS_MULTIPROC_DIR is set."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        prometheus_multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


def metrics_access_allowed(request) -> bool:
    """METRICS_TOKEN (sent as `Authorization: Bearer <token>`) or METRICS_ALLOWED_NETWORKS (the
    client address, REMOTE_ADDR, in one of them). Neither set: nobody may read the metrics."""
    token = getattr(settings, "METRICS_TOKEN", "")
    if token:
        scheme, _, sent = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(sent.strip().encode(), token.encode()):
            return True
    networks = getattr(settings, "METRICS_ALLOWED_NETWORKS", ())
    if networks:
        try:
            address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
        except ValueError:
            return False
        return any(address in ipaddress.ip_network(network, strict=False) for network in networks)
    return False
