"""Restore refuses a damaged or mismatching backup before writing anything, and says why."""

from __future__ import annotations

import json
import stat
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from jobunivers.accounts.cpr import key_fingerprints
from jobunivers.backup.manifest import DATABASE_DUMP, FILES_ARCHIVE, FORMAT, describe, manifest_write

TARGET = "postgres://nobody@127.0.0.1:5432/never_reached"


def _fake_backup(directory: Path, **overrides) -> Path:
    """A well-formed backup of this version whose dump is never reached (the checks come first)."""
    directory.mkdir()
    (directory / DATABASE_DUMP).write_bytes(b"PGDMP not a real dump")
    with tarfile.open(directory / FILES_ARCHIVE, "w"):
        pass
    migrations: dict[str, list[str]] = {}
    for app, name in sorted(MigrationLoader(None, ignore_no_migrations=True).disk_migrations):
        migrations.setdefault(app, []).append(name)
    manifest = {
        "format": FORMAT, "format_version": 1, "created_at": "2026-12-04T23:00:00+00:00",
        "application": {"version": "0.1.0", "commit": "abc123"},
        "database": {"name": "jobunivers", "tables": {}, "migrations": migrations},
        "private_files": {"count": 0, "bytes": 0, "files": []},
        "keys": {**key_fingerprints(), "derived_from_secret_key": False},
        "artifacts": {DATABASE_DUMP: describe(directory / DATABASE_DUMP),
                      FILES_ARCHIVE: describe(directory / FILES_ARCHIVE)},
    }
    manifest.update(overrides)
    manifest_write(directory, manifest)
    return directory


def _restore(backup: Path, tmp_path: Path, *extra: str):
    call_command("restore", str(backup), "--database-url", TARGET, "--files-to", str(tmp_path / "files"), *extra)


def test_a_folder_without_a_manifest_is_refused(tmp_path):
    (tmp_path / "half").mkdir()
    with pytest.raises(CommandError, match="has no manifest.json: not a backup, or one that did not finish"):
        _restore(tmp_path / "half", tmp_path)


def test_a_changed_dump_is_refused_and_nothing_is_written(tmp_path):
    # given a backup whose dump lost its last byte
    backup = _fake_backup(tmp_path / "b")
    dump = backup / DATABASE_DUMP
    dump.write_bytes(dump.read_bytes()[:-1])
    # when / then
    with pytest.raises(CommandError, match=r"is damaged: database.dump has 20 bytes, the manifest says 21\. "
                                           r"Nothing was restored\."):
        _restore(backup, tmp_path)
    assert not (tmp_path / "files").exists()


def test_a_dump_with_the_same_size_but_other_bytes_is_refused(tmp_path):
    backup = _fake_backup(tmp_path / "b")
    (backup / DATABASE_DUMP).write_bytes(b"PGDMP not a real dum!")
    with pytest.raises(CommandError, match="database.dump does not match its checksum"):
        _restore(backup, tmp_path)


def test_a_missing_files_archive_is_refused(tmp_path):
    backup = _fake_backup(tmp_path / "b")
    (backup / FILES_ARCHIVE).unlink()
    with pytest.raises(CommandError, match="private-files.tar is missing"):
        _restore(backup, tmp_path)


def test_a_manifest_that_is_not_json_is_refused(tmp_path):
    backup = _fake_backup(tmp_path / "b")
    (backup / "manifest.json").write_text('{"format": "jobunivers-backup", ', encoding="utf-8")
    with pytest.raises(CommandError, match="manifest.json is damaged \\(not valid JSON"):
        _restore(backup, tmp_path)


def test_an_unknown_format_version_is_refused(tmp_path):
    backup = _fake_backup(tmp_path / "b", format_version=2)
    with pytest.raises(CommandError, match="Backup format version 2 is not one this version reads \\(1\\); "
                                           "restore with the version that made it \\(abc123\\)"):
        _restore(backup, tmp_path)


def test_a_backup_from_a_newer_version_is_refused(tmp_path):
    # given a backup with a migration this code does not have
    migrations = {"citizens": ["0001_initial", "0999_from_the_future"]}
    backup = _fake_backup(tmp_path / "b", database={"name": "x", "tables": {}, "migrations": migrations})
    with pytest.raises(CommandError, match=r"made by a newer version of Jobunivers: 1 migration\(s\) unknown here "
                                           r"\(citizens.0999_from_the_future\)\. Install version 0.1.0 \(commit abc123\)"):
        _restore(backup, tmp_path)


def test_another_hash_key_is_refused(tmp_path, settings):
    backup = _fake_backup(tmp_path / "b")
    settings.CPR_HASH_KEY = "a-different-hash-key"
    with pytest.raises(CommandError, match="CPR_HASH_KEY differs from the one the backup was made with"):
        _restore(backup, tmp_path)


def test_a_missing_encryption_key_is_refused(tmp_path, settings):
    settings.CPR_ENCRYPTION_KEY = "bmV3LWtleS1uZXcta2V5LW5ldy1rZXktbmV3LWtleS0="
    backup = _fake_backup(tmp_path / "b")
    settings.CPR_ENCRYPTION_KEY = "b3RoZXIta2V5LW90aGVyLWtleS1vdGhlci1rZXktMDA="
    with pytest.raises(CommandError, match=r"CPR_ENCRYPTION_KEY lacks 1 key\(s\)"):
        _restore(backup, tmp_path)


def test_the_old_key_after_the_new_one_is_enough(tmp_path, settings):
    # given a backup made before a rotation, restored with "new,old": the keys pass, the target is reached
    settings.CPR_ENCRYPTION_KEY = "b2xkLWtleS1vbGQta2V5LW9sZC1rZXktb2xkLWtleS0="
    backup = _fake_backup(tmp_path / "b")
    settings.CPR_ENCRYPTION_KEY = "bmV3LWtleS1uZXcta2V5LW5ldy1rZXktbmV3LWtleS0=,b2xkLWtleS1vbGQta2V5LW9sZC1rZXktb2xkLWtleS0="
    with pytest.raises(CommandError, match="Cannot reach the target database never_reached"):
        _restore(backup, tmp_path)


def test_a_private_files_folder_with_files_in_it_is_refused(tmp_path):
    backup = _fake_backup(tmp_path / "b")
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "cv").mkdir()
    with pytest.raises(CommandError, match="is not empty; restore files only into an empty or new folder"):
        _restore(backup, tmp_path)


def test_a_sqlite_target_is_refused(tmp_path):
    backup = _fake_backup(tmp_path / "b")
    with pytest.raises(CommandError, match="Restore needs a PostgreSQL target database"):
        call_command("restore", str(backup), "--database-url", f"sqlite:///{tmp_path}/x.sqlite3")


@pytest.mark.django_db
def test_backup_on_sqlite_says_what_to_do_instead(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite refusal")
    with pytest.raises(CommandError, match="manage.py backup needs PostgreSQL"):
        call_command("backup", "--output", str(tmp_path))


def test_the_key_file_is_private_and_never_overwritten(tmp_path, settings):
    settings.CPR_HASH_KEY = "hash-key-0123456789"
    settings.CPR_ENCRYPTION_KEY = "bmV3LWtleS1uZXcta2V5LW5ldy1rZXktbmV3LWtleS0="
    path = tmp_path / "keys.env"
    call_command("backup_keys", "--output", str(path))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[1:] == ["CPR_HASH_KEY=hash-key-0123456789",
                         "CPR_ENCRYPTION_KEY=bmV3LWtleS1uZXcta2V5LW5ldy1rZXktbmV3LWtleS0="]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(CommandError, match="exists already; the key file is never overwritten"):
        call_command("backup_keys", "--output", str(path))


def test_derived_keys_put_the_secret_key_in_the_key_file(tmp_path, settings):
    settings.CPR_HASH_KEY = ""
    settings.CPR_ENCRYPTION_KEY = ""
    call_command("backup_keys", "--output", str(tmp_path / "keys.env"))
    assert (tmp_path / "keys.env").read_text(encoding="utf-8").splitlines()[-1] == f"SECRET_KEY={settings.SECRET_KEY}"


def test_the_manifest_holds_fingerprints_not_keys(tmp_path, settings):
    settings.CPR_HASH_KEY = "hash-key-0123456789"
    backup = _fake_backup(tmp_path / "b")
    text = (backup / "manifest.json").read_text(encoding="utf-8")
    assert "hash-key-0123456789" not in text
    assert json.loads(text)["keys"]["cpr_hash_key"] == key_fingerprints()["cpr_hash_key"]


def test_verify_only_checks_a_whole_backup_without_restoring(tmp_path, capsys):
    backup = _fake_backup(tmp_path / "b")
    call_command("restore", str(backup), "--verify-only")
    assert capsys.readouterr().out == ("backup of 2026-12-04T23:00:00+00:00 is whole and restorable here: "
                                       "0 tables, 0 rows, 0 private files, keys present\n")


def test_verify_only_refuses_a_damaged_backup(tmp_path):
    backup = _fake_backup(tmp_path / "b")
    (backup / FILES_ARCHIVE).write_bytes(b"x")
    with pytest.raises(CommandError, match="private-files.tar has 1 bytes"):
        call_command("restore", str(backup), "--verify-only")
