from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from jobunivers.core.errors import ValidationFailed
from jobunivers.jobs.services import import_from_location
from jobunivers.jobs.sources import registry


class Command(BaseCommand):
    help = "Import job postings from a file or http(s) URL: --source jobtech | jsonld | csv (see docs/jobs.md)."

    def add_arguments(self, parser):
        parser.add_argument("location", help="a file path or an http(s) URL")
        parser.add_argument("--source", required=True, help=f"feed format: {', '.join(registry.names())}")
        parser.add_argument("--no-embed", action="store_true", help="skip computing embeddings (a task catches up)")

    def handle(self, *args, location, source, no_embed=False, **options):
        try:
            report = import_from_location(source=source, location=location, embed=not no_embed)
        except ValidationFailed as error:
            raise CommandError(_("%(error)s (nothing was imported)") % {"error": error}) from error
        for position, reason in report.errors:
            self.stderr.write(_("skipped %(position)s: %(reason)s") % {"position": position, "reason": reason})
        self.stdout.write(report.summary())
