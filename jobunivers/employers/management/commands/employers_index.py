"""Link every posting not yet linked to its employer organisation (run once after deploying issue 20; the
scheduled task `employers.index_missing_postings` keeps it so)."""

from django.core.management.base import BaseCommand

from jobunivers.employers.services import organisations_index_missing


class Command(BaseCommand):
    help = "Link postings to their employer organisations (by CVR, else by normalised name)."

    def handle(self, *args, **options):
        linked = organisations_index_missing()
        self.stdout.write(f"linked {linked} postings to their employers")
