"""Import register-style data (DFDG extract) for one municipality: all or nothing.

    manage.py segmentation_import_register --municipality aarhus FILE.csv
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from jobunivers.core.errors import ValidationFailed
from jobunivers.segmentation.services import REGISTER_COLUMNS, register_data_import
from jobunivers.tenancy.models import Municipality


class Command(BaseCommand):
    help = "Import register data for citizens of one municipality. Columns: " + ", ".join(REGISTER_COLUMNS)

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help="URL name (slug) of the municipality")
        parser.add_argument("file")

    def handle(self, *args, municipality, file, **options):
        found = Municipality.objects.filter(slug=municipality).first()
        if found is None:
            raise CommandError(_("No municipality is called %(slug)s.") % {"slug": municipality})
        try:
            with open(file, encoding="utf-8-sig") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(_("The file could not be read: %(error)s") % {"error": error}) from None
        try:
            report = register_data_import(municipality_id=found.pk, text=text)
        except ValidationFailed as error:
            raise CommandError("\n".join(m for ms in error.messages.values() for m in ms)) from None
        self.stdout.write(_("Register data: %(c)s created, %(u)s updated.") % {"c": report.created, "u": report.updated})
