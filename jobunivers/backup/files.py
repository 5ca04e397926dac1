"""The private files (CVs, dialogue attachments under PRIVATE_MEDIA_ROOT) as one tar with a checksum per file.

Restored into an empty folder only, through a sibling temporary folder renamed into place, so a failed
restore leaves no half-filled folder behind.
"""

from __future__ import annotations

import shutil
import tarfile
import tempfile
from pathlib import Path

from .manifest import BackupRefused, sha256_of


def _regular_files(root: Path) -> list[Path]:
    # `.part` files are uploads being written (ADR 0032): not part of any committed row.
    return sorted(path for path in root.rglob("*") if path.is_file() and not path.is_symlink()
                  and not path.name.endswith(".part"))


def files_archive(*, root: Path, target: Path) -> list[dict]:
    """Write every private file under `root` into the tar `target`; one entry per file for the manifest."""
    listing = []
    with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as archive:
        if root.is_dir():
            for path in _regular_files(root):
                name = path.relative_to(root).as_posix()
                listing.append({"path": name, "size": path.stat().st_size, "sha256": sha256_of(path)})
                archive.add(path, arcname=name, recursive=False)
    return listing


def files_target_check(target: Path) -> None:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupRefused(f"The private files folder {target} is not empty; restore files only into an empty "
                            "or new folder (move the old one aside first).")


def files_restore(*, archive: Path, listing: list[dict], target: Path) -> int:
    """Unpack into `target` (empty or missing) and check every file against the manifest; the number of files."""
    files_target_check(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=target.parent))
    try:
        with tarfile.open(archive, "r") as tar:
            tar.extractall(staging, filter="data")  # no absolute paths, links out or devices
        found = {path.relative_to(staging).as_posix() for path in _regular_files(staging)}
        expected = {entry["path"] for entry in listing}
        if found != expected:
            raise BackupRefused(f"The files archive holds {len(found)} files, the manifest lists {len(expected)}.")
        for entry in listing:
            if sha256_of(staging / entry["path"]) != entry["sha256"]:
                raise BackupRefused(f"Private file {entry['path']} does not match its checksum.")
        if target.exists():
            target.rmdir()
        staging.rename(target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return len(listing)
