from django.core.management.base import BaseCommand, CommandError

from jobunivers.jobs.synthetic import generate_postings


class Command(BaseCommand):
    help = "Generate realistic synthetic job postings (marked synthetic), e.g. for demos and benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--embed", action="store_true", help="compute embeddings now (slow: ~10 ms per posting)")

    def handle(self, *args, count, seed, embed=False, **options):
        if count < 1:
            raise CommandError("--count must be at least 1")
        try:
            report = generate_postings(count=count, seed=seed, embed=embed)
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(report.summary())
