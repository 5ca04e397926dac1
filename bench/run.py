"""Run benchmarks: `python bench/run.py [NAME ...]` (default: all bench/bench_*.py).

Each runs in its own process on SQLite, then again on PostgreSQL when BENCH_POSTGRES_URL
(default postgres://postgres@127.0.0.1:5432/jobunivers_bench) is reachable. `eval` is the
offline ranking evaluation (bench/bench_eval.py) and runs once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SINGLE_DATABASE = {"eval"}


def postgres_url() -> str | None:
    url = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/jobunivers_bench")
    if os.environ.get("BENCH_SKIP_POSTGRES") == "1":
        return None
    try:
        import psycopg

        base = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(base, autocommit=True, connect_timeout=3) as connection:
            name = url.rsplit("/", 1)[1]
            exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{name}"')
        return url
    except Exception as error:  # noqa: BLE001 - any failure means: no PostgreSQL here
        print(f"# PostgreSQL not reachable ({error.__class__.__name__}); SQLite only", file=sys.stderr)
        return None


def main(argv: list[str]) -> int:
    available = sorted(p.stem.removeprefix("bench_") for p in (ROOT / "bench").glob("bench_*.py"))
    names = argv or [n for n in available if n not in SINGLE_DATABASE]
    unknown = [n for n in names if n not in available]
    if unknown:
        print(f"unknown benchmarks: {unknown}; available: {available}", file=sys.stderr)
        return 2
    databases = [("sqlite", None)]
    pg = postgres_url() if any(n not in SINGLE_DATABASE for n in names) else None
    if pg:
        databases.append(("postgresql", pg))
    failures = 0
    for name in names:
        for label, url in databases[:1] if name in SINGLE_DATABASE else databases:
            env = {**os.environ, "PYTHONPATH": str(ROOT)}
            if url:
                env["BENCH_DATABASE_URL"] = url
            else:
                env.pop("BENCH_DATABASE_URL", None)
            result = subprocess.run([sys.executable, str(ROOT / "bench" / f"bench_{name}.py")], env=env, cwd=ROOT)
            if result.returncode != 0:
                print(f"# bench {name} on {label} failed with exit code {result.returncode}", file=sys.stderr)
                failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
