"""manage.py restore DIR: into a new, empty database and private-files folder, after checking the backup."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jobunivers.backup.manifest import BackupRefused
from jobunivers.backup.services import backup_restore, backup_verify


class Command(BaseCommand):
    help = ("Restore a backup made by manage.py backup. Checks checksums, versions and CPR key fingerprints "
            "first; writes only into an empty database and an empty private-files folder.")

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="the backup directory (holds manifest.json)")
        parser.add_argument("--database-url", help="target database (default: DATABASE_URL)")
        parser.add_argument("--create-database", action="store_true", help="create the target database first")
        parser.add_argument("--files-to", type=Path, help="private files folder (default: PRIVATE_MEDIA_ROOT)")
        parser.add_argument("--verify-only", action="store_true",
                            help="only check the backup (checksums, versions, keys); restore nothing")

    def handle(self, *args, directory, database_url=None, create_database=False, files_to=None,
               verify_only=False, **options):
        if verify_only:
            try:
                manifest = backup_verify(directory=directory)
            except BackupRefused as refusal:
                raise CommandError(str(refusal)) from refusal
            database = manifest["database"]
            self.stdout.write(self.style.SUCCESS(
                f"backup of {manifest['created_at']} is whole and restorable here: "
                f"{len(database['tables'])} tables, {sum(database['tables'].values())} rows, "
                f"{manifest['private_files']['count']} private files, keys present"))
            return
        try:
            report = backup_restore(directory=directory, database_url=database_url,
                                    create_database=create_database, files_to=files_to)
        except BackupRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(f"database {report.database}: {report.tables} tables, {report.rows} rows, "
                          "row counts as in the manifest")
        self.stdout.write(f"private files: {report.files}, each matching its checksum")
        if report.pending_migrations:
            self.stdout.write(self.style.WARNING(
                f"{len(report.pending_migrations)} migration(s) newer than the backup: run manage.py migrate"))
        self.stdout.write(self.style.SUCCESS("restored; verify with manage.py audit_verify_chain"))
