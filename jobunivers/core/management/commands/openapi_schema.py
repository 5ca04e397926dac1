import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Write the OpenAPI schema to a file, or with --check fail if the committed file has drifted."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default="docs/openapi.json")
        parser.add_argument("--check", action="store_true")

    def handle(self, *args, path, check, **options):
        from config.api import api

        schema = json.dumps(api.get_openapi_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        target = Path(path)
        if check:
            if not target.exists() or target.read_text(encoding="utf-8") != schema:
                raise CommandError(f"{target} is out of date: run 'make openapi' and commit it.")
            self.stdout.write("OpenAPI schema is up to date")
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(schema, encoding="utf-8")
        sys.stdout.write(f"wrote {target}\n")
