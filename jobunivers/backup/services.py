"""Backup and restore of the database and the private files (docs/operations.md, ADR 0082).

A backup is a directory: `database.dump` (pg_dump, custom format), `private-files.tar` and
`manifest.json` (checksums, versions, migration state, row counts, CPR key fingerprints). The CPR keys
themselves are written only by `backup_keys_write`, to a file kept apart from the backups.
Restore checks everything it can before writing anything, and writes only into an empty database and
an empty private-files folder.
"""

from __future__ import annotations

import os
import platform
import subprocess
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dj_database_url
import django
from django.conf import settings
from django.db.migrations.loader import MigrationLoader

from jobunivers.accounts.selectors import cpr_key_fingerprints, cpr_keys_are_derived

from .files import files_archive, files_restore, files_target_check
from .manifest import (
    DATABASE_DUMP,
    FILES_ARCHIVE,
    FORMAT,
    FORMAT_VERSION,
    BackupRefused,
    describe,
    manifest_read,
    manifest_write,
)
from .postgres import database_create, database_dump, database_restore, database_table_count


def _application() -> dict:
    pyproject = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text(encoding="utf-8"))
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=settings.BASE_DIR, capture_output=True,
                                text=True, check=True).stdout.strip() or None
    except (OSError, subprocess.CalledProcessError):
        commit = None
    return {"version": pyproject["project"]["version"], "commit": commit or os.environ.get("JOBUNIVERS_RELEASE"),
            "django": django.get_version(), "python": platform.python_version()}


def backup_create(*, output: Path, alias: str = "default", now: datetime | None = None) -> Path:
    """Make a backup directory under `output`; returns its path. Written as `<name>.part`, renamed when whole."""
    now = now or datetime.now(UTC)
    name = f"jobunivers-{now:%Y%m%dT%H%M%SZ}"
    final = output / name
    if final.exists():
        raise BackupRefused(f"{final} exists already.")
    partial = output / f"{name}.part"
    output.mkdir(parents=True, exist_ok=True)
    partial.mkdir(mode=0o700)  # personal data: readable by the service user only, whatever the umask
    database = database_dump(alias=alias, target=partial / DATABASE_DUMP)
    listing = files_archive(root=Path(settings.PRIVATE_MEDIA_ROOT), target=partial / FILES_ARCHIVE)
    manifest = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "created_at": now.isoformat(),
        "application": _application(), "database": database,
        "private_files": {"count": len(listing), "bytes": sum(e["size"] for e in listing), "files": listing},
        "keys": {**cpr_key_fingerprints(), "derived_from_secret_key": cpr_keys_are_derived()},
        "artifacts": {DATABASE_DUMP: describe(partial / DATABASE_DUMP),
                      FILES_ARCHIVE: describe(partial / FILES_ARCHIVE)},
    }
    manifest_write(partial, manifest)
    partial.rename(final)
    return final


def _check_migrations(manifest: dict) -> list[str]:
    """Refuse a backup from a newer version; the migrations this version would still apply afterwards."""
    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    in_backup = {(app, name) for app, names in manifest["database"]["migrations"].items() for name in names}
    unknown = sorted(in_backup - on_disk)
    if unknown:
        shown = ", ".join(f"{app}.{name}" for app, name in unknown[:5])
        raise BackupRefused(
            f"The backup was made by a newer version of Jobunivers: {len(unknown)} migration(s) unknown here "
            f"({shown}). Install version {manifest['application']['version']} "
            f"(commit {manifest['application'].get('commit') or 'unknown'}) and restore with it.")
    return sorted(f"{app}.{name}" for app, name in on_disk - in_backup)


def _check_keys(manifest: dict) -> None:
    """The keys of this process must open the backup's CPR numbers: same hash key, every encryption key."""
    current = cpr_key_fingerprints()
    recorded = manifest["keys"]
    if current["cpr_hash_key"] != recorded["cpr_hash_key"]:
        raise BackupRefused(
            f"CPR_HASH_KEY differs from the one the backup was made with (fingerprint {recorded['cpr_hash_key']}, "
            f"here {current['cpr_hash_key']}); citizens would not be found again. Set the keys from the key "
            "file (manage.py backup_keys) and run restore again.")
    missing = [fp for fp in recorded["cpr_encryption_keys"] if fp not in current["cpr_encryption_keys"]]
    if missing:
        raise BackupRefused(
            f"CPR_ENCRYPTION_KEY lacks {len(missing)} key(s) the backup's CPR numbers may be encrypted with "
            f"(fingerprints {', '.join(missing)}). Add them after the current key and run restore again.")


def backup_verify(*, directory: Path) -> dict:
    """Every check restore makes before writing (parts, checksums, versions, keys); the manifest if all pass."""
    manifest = manifest_read(directory)
    _check_migrations(manifest)
    _check_keys(manifest)
    return manifest


@dataclass(frozen=True)
class RestoreReport:
    database: str
    tables: int
    rows: int
    files: int
    pending_migrations: list[str]


def backup_restore(*, directory: Path, database_url: str | None = None, create_database: bool = False,
                   files_to: Path | None = None) -> RestoreReport:
    """Restore a backup into a new, empty database and an empty private-files folder, after checking it."""
    manifest = backup_verify(directory=directory)
    pending = _check_migrations(manifest)
    target: dict[str, Any] = dict(dj_database_url.parse(database_url) if database_url
                                  else settings.DATABASES["default"])
    if "postgresql" not in target["ENGINE"]:
        raise BackupRefused("Restore needs a PostgreSQL target database (--database-url postgres://...).")
    files_target = Path(files_to or settings.PRIVATE_MEDIA_ROOT)
    files_target_check(files_target)
    if create_database:
        database_create(target)
    tables = database_table_count(target)
    if tables:
        raise BackupRefused(f"The target database {target['NAME']} already has {tables} tables; restore only "
                            "into a new, empty database (createdb, or --create-database).")
    counts = database_restore(dump=directory / DATABASE_DUMP, settings_dict=target)
    expected = manifest["database"]["tables"]
    if counts != expected:
        differing = sorted(t for t in set(counts) | set(expected) if counts.get(t) != expected.get(t))
        raise BackupRefused(f"The restored database {target['NAME']} differs from the backup in "
                            f"{len(differing)} table(s) ({', '.join(differing[:5])}); do not use it.")
    files = files_restore(archive=directory / FILES_ARCHIVE, listing=manifest["private_files"]["files"],
                          target=files_target)
    return RestoreReport(database=target["NAME"], tables=len(counts), rows=sum(counts.values()), files=files,
                         pending_migrations=pending)


def backup_keys_write(*, path: Path) -> dict:
    """Write the CPR keys (and SECRET_KEY when they are derived from it) to `path`, readable by its owner only.

    An environment file (KEY=value lines), to be kept apart from the backups (ADR 0082): whoever holds a
    backup must not also hold the keys to its CPR numbers. Refuses to overwrite; returns the fingerprints.
    """
    lines = [f"# Jobunivers CPR keys, written {datetime.now(UTC).isoformat(timespec='seconds')}. "
             "Keep apart from the backups; see docs/operations.md.",
             f"CPR_HASH_KEY={settings.CPR_HASH_KEY}", f"CPR_ENCRYPTION_KEY={settings.CPR_ENCRYPTION_KEY}"]
    if cpr_keys_are_derived():
        lines.append("# A CPR key is derived from SECRET_KEY (no explicit key set): SECRET_KEY is the key.")
        lines.append(f"SECRET_KEY={settings.SECRET_KEY}")
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as error:
        raise BackupRefused(f"{path} exists already; the key file is never overwritten.") from error
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    return cpr_key_fingerprints()
