from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jobunivers.core.errors import ValidationFailed
from jobunivers.taxonomy.selectors import embed_occupations, embed_skills
from jobunivers.taxonomy.services import danish_titles_import, esco_import


class Command(BaseCommand):
    help = ("Import ESCO from a directory of CSV files: the official ESCO download (any language) or the "
            "Tabiya conversion in the shared reference data. Upserts on URI; missing concepts become deprecated.")

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", default=None)
        parser.add_argument("--keep-missing", action="store_true", help="do not deprecate concepts absent from the files")
        parser.add_argument("--embed", choices=["none", "occupations", "all"], default="none",
                            help="compute and cache semantic-search vectors after the import")

    def handle(self, *args, directory=None, keep_missing=False, embed="none", **options):
        path = Path(directory) if directory else Path(settings.REFERENCE_DATA_DIR) / "esco"
        try:
            report = esco_import(directory=path, deprecate_missing=not keep_missing)
        except ValidationFailed as error:
            raise CommandError(str(error)) from error
        for line in report.skipped[:50]:
            self.stderr.write(f"skipped {line}")
        if len(report.skipped) > 50:
            self.stderr.write(f"... and {len(report.skipped) - 50} more")
        titles = danish_titles_import()
        self.stdout.write(f"ESCO: {report.summary()}; Danish job titles: {titles}")
        if embed in {"occupations", "all"}:
            self.stdout.write(f"occupation vectors: {embed_occupations()}")
        if embed == "all":
            self.stdout.write(f"skill vectors: {embed_skills()}")
