"""`make loadtest`: how many people one node serves (issue 14).

    .venv/bin/python bench/loadtest.py            # seed (once), start, step 25 -> 50 -> 100 -> 200 users, stop
    .venv/bin/python bench/loadtest.py seed       # only the data and the sessions (also against another database)
    LOADTEST_HOST=https://... .venv/bin/python bench/loadtest.py run   # only the steps, against a running deployment

What it does, on this machine:
1. A PostgreSQL database of its own (LOADTEST_DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/jobunivers_bench_load, created if missing) and Redis db 5
   (LOADTEST_REDIS_URL) as cache and Celery broker; production settings (config.settings.production:
   DEBUG off, manifest static files, secure cookies) with a throw-away SECRET_KEY.
2. `seed` (skipped when done before): postcodes, ESCO and 50,000 synthetic postings through the import
   (bench_job_search's data set), their text vectors, one municipality (Aarhus) with LOADTEST_CITIZENS
   citizens (profiles seeking 1-3 occupations, half consenting to personalisation, a plan and a job
   log each) and 10 personal consultants with a confirmed second factor, each with a caseload.
   Sessions are created on the server side (Django's session store, as a sign-in does) and written to
   var/loadtest/sessions.json with the municipality, a sample of posting ids and long-tailed queries.
3. gunicorn as in the Procfile (config/gunicorn.py, LOADTEST_WORKERS x 4 threads, default 2 workers)
   on a free loopback port, started and stopped by this script.
4. locust headless (bench/locustfile.py: anonymous search, map markers, posting page and public API;
   citizens' start page, feed, plan and job log; consultants' worklist and citizen page), one step per
   user count in LOADTEST_STEPS (default 25,50,100,200), LOADTEST_STEP_SECONDS each (default 60),
   spawned at 25 users/s; the first LOADTEST_RAMP_SECONDS (default 10) of a step are left out of the figures.
5. Per step and per page: requests/s, p50/p95/p99 (ms), failures; the load average; the goal
   (>= 100 req/s with p99 <= 250 ms and 0 errors at some step). JSON in bench/results/loadtest.json.

Locust runs on the same 2 cores as the server here, so the figures are a floor; bench/README.md
says how to run it against a multi-node deployment.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
WORK = ROOT / "var" / "loadtest"
SESSIONS = WORK / "sessions.json"
RESULTS = ROOT / "bench" / "results"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/jobunivers_bench_load"
DEFAULT_REDIS = "redis://127.0.0.1:6379/5"
SLUG = "aarhus"
CONSULTANTS = 10
GOAL_RPS, GOAL_P99_MS = 100, 250


def _say(text: str) -> None:
    print(f"loadtest: {text}", flush=True)


def _environment() -> dict[str, str]:
    WORK.mkdir(parents=True, exist_ok=True)
    secret_file = WORK / "secret_key"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    for folder in ("mail", "private"):
        (WORK / folder).mkdir(exist_ok=True)
    redis = os.environ.get("LOADTEST_REDIS_URL", DEFAULT_REDIS)
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secret_file.read_text(encoding="utf-8").strip(),
        "DATABASE_URL": os.environ.get("LOADTEST_DATABASE_URL", DEFAULT_DATABASE),
        "REDIS_URL": redis,
        "CELERY_BROKER_URL": redis,
        "JOBUNIVERS_VAR_DIR": str(WORK),
        # One load generator address stands for thousands of people here; the API's per-address limit
        # (120/min) would otherwise answer 429 to all of them. Production keeps its limit.
        "RATE_LIMIT_API_PER_MINUTE": "10000000",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
    }


def _create_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=5) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def _run(command: list[str], env: dict[str, str]) -> None:
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, env=env, check=True)
    _say(f"{' '.join(command[1:4])} ({time.monotonic() - started:.0f} s)")


# --- seed (runs under the production settings, in its own process) ------------------------------------


def seed() -> None:
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    import datetime
    import random
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
    from django.db import transaction
    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bench.bench_job_search import ensure_data
    from bench.vocabulary import search_paths, vocabulary
    from jobunivers.accounts.models import User
    from jobunivers.audit.models import Consent
    from jobunivers.citizens.models import Citizen, JobLogEntry, PlanItem, Profile
    from jobunivers.jobs.models import JobPosting
    from jobunivers.segmentation.models import ConsultantAssignment
    from jobunivers.taxonomy.models import Postcode
    from jobunivers.tenancy.models import Membership, Municipality, MunicipalitySettings
    from jobunivers.tenancy.roles import Role

    citizens_wanted = int(os.environ.get("LOADTEST_CITIZENS", "2000"))
    ensure_data()  # postcodes, ESCO, 50,000 postings through the import path
    if os.environ.get("LOADTEST_EMBED", "1") == "1":
        from jobunivers.matching.tasks import refresh_posting_vectors

        started = time.monotonic()
        done = refresh_posting_vectors()
        _say(f"posting vectors: {done} embedded ({time.monotonic() - started:.0f} s)")
    municipality, _ = Municipality.objects.get_or_create(code="0751", defaults={
        "name": "Aarhus", "slug": SLUG, "latitude": 56.16, "longitude": 10.2, "is_active": True})
    MunicipalitySettings.objects.get_or_create(municipality=municipality)
    rng = random.Random(14)
    have = Citizen.all_tenants.filter(municipality=municipality, user__username__startswith="load-").count()
    if have < citizens_wanted:
        postcodes = list(Postcode.objects.filter(municipality_code=municipality.code)) or list(Postcode.objects.all()[:50])
        occupations = list(JobPosting.objects.filter(status="active", occupation__isnull=False)
                           .values_list("occupation_id", flat=True).distinct()[:400])
        today = timezone.localdate()
        with transaction.atomic():
            users = User.objects.bulk_create([
                User(username=f"load-{n}", first_name="Last", last_name=f"Test {n}", password="!", is_demo=True,
                     email=f"load-{n}@example.invalid") for n in range(have, citizens_wanted)])
            users = list(User.objects.filter(username__in=[u.username for u in users]))
            Membership.objects.bulk_create([Membership(user=u, municipality=municipality, role=Role.CITIZEN)
                                            for u in users], ignore_conflicts=True)
            citizens = Citizen.all_tenants.bulk_create([Citizen(
                municipality=municipality, user=u, postcode=rng.choice(postcodes), is_demo=True,
                registered_on=today - datetime.timedelta(days=rng.randint(0, 300))) for u in users])
            citizens = list(Citizen.all_tenants.filter(user__in=users))
            Profile.all_tenants.bulk_create([Profile(
                municipality=municipality, citizen=c, radius_km=rng.choice([10, 20, 30, 50]),
                hours_per_week=rng.choice([None, 20, 37]), employment_types=rng.choice([[], ["permanent"]]),
                keywords=rng.choice(["", "", "kundeservice", "truckcertifikat, lager", "ledelse"]))
                for c in citizens])
            through = Profile.occupations.through
            profiles = dict(Profile.all_tenants.filter(citizen__in=citizens).values_list("citizen_id", "id"))
            through.objects.bulk_create([through(profile_id=profiles[c.pk], occupation_id=o)
                                         for c in citizens for o in rng.sample(occupations, rng.choice([1, 2, 3]))],
                                        ignore_conflicts=True)
            Consent.objects.bulk_create([Consent(user_id=c.user_id, purpose="personalisation", given=True)
                                         for c in citizens if rng.random() < 0.5], ignore_conflicts=True)
            PlanItem.all_tenants.bulk_create([PlanItem(
                municipality=municipality, citizen=c, item_type=rng.choice(["own_activity", "meeting", "job_application", "course"]),
                title=f"Aftale {n}", created_by_kind="citizen",
                due_on=today + datetime.timedelta(days=rng.randint(-10, 40)))
                for c in citizens for n in range(3)])
            JobLogEntry.all_tenants.bulk_create([JobLogEntry(
                municipality=municipality, citizen=c, employer=f"Virksomhed {rng.randint(1, 500)}",
                job_title="Ansøgning", occurred_on=today - datetime.timedelta(days=rng.randint(0, 60)))
                for c in citizens for _ in range(5)])
        _say(f"{citizens_wanted} citizens ready")
    mine = Citizen.all_tenants.filter(municipality=municipality, user__username__startswith="load-")
    # People who use the platform have been welcomed and answered the start questionnaire.
    mine.filter(onboarding_completed_at__isnull=True).update(welcome_seen_at=timezone.now(),
                                                             onboarding_completed_at=timezone.now())
    # Their personal diagnosis is stored, as production has it: answering the questionnaire, a profile
    # change or a job log entry recomputes it (advice.tasks.on_facts_changed), and the weekly run covers
    # everyone else. The bulk load above sends none of those events, so the weekly run is run here;
    # without it every start page and staff citizen page computes the diagnosis live (the path of a
    # citizen in the minutes before the recompute).
    from jobunivers.advice.models import Diagnosis
    from jobunivers.advice.tasks import diagnoses_recompute_all

    if Diagnosis.all_tenants.filter(citizen__in=mine).count() < mine.count():
        started = time.monotonic()
        stored = diagnoses_recompute_all()
        _say(f"diagnoses: {stored} stored by the weekly run ({time.monotonic() - started:.0f} s)")
    citizens = list(mine.order_by("id").values_list("id", "user_id"))
    consultants = []
    now = timezone.now()
    for n in range(CONSULTANTS):
        user, _ = User.objects.get_or_create(username=f"load-consultant-{n}", defaults={"password": "!"})
        Membership.objects.get_or_create(user=user, municipality=municipality, role=Role.PERSONAL_CONSULTANT)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="loadtest", confirmed=True)
        caseload = citizens[n::CONSULTANTS]
        if not ConsultantAssignment.all_tenants.filter(consultant=user).exists():
            ConsultantAssignment.all_tenants.bulk_create([ConsultantAssignment(
                municipality=municipality, citizen_id=cid, consultant=user, started_at=now, reason="Belastningstest")
                for cid, _user in caseload], ignore_conflicts=True)
        consultants.append((user, device, [cid for cid, _user in caseload]))
    # Sessions on the server side, as a sign-in makes them (the backend that can load the user).
    store = import_module(settings.SESSION_ENGINE).SessionStore
    backend = next(path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user"))

    def session_for(user, device=None) -> str:
        session = store()
        session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        if device is not None:
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.create()
        return session.session_key

    users = {u.pk: u for u in User.objects.filter(pk__in=[u for _c, u in citizens])}
    since = (timezone.localdate() - datetime.timedelta(days=14)).isoformat()
    data = {
        "prefix": f"/{SLUG}", "cookie_name": settings.SESSION_COOKIE_NAME,
        "citizen_sessions": [session_for(users[u]) for _c, u in citizens[:1000]],
        "staff": [{"session": session_for(user, device), "citizen_ids": ids[:200]}
                  for user, device, ids in consultants],
        "posting_ids": list(JobPosting.objects.filter(status="active").order_by("?")
                            .values_list("id", flat=True)[:2000]),
        "search_paths": search_paths(vocabulary(), n=4000, seed=1414, min_distinct=2000, since=since),
    }
    SESSIONS.write_text(json.dumps(data), encoding="utf-8")
    from bench.harness import analyze

    analyze()  # statistics and visibility map after the bulk load, as autovacuum would soon have them
    _say(f"sessions: {len(data['citizen_sessions'])} citizens, {len(data['staff'])} consultants -> {SESSIONS}")


def refresh_staff_sessions() -> None:
    """New sessions for the consultants before each run: a staff session unused for longer than the
    municipality's idle time-out is signed out (accounts.middleware), as it should be, so sessions
    from an earlier seed or run would answer 302 to the login page."""
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from jobunivers.accounts.models import User

    data = json.loads(SESSIONS.read_text(encoding="utf-8"))
    store = import_module(settings.SESSION_ENGINE).SessionStore
    backend = next(path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user"))
    for number, staff in enumerate(data["staff"]):
        user = User.objects.get(username=f"load-consultant-{number}")
        session = store()
        session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.filter(user=user, confirmed=True).first().persistent_id
        session.create()
        staff["session"] = session.session_key
    SESSIONS.write_text(json.dumps(data), encoding="utf-8")


# --- the run ---------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, server: subprocess.Popen, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"loadtest: the server stopped while starting (exit {server.returncode})")
        try:
            request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - our loopback server
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"loadtest: the server did not answer {url} within {timeout:.0f} s")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _read_stats(prefix: Path) -> dict:
    """Locust's CSV (per page and the aggregate) -> our figures."""
    pages, total = {}, {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            figures = {
                "requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 1), "p50_ms": _number(row["50%"]),
                "p95_ms": _number(row["95%"]), "p99_ms": _number(row["99%"]),
                "max_ms": _number(row["Max Response Time"]),
            }
            if row["Name"] == "Aggregated":
                total = figures
            else:
                pages[row["Name"]] = figures
    return {"total": total, "pages": pages}


def _number(text: str):
    try:
        return round(float(text), 1)
    except ValueError:
        return None


def _step(users: int, host: str, seconds: int, env: dict[str, str]) -> dict:
    prefix = WORK / f"step-{users}"
    ramp = int(os.environ.get("LOADTEST_RAMP_SECONDS", "10"))
    spawn_rate = 25
    spawn_seconds = users / spawn_rate
    # Locust's own statistics are reset once every user is running (--reset-stats) ...
    command = [str(VENV_BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
               "--users", str(users), "--spawn-rate", str(spawn_rate), "--run-time", f"{int(seconds + spawn_seconds)}s",
               "--host", host, "--csv", str(prefix), "--only-summary", "--reset-stats", "--stop-timeout", "5",
               "--loglevel", "WARNING"]
    load_before = [round(x, 2) for x in os.getloadavg()]
    started = time.monotonic()
    locust = subprocess.Popen(command, cwd=ROOT, env={**env, "LOADTEST_SESSIONS": str(SESSIONS)},
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    # ... and the load average is read after the ramp, in the middle and at the end of the step.
    samples = []
    for wait in (spawn_seconds + ramp, seconds / 2, seconds):
        remaining = started + wait - time.monotonic()
        if remaining > 0:
            time.sleep(remaining)
        samples.append([round(x, 2) for x in os.getloadavg()])
    _out, errors = locust.communicate(timeout=seconds + 120)
    stats = _read_stats(prefix)
    total = stats["total"]
    ok = bool(total) and total["rps"] >= GOAL_RPS and (total["p99_ms"] or 1e9) <= GOAL_P99_MS and total["failures"] == 0
    failures = []
    if Path(f"{prefix}_failures.csv").exists():
        with open(f"{prefix}_failures.csv", encoding="utf-8") as file:
            failures = [{"page": row["Name"], "error": row["Error"], "count": int(row["Occurrences"])}
                        for row in csv.DictReader(file)]
    if locust.returncode not in (0, 1):  # 1 = some requests failed, reported below
        _say(f"locust exited {locust.returncode}: {errors[-2000:]}")
    return {"users": users, "seconds": seconds, **stats, "failures_by_error": failures,
            "load_average_before": load_before, "load_average_during": samples, "meets_goal": ok}


def run_steps(host: str, env: dict[str, str], *, server_log: Path | None = None) -> dict:
    steps = [int(s) for s in os.environ.get("LOADTEST_STEPS", "25,50,100,200").split(",")]
    seconds = int(os.environ.get("LOADTEST_STEP_SECONDS", "60"))
    results = []
    for users in steps:
        _say(f"{users} users for {seconds} s ...")
        result = _step(users, host, seconds, env)
        total = result["total"]
        _say(f"{users} users: {total.get('rps')} req/s, p50 {total.get('p50_ms')} ms, p95 {total.get('p95_ms')} ms, "
             f"p99 {total.get('p99_ms')} ms, {total.get('failures')} failures of {total.get('requests')}, "
             f"load {result['load_average_during'][-1]}")
        results.append(result)
    best = max((r for r in results if r["meets_goal"]), key=lambda r: r["total"]["rps"], default=None)
    server_errors = []
    if server_log is not None and server_log.exists():
        server_errors = [line for line in server_log.read_text(errors="replace").splitlines()
                         if "Internal Server Error" in line or "Traceback" in line][:20]
    return {"bench": "loadtest", "host": host, "cpu_count": os.cpu_count(),
            "workers": int(os.environ.get("LOADTEST_WORKERS", "2")), "threads": 4, "think_time_s": [0.5, 1.5],
            "steps": results, "goal": {"rps": GOAL_RPS, "p99_ms": GOAL_P99_MS, "errors": 0},
            "goal_met_at_users": best["users"] if best else None,
            "best_rps_within_goal": best["total"]["rps"] if best else None, "server_errors": server_errors}


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "all"
    env = _environment()
    external = os.environ.get("LOADTEST_HOST")
    if command in {"all", "seed"} and not external:
        _create_database(env["DATABASE_URL"])
        python = str(VENV_BIN / "python")
        if not (ROOT / "staticfiles" / "staticfiles.json").exists():  # `make loadtest` collected them already
            _run([python, "manage.py", "collectstatic", "--noinput", "-v0"], env)
        _run([python, "manage.py", "migrate", "--noinput", "-v0"], env)
        _run([python, str(Path(__file__)), "_seed"], env)
    if command == "_seed":
        seed()
        return 0
    if command == "_staff_sessions":
        refresh_staff_sessions()
        return 0
    if command == "seed":
        return 0
    if not SESSIONS.exists():
        raise SystemExit(f"loadtest: no sessions at {SESSIONS}: run `loadtest.py seed` against the same database first")
    if external:
        record = run_steps(external, env)
    else:
        _run([str(VENV_BIN / "python"), str(Path(__file__)), "_staff_sessions"], env)
        port = _free_port()
        workers = os.environ.get("LOADTEST_WORKERS", "2")
        log_path = WORK / "server.log"
        with log_path.open("w") as log:
            server = subprocess.Popen(
                [str(VENV_BIN / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi:application",
                 "--bind", f"127.0.0.1:{port}", "--workers", workers, "--threads", "4", "--timeout", "60",
                 "--access-logfile", "/dev/null"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            _wait_until_up(f"http://127.0.0.1:{port}/health/", server)
            host = f"http://127.0.0.1:{port}"
            # Each worker builds its search catalogue on its first search: done here, before the steps.
            for _ in range(4):
                urllib.request.urlopen(urllib.request.Request(  # noqa: S310 - our loopback server
                    f"{host}/job/?q=opvarmning", headers={"X-Forwarded-Proto": "https"}), timeout=60).read()
            record = run_steps(host, env, server_log=log_path)
        finally:
            _stop(server)
            _flush_redis(env["REDIS_URL"])
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "loadtest.json").write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    _say(f"goal (>= {GOAL_RPS} req/s, p99 <= {GOAL_P99_MS} ms, 0 errors) met at: "
         f"{record['goal_met_at_users'] or 'no step'}; results in {RESULTS / 'loadtest.json'}")
    return 0


def _flush_redis(url: str) -> None:
    """The tasks the requests queued (nobody runs a worker here) and the cache: gone with the server."""
    try:
        import redis

        redis.Redis.from_url(url).flushdb()
    except Exception as error:  # noqa: BLE001 - cleaning up is best effort
        _say(f"could not empty {url}: {error.__class__.__name__}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
