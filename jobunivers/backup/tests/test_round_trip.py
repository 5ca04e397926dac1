"""Backup and restore on PostgreSQL (the CI's PostgreSQL step): fill, back up, restore into a new database,
and compare every table's rows, the access log's hash chain, the CPR numbers and the private files."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import sql

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("backup and restore use pg_dump/pg_restore: PostgreSQL only (make test-postgres)")


@pytest.fixture
def restored_name(postgresql):
    name = f"{connection.settings_dict['NAME']}_restored"
    yield name
    with _connect("postgres") as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _connect(database: str) -> psycopg.Connection:
    s = connection.settings_dict
    return psycopg.connect(dbname=database, user=s["USER"] or None, password=s["PASSWORD"] or None,
                           host=s["HOST"] or None, port=s["PORT"] or None, autocommit=True)


def _url(database: str) -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{database}"


def _all_rows(database: str) -> dict[str, list[str]]:
    """Every row of every table, as sorted text: what a restore must bring back unchanged."""
    with _connect(database) as db:
        tables = [r[0] for r in db.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")]
        return {table: sorted(repr(row) for row in db.execute(sql.SQL("SELECT * FROM {}").format(sql.Identifier(table))))
                for table in tables}


def _fill(world, media: Path, settings):
    """Representative data across the apps, made through their services and factories."""
    from jobunivers.accounts.services import citizen_sign_in
    from jobunivers.audit.services import access_log_record
    from jobunivers.booking.tests.factories import hours, policy
    from jobunivers.caseworker.tests.factories import CaseNoteFactory, ConversationFactory
    from jobunivers.citizens import services as citizens
    from jobunivers.citizens.models import Citizen
    from jobunivers.core.context import tenant_context
    from jobunivers.dialogue.tests.factories import PDF, PNG, thread_for, upload
    from jobunivers.jobs.tests.factories import JobPostingFactory
    from jobunivers.segmentation.tests.factories import decision, register_data, suggestion
    from jobunivers.taxonomy.tests.factories import OccupationFactory, SkillFactory
    from jobunivers.tenancy.roles import Role

    settings.PRIVATE_MEDIA_ROOT = media
    settings.CPR_HASH_KEY = "the-hash-key-of-this-test-never-changes"
    home, adviser = world.home, world.users[Role.JOB_ADVISER]
    signed_in = [citizen_sign_in(provider="test", cpr=cpr, municipality_id=home.pk, assurance_level="substantial")
                 for cpr in ("0101901234", "1503851111")]
    citizen = Citizen.all_tenants.get(user=world.users[Role.CITIZEN])
    with tenant_context(home):
        citizens.cv_upload(actor=citizen.user, citizen=citizen,
                           uploaded_file=SimpleUploadedFile("cv.pdf", PDF + b"mit CV " * 50))
        thread_for(citizen, attachments=[upload("billede.png", PNG), upload("attest.pdf", PDF)])
        for number in range(30):
            access_log_record(actor=adviser, municipality_id=home.pk, citizen_id=citizen.pk, action="read",
                              purpose="help", what=f"citizen overview {number}")
        access_log_record(actor=adviser, municipality_id=world.other.pk, citizen_id=None, action="search",
                          purpose="help", what="citizen search", criterion="Hansen")
    OccupationFactory.create_batch(3)
    SkillFactory.create_batch(3)
    JobPostingFactory.create_batch(5)
    CaseNoteFactory(citizen=citizen, author=adviser)
    ConversationFactory(citizen=citizen, summoned_by=adviser)
    register_data(citizen)
    decision(suggestion(citizen), by=world.users[Role.PERSONAL_CONSULTANT], level=2, reason="Skift af spor")
    policy(home)
    hours(home, adviser)
    return signed_in


def test_a_restored_backup_holds_the_same_rows_files_chain_and_cpr_numbers(world, tmp_path, settings, restored_name):
    # given a database and private files with data from most apps
    from jobunivers.accounts.models import CitizenIdentity

    media = tmp_path / "private"
    _fill(world, media, settings)
    before = _all_rows(connection.settings_dict["NAME"])
    files_before = {p.relative_to(media).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                    for p in media.rglob("*") if p.is_file()}
    assert len(files_before) == 3  # the CV and two attachments
    assert len(before["audit_accesslogentry"]) == 31
    # when backed up, and restored into a new database and an empty folder
    call_command("backup", "--output", str(tmp_path / "backups"))
    (backup,) = (tmp_path / "backups").iterdir()
    assert stat.S_IMODE(backup.stat().st_mode) == 0o700
    assert sorted(p.name for p in backup.iterdir()) == ["database.dump", "manifest.json", "private-files.tar"]
    restored_media = tmp_path / "restored-private"
    call_command("restore", str(backup), "--database-url", _url(restored_name), "--create-database",
                 "--files-to", str(restored_media))
    # then every table has the same rows
    after = _all_rows(restored_name)
    assert sorted(after) == sorted(before)
    assert {t: len(rows) for t, rows in after.items()} == {t: len(rows) for t, rows in before.items()}
    assert after == before
    # and the private files are byte for byte the same
    files_after = {p.relative_to(restored_media).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                   for p in restored_media.rglob("*") if p.is_file()}
    assert files_after == files_before
    # and on the restored database the access log's chain verifies and the CPR numbers decrypt
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = restored_name
    try:
        call_command("audit_verify_chain")
        call_command("restore", str(backup), "--verify-only")
        assert sorted(i.cpr_masked() for i in CitizenIdentity.objects.all()) == ["010190-xxxx", "150385-xxxx"]
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
    # and a second restore into the now filled database is refused before anything is written
    with pytest.raises(CommandError, match=f"The target database {restored_name} already has {len(before)} tables; "
                                           "restore only into a new, empty database"):
        call_command("restore", str(backup), "--database-url", _url(restored_name),
                     "--files-to", str(tmp_path / "third"))
    assert _all_rows(restored_name) == before
    assert not (tmp_path / "third").exists()
