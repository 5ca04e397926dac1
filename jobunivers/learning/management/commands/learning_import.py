"""Load learning modules: the national library from the data files, or one municipality's own modules.

    manage.py learning_import                                   # the national library (data/modules/*.toml)
    manage.py learning_import --municipality aarhus FILE [...]  # Aarhus's own modules (same format)

A municipality's files replace its own modules: a local module missing from them is withdrawn.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jobunivers.learning.content import ModuleFileError, load_modules, parse_file
from jobunivers.learning.services import modules_import


class Command(BaseCommand):
    help = "Load the national learning modules, or a municipality's own modules from TOML files."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="TOML files of a municipality's own modules")
        parser.add_argument("--municipality", help="the municipality's slug (for its own modules)")

    def handle(self, *args, files=(), municipality=None, **options):
        from jobunivers.tenancy.selectors import municipality_id_for_slug

        try:
            if municipality:
                found = municipality_id_for_slug(municipality)
                if found is None:
                    raise CommandError(f"no municipality with the slug {municipality!r}")
                if not files:
                    raise CommandError("give the module files of the municipality")
                modules = [parse_file(Path(name)) for name in files]
                report = modules_import(modules=modules, municipality_id=found)
            else:
                if files:
                    raise CommandError("files are only for a municipality's own modules (--municipality)")
                report = modules_import(modules=load_modules())
        except (ModuleFileError, OSError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(", ".join(f"{k} {v}" for k, v in report.items()))
