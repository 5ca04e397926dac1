import random

from django.core.management.base import BaseCommand
from django.db import transaction

from jobunivers.core.demo import contributors
from jobunivers.core.models import DemoDataLoad

DEMO_SEED = 20261122


class Command(BaseCommand):
    help = "Load demo data (municipalities, personas, citizens, ...). Idempotent: each part runs once."

    def add_arguments(self, parser):
        parser.add_argument("--only", nargs="*", help="Run only these contributors")

    def handle(self, *args, only=None, **options):
        done = set(DemoDataLoad.objects.values_list("name", flat=True))
        for contributor in contributors():
            if only and contributor.name not in only:
                continue
            if contributor.every_run:
                rng = random.Random(f"{DEMO_SEED}:{contributor.name}")
                with transaction.atomic():
                    contributor.run(rng=rng, stdout=self.stdout)
                self.stdout.write(f"demo: {contributor.name} reset")
                continue
            if contributor.name in done:
                self.stdout.write(f"demo: {contributor.name} already loaded")
                continue
            # A fixed seed per contributor keeps the demo the same on every machine.
            rng = random.Random(f"{DEMO_SEED}:{contributor.name}")
            with transaction.atomic():
                contributor.run(rng=rng, stdout=self.stdout)
                DemoDataLoad.objects.create(name=contributor.name)
            self.stdout.write(f"demo: {contributor.name} loaded")
