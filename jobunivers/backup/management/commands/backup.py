"""manage.py backup --output DIR: the database and the private files, with a manifest (docs/operations.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jobunivers.backup.manifest import BackupRefused
from jobunivers.backup.services import backup_create


class Command(BaseCommand):
    help = "Back up the PostgreSQL database and the private files into a new directory under --output."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, type=Path, help="folder to put the backup directory in")
        parser.add_argument("--database", default="default", help="database alias (default: default)")

    def handle(self, *args, output, database, **options):
        try:
            directory = backup_create(output=output, alias=database)
        except BackupRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(self.style.SUCCESS(f"backup written to {directory}"))
        self.stdout.write(str(directory))
