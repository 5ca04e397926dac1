"""Shared tools for benchmarks. Speed is reported as ratios against a baseline measured in the
same process and run (never as timed tests).

A benchmark is a script bench/bench_<name>.py with a `main()`:

    from bench.harness import setup, timed_requests, bare_baseline, emit, database_label

    def main():
        setup()                                  # django.setup() + migrate on the bench database
        ...create data (once; reuse if present)...
        client = staff_or_citizen_client(...)    # django.test.Client, force_login as needed
        base = bare_baseline(client, n=300)      # constant page through the same full stack
        times = timed_requests(client, paths)    # server time per request, full stack
        emit("job_search", {"db": database_label(), **summary(times, prefix="search"),
                            **summary(base, prefix="bare"), "ratio_p95": p95(times) / p95(base),
                            "goal_ratio_p95": 10})

Run one: `.venv/bin/python bench/run.py job_search`; all: `make bench`.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def setup(*, migrate: bool = True) -> None:
    """Configure Django with the bench settings and bring the bench database up to date."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.bench"
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)


def own_database(name: str) -> None:
    """Give a benchmark its own data set: var/bench/<name>.sqlite3, or on PostgreSQL (BENCH_DATABASE_URL
    set by bench/run.py) a database named after the bench one with "_<name>" added, created if missing.
    Call before setup(). Benchmarks that share one database also share each other's postings."""
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        os.environ["BENCH_DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench' / f'{name}.sqlite3'}"
        return
    if not url.startswith(("postgres://", "postgresql://")) or url.endswith(f"_{name}"):
        return
    import psycopg

    base, database = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [f"{database}_{name}"]).fetchone():
            connection.execute(f'CREATE DATABASE "{database}_{name}"')
    os.environ["BENCH_DATABASE_URL"] = f"{base}/{database}_{name}"


def analyze() -> None:
    """Bring PostgreSQL's tables to the state production's autovacuum keeps them in after a bulk load:
    planner statistics (a bench that measures right after creating 117,000 rows would otherwise be planned
    as if the tables were nearly empty; seen: 412 ms instead of 38 ms) and a vacuumed visibility map
    (without it no index-only scan: the search's per-request taxonomy check, three COUNT(*)s over
    3,007 occupations, read the whole table, 2.8 ms instead of 0.47). Production's autovacuum does both
    soon after a load; a machine's PostgreSQL may run without it (this one does: `SHOW autovacuum` is
    off, recorded in each result as `postgres_autovacuum`), so the bench does it itself."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")


def postgres_autovacuum() -> str | None:
    """PostgreSQL's autovacuum setting ("on"/"off"), None on SQLite."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        return str(cursor.fetchone()[0])


def database_label() -> str:
    from django.db import connection

    return connection.vendor  # "sqlite" or "postgresql"


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def p50(samples: list[float]) -> float:
    return percentile(samples, 50)


def p95(samples: list[float]) -> float:
    return percentile(samples, 95)


def summary(samples: list[float], *, prefix: str) -> dict[str, float]:
    """Milliseconds, rounded, for samples given in seconds."""
    return {
        f"{prefix}_n": len(samples),
        f"{prefix}_p50_ms": round(p50(samples) * 1000, 3),
        f"{prefix}_p95_ms": round(p95(samples) * 1000, 3),
        f"{prefix}_mean_ms": round(statistics.fmean(samples) * 1000, 3) if samples else float("nan"),
    }


def load_average() -> list[float]:
    """The machine's 1, 5 and 15 minute load averages, reported beside every figure (a shared machine)."""
    return [round(x, 2) for x in os.getloadavg()]


def timed_requests(client, paths: Iterable[str], *, expect_status: int = 200, warmup: int = 0,
                   warmup_paths: Iterable[str] = (), between=None, seconds: float | None = None) -> list[float]:
    """Server time of each GET through Django's full handler (middleware, view, template).

    Warm-up requests are never on the measured paths unless asked for (`warmup` repeats the first
    measured ones: only for the constant baseline page); `warmup_paths` are requested first, untimed.
    `between()`, when given, runs untimed before each request (e.g. postings changing meanwhile).
    `seconds`: stop once that long has passed (a phase that must last a given time, whatever the
    machine's speed; give enough paths)."""
    paths = list(paths)
    for path in [*warmup_paths, *paths[:warmup]]:
        client.get(path)
    samples = []
    deadline = time.monotonic() + seconds if seconds is not None else None
    for path in paths:
        if deadline is not None and time.monotonic() >= deadline:
            break
        if between is not None:
            between()
        start = time.perf_counter()
        response = client.get(path)
        samples.append(time.perf_counter() - start)
        if response.status_code != expect_status:
            raise AssertionError(f"{path}: status {response.status_code}")
    return samples


class ServerClient:
    """Anonymous GETs through Django's WSGI handler as gunicorn calls it: the body read and the
    response closed (request_finished), with the request_started and request_finished handlers
    production runs. Django's test Client is not that path: per request it disconnects and reconnects
    `close_old_connections` and its own exception hook, and each connect leaves a `weakref.finalize`
    behind for good (three tracked objects and their helpers a request, 12 of the 27 a search request
    kept), which made the garbage collector run about twice as often as in a server."""

    def __init__(self) -> None:
        from django.core.handlers.wsgi import WSGIHandler

        self.handler = WSGIHandler()

    def get(self, path: str):
        import io
        from types import SimpleNamespace
        from urllib.parse import unquote, urlsplit

        parts = urlsplit(path)
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": unquote(parts.path).encode().decode("latin-1"),
            "QUERY_STRING": parts.query, "SCRIPT_NAME": "", "SERVER_NAME": "testserver", "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "testserver", "REMOTE_ADDR": "127.0.0.1",
            "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr, "wsgi.multithread": True, "wsgi.multiprocess": True, "wsgi.run_once": False,
        }
        status: list[str] = []
        response = self.handler(environ, lambda line, headers, exc_info=None: status.append(line))
        try:
            body = b"".join(response)
        finally:
            response.close()
        return SimpleNamespace(status_code=int(status[0].split(" ", 1)[0]), content=body)


def staff_client(user):
    """A test client signed in as `user` with a verified second factor (staff need one, accounts ADR 0011): a
    confirmed TOTP device in the session."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def bare_baseline(client, *, n: int = 300) -> list[float]:
    """A constant page rendered through the same stack (core:bare), measured in the same run."""
    return timed_requests(client, ["/bare/"] * n, warmup=5)


def timed(func, *args, repeat: int = 1, **kwargs) -> tuple[list[float], object]:
    samples, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func(*args, **kwargs)
        samples.append(time.perf_counter() - start)
    return samples, result


def emit(name: str, figures: dict) -> dict:
    """Print one JSON line and write bench/results/<name>[-<db>].json."""
    record = {"bench": name, **figures}
    record.setdefault("load_average", load_average())
    if figures.get("db") == "postgresql":
        record.setdefault("postgres_autovacuum", postgres_autovacuum())
    line = json.dumps(record, ensure_ascii=False, sort_keys=False)
    print(line, flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    suffix = f"-{figures['db']}" if figures.get("db") else ""
    (RESULTS / f"{name}{suffix}.json").write_text(line + "\n", encoding="utf-8")
    return record
