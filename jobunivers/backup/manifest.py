"""A backup's manifest: what is in it, checksums of every part, and what it needs to be restored.

Written last, so a directory without `manifest.json` is an unfinished backup. Holds fingerprints of
the CPR keys, never the keys (ADR 0082).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

FORMAT = "jobunivers-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
DATABASE_DUMP = "database.dump"
FILES_ARCHIVE = "private-files.tar"


class BackupRefused(Exception):
    """A backup cannot be made or restored; the message says why and what to do."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def describe(path: Path) -> dict:
    return {"size": path.stat().st_size, "sha256": sha256_of(path)}


def manifest_write(directory: Path, manifest: dict) -> None:
    temporary = directory / (MANIFEST_NAME + ".part")
    temporary.write_text(json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    temporary.rename(directory / MANIFEST_NAME)


def manifest_read(directory: Path) -> dict:
    """The manifest of a backup, after checking that every part is there and unchanged."""
    path = directory / MANIFEST_NAME
    if not directory.is_dir():
        raise BackupRefused(f"{directory} is not a directory.")
    if not path.is_file():
        raise BackupRefused(f"{directory} has no {MANIFEST_NAME}: not a backup, or one that did not finish.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupRefused(f"{path} is damaged (not valid JSON: {error}).") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupRefused(f"{path} is not a Jobunivers backup manifest.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupRefused(f"Backup format version {manifest.get('format_version')!r} is not one this version "
                            f"reads ({FORMAT_VERSION}); restore with the version that made it "
                            f"({manifest.get('application', {}).get('commit') or 'see the manifest'}).")
    problems = []
    for name, expected in sorted(manifest.get("artifacts", {}).items()):
        part = directory / name
        if not part.is_file():
            problems.append(f"{name} is missing")
        elif part.stat().st_size != expected["size"]:
            problems.append(f"{name} has {part.stat().st_size} bytes, the manifest says {expected['size']}")
        elif sha256_of(part) != expected["sha256"]:
            problems.append(f"{name} does not match its checksum")
    if set(manifest.get("artifacts", {})) != {DATABASE_DUMP, FILES_ARCHIVE}:
        problems.append(f"the manifest lists {sorted(manifest.get('artifacts', {}))}, "
                        f"not {[DATABASE_DUMP, FILES_ARCHIVE]}")
    if problems:
        raise BackupRefused(f"Backup {directory} is damaged: " + "; ".join(problems) + ". Nothing was restored.")
    return manifest
