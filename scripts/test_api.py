"""`make test-api`: schemathesis against the running API, as CI runs it.

Starts the application with gunicorn (the production server, config/gunicorn.py) on a free loopback
port over a fresh SQLite database (or API_TEST_DATABASE_URL: an empty database of your own) holding
the demo postcodes, ESCO concepts and job postings; runs `schemathesis run` against the committed
docs/openapi.json with .ci/schemathesis.toml (a fixed seed and a bounded number of examples per
operation); stops the server itself; fails on any schemathesis failure and on any 500 in the server's
log (also outside the documented operations). Extra arguments go to `schemathesis run`, e.g.
`.venv/bin/python scripts/test_api.py -n 100 --seed 7`.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"


def _say(text: str) -> None:
    sys.stdout.write(f"test-api: {text}\n")
    sys.stdout.flush()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(command: list[str], env: dict[str, str]) -> None:
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    _say(f"{' '.join(command[1:4])} ({time.monotonic() - started:.0f} s)")


def _wait_until_up(url: str, server: subprocess.Popen, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"test-api: the server stopped while starting (exit {server.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own loopback server
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"test-api: the server did not answer {url} within {timeout:.0f} s")


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main(extra: list[str]) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="jobunivers-api-"))
    for folder in ("broker/queue", "broker/processed", "broker/control", "mail", "private"):
        (workdir / folder).mkdir(parents=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": os.environ.get("API_TEST_DATABASE_URL", f"sqlite:///{workdir / 'api.sqlite3'}"),
        "JOBUNIVERS_VAR_DIR": str(workdir),
        "CELERY_BROKER_URL": "filesystem://",  # tasks the demo import enqueues stay in workdir, unrun
        "RATE_LIMIT_API_PER_MINUTE": "1000000",  # the 429 answer is documented; here we test the rest
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    python = str(VENV_BIN / "python")
    # The server renders error pages through the manifest storage: collected static files must be current.
    _run([python, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    _run([python, "manage.py", "migrate", "--noinput", "-v0"], env)
    _run([python, "manage.py", "demo", "--only", "postcodes", "esco", "jobs"], env)

    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = workdir / "server.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi:application",
             "--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "60"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(f"{base_url}/health/", server)
        started = time.monotonic()
        result = subprocess.run(
            [str(VENV_BIN / "schemathesis"), "--config-file", str(ROOT / ".ci" / "schemathesis.toml"), "run",
             str(ROOT / "docs" / "openapi.json"), "--url", base_url, "--workers", "1", *extra],
            cwd=ROOT, env={**os.environ, "NO_COLOR": "1"},
        )
        _say(f"schemathesis exit {result.returncode} ({time.monotonic() - started:.0f} s)")
    finally:
        _stop(server)
    server_errors = [line for line in log_path.read_text(errors="replace").splitlines()
                     if "Internal Server Error" in line or '" 500 ' in line]
    for line in server_errors[:20]:
        _say(f"server error: {line}")
    failed = result.returncode != 0 or bool(server_errors)
    if failed:
        _say(f"server log kept in {log_path}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
