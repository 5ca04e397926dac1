from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jobunivers.core.errors import ValidationFailed
from jobunivers.tenancy.services import municipalities_import


class Command(BaseCommand):
    help = "Import the municipalities: the project CSV (code,name,region,lat,lon) or DAWA's /kommuner JSON."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=None,
            help="File to import (default: the shared reference data's geo/municipalities.csv)",
        )
        parser.add_argument("--format", choices=["csv", "dawa"], default=None)

    def handle(self, *args, path=None, format=None, **options):
        file_path = Path(path) if path else Path(settings.REFERENCE_DATA_DIR) / "geo" / "municipalities.csv"
        if not file_path.exists():
            raise CommandError(f"File not found: {file_path}")
        file_format = format or ("dawa" if file_path.suffix.lower() == ".json" else "csv")
        try:
            report = municipalities_import(text=file_path.read_text(encoding="utf-8-sig"), file_format=file_format)
        except (ValidationFailed, UnicodeDecodeError) as error:
            raise CommandError(str(error)) from error
        for line in report.skipped:
            self.stderr.write(f"skipped {line}")
        self.stdout.write(f"municipalities: {report.created} created, {report.updated} updated, "
                          f"{len(report.skipped)} skipped")
