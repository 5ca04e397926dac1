"""Load a register file of unemployment spells for one municipality (docs/outcomes-import.md).

    manage.py import_outcomes --municipality aarhus spells.csv
    manage.py import_outcomes --municipality aarhus --format json spells.json

All or nothing: with any bad row nothing is written and every error is printed with its line, in Danish.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from jobunivers.analytics.importing import FORMATS
from jobunivers.analytics.services import outcomes_import
from jobunivers.core.errors import ValidationFailed


class Command(BaseCommand):
    help = "Import spells of unemployment from the register (CSV or JSON) for one municipality, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--municipality", required=True, help="The municipality's slug or code.")
        parser.add_argument("--format", choices=FORMATS, help="csv or json (default: from the file name).")
        parser.add_argument("--language", default="da")

    def handle(self, *args, **options):
        from jobunivers.core.errors import NotFound
        from jobunivers.tenancy.selectors import (
            get_municipality,
            get_municipality_by_code,
            municipality_id_for_slug,
        )

        with translation.override(options["language"]):
            found = municipality_id_for_slug(options["municipality"])
            try:
                municipality = (get_municipality(municipality_id=found) if found is not None
                                else get_municipality_by_code(code=options["municipality"]))
            except NotFound:
                raise CommandError(translation.gettext("There is no municipality %(name)s.")
                                   % {"name": options["municipality"]}) from None
            path = Path(options["path"])
            file_format = options["format"] or path.suffix.lstrip(".").lower()
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(translation.gettext("The file could not be read: %(error)s")
                                   % {"error": error}) from None
            try:
                report = outcomes_import(municipality_id=municipality.pk, text=text, file_format=file_format)
            except ValidationFailed as error:
                lines = [text for texts in error.messages.values() for text in texts]
                raise CommandError("\n".join([translation.gettext("Nothing was imported. Correct the file:"), *lines])) from None
            self.stdout.write(translation.gettext("Imported: %(created)s new spells, %(updated)s updated.")
                              % {"created": report.created, "updated": report.updated})
