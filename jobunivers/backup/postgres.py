"""The database part of a backup: pg_dump in custom format from one snapshot, pg_restore into an empty database.

Row counts and the migration state are read in the same exported snapshot that pg_dump dumps, so the
manifest describes exactly the dump even while the site is running.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import psycopg
from django.db import connections
from psycopg import sql

from .manifest import BackupRefused


def libpq_environment(settings_dict: dict) -> dict[str, str]:
    """Connection settings for pg_dump/pg_restore as libpq variables (a password never on a command line)."""
    env = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"),
                          ("PGPASSWORD", "PASSWORD"), ("PGDATABASE", "NAME")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    if settings_dict.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = settings_dict["OPTIONS"]["sslmode"]
    return env


def tool_version(tool: str) -> str:
    try:
        return subprocess.run([tool, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError) as error:
        raise BackupRefused(f"{tool} is needed (apt-get install postgresql-client): {error}") from error


def _migrations(cursor) -> dict[str, list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def database_dump(*, alias: str, target: Path) -> dict:
    """Dump the database to `target` and describe it: server version, row counts, applied migrations."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        raise BackupRefused("manage.py backup needs PostgreSQL (the production database). For the SQLite "
                            "development database, stop the site and copy the var/ folder.")
    dump_version = tool_version("pg_dump")
    raw = connect(connection.settings_dict)
    try:
        cursor: Any
        with raw.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            counts = _table_counts(cursor)
            migrations = _migrations(cursor)
            command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                       f"--file={target}"]
            completed = subprocess.run(command, env=libpq_environment(connection.settings_dict),
                                       capture_output=True, text=True)
            cursor.execute("COMMIT")
    finally:
        raw.close()
    if completed.returncode != 0:
        raise BackupRefused(f"pg_dump failed: {completed.stderr.strip()}")
    return {"name": connection.settings_dict["NAME"], "server_version": server_version, "pg_dump": dump_version,
            "tables": counts, "migrations": migrations}


def _table_counts(cursor: Any) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = cursor.fetchone()[0]
    return counts


# Django's OPTIONS may hold its own keys (pool, isolation_level, ...); only these go to libpq.
LIBPQ_OPTIONS = frozenset({"sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout", "options",
                           "application_name", "target_session_attrs"})


def connect(settings_dict: dict, *, database: str | None = None) -> psycopg.Connection:
    options = settings_dict.get("OPTIONS", {})
    params = {"dbname": database or settings_dict["NAME"], "user": settings_dict.get("USER") or None,
              "password": settings_dict.get("PASSWORD") or None, "host": settings_dict.get("HOST") or None,
              "port": settings_dict.get("PORT") or None,
              **{key: value for key, value in options.items() if key in LIBPQ_OPTIONS}}
    return psycopg.connect(**{k: v for k, v in params.items() if v is not None}, autocommit=True)


def database_create(settings_dict: dict) -> None:
    """CREATE DATABASE for the restore target, through the server's `postgres` database."""
    with connect(settings_dict, database="postgres") as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [settings_dict["NAME"]]).fetchone()
        if exists:
            raise BackupRefused(f"Database {settings_dict['NAME']} exists already; restore into a new one, "
                                "or leave out --create-database to restore into this one if it is empty.")
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(settings_dict["NAME"])))


def database_table_count(settings_dict: dict) -> int:
    try:
        with connect(settings_dict) as target:
            row: Any = target.execute("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()").fetchone()
            return int(row[0])
    except psycopg.OperationalError as error:
        raise BackupRefused(f"Cannot reach the target database {settings_dict['NAME']}: {error}".strip()) from error


def database_restore(*, dump: Path, settings_dict: dict) -> dict[str, int]:
    """pg_restore into the (empty) target in one transaction; the target's row counts afterwards."""
    tool_version("pg_restore")
    command = ["pg_restore", "--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges",
               f"--dbname={settings_dict['NAME']}", str(dump)]
    completed = subprocess.run(command, env=libpq_environment(settings_dict), capture_output=True, text=True)
    if completed.returncode != 0:
        raise BackupRefused(f"pg_restore failed, nothing was restored: {completed.stderr.strip()}")
    with connect(settings_dict) as target, target.cursor() as cursor:
        return _table_counts(cursor)
