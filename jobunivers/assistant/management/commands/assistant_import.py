"""Load the national answer cards from jobunivers/assistant/data/cards/*.toml (vectors computed here)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jobunivers.assistant.cards import CARDS_DIR, CardFileError, load_cards
from jobunivers.assistant.services import cards_import


class Command(BaseCommand):
    help = "Import the national answer cards of the assistant from the data files."

    def add_arguments(self, parser):
        parser.add_argument("--directory", default=str(CARDS_DIR))
        parser.add_argument("--keep-missing", action="store_true", help="Do not withdraw cards missing from the files.")

    def handle(self, *args, **options):
        try:
            cards = load_cards(Path(options["directory"]))
        except CardFileError as error:
            raise CommandError(str(error)) from error
        report = cards_import(cards=cards, withdraw_missing=not options["keep_missing"])
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in report.items()))
