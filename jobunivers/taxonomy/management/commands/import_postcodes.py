from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jobunivers.core.errors import ValidationFailed
from jobunivers.taxonomy.services import postcodes_import


class Command(BaseCommand):
    help = "Import postcodes: the project CSV (postcode,name,lat,lon,municipality_code) or DAWA's /postnumre JSON."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=None)
        parser.add_argument("--format", choices=["csv", "dawa"], default=None)

    def handle(self, *args, path=None, format=None, **options):
        file_path = Path(path) if path else Path(settings.REFERENCE_DATA_DIR) / "geo" / "postcodes.csv"
        if not file_path.exists():
            raise CommandError(f"File not found: {file_path}")
        file_format = format or ("dawa" if file_path.suffix.lower() == ".json" else "csv")
        try:
            report = postcodes_import(text=file_path.read_text(encoding="utf-8-sig"), file_format=file_format)
        except (ValidationFailed, UnicodeDecodeError) as error:
            raise CommandError(str(error)) from error
        for line in report.skipped:
            self.stderr.write(f"skipped {line}")
        self.stdout.write(f"postcodes: {report.created} created, {report.updated} updated, {len(report.skipped)} skipped")
