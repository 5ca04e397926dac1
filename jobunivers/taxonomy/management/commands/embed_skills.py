from django.core.management.base import BaseCommand

from jobunivers.taxonomy.selectors import embed_skills


class Command(BaseCommand):
    help = "Compute and cache the semantic-search vectors of all ESCO skills (a few minutes; resumable)."

    def handle(self, *args, **options):
        self.stdout.write(f"skill vectors: {embed_skills(progress=self.stdout.write)}")
