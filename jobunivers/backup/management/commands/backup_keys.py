"""manage.py backup_keys --output FILE: the CPR keys in a file of their own, kept apart from the backups."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jobunivers.backup.manifest import BackupRefused
from jobunivers.backup.services import backup_keys_write


class Command(BaseCommand):
    help = "Write the CPR keys to a new file (mode 600). Store it apart from the backups (docs/operations.md)."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, type=Path)

    def handle(self, *args, output, **options):
        try:
            fingerprints = backup_keys_write(path=output)
        except BackupRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(f"keys written to {output}: hash key {fingerprints['cpr_hash_key']}, encryption keys "
                          f"{', '.join(fingerprints['cpr_encryption_keys'])}")
