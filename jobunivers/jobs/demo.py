from pathlib import Path

from django.conf import settings

from jobunivers.core.demo import register

from .services import import_from_location
from .synthetic import generate_postings

DEMO_POSTINGS = 3000


@register("jobs", order=50)
def load(*, rng, stdout):
    report = generate_postings(count=DEMO_POSTINGS, seed=2026, embed=False)
    stdout.write(f"  jobs: {report.summary()}")
    sample = Path(settings.REFERENCE_DATA_DIR) / "jobads" / "jobtech_search_results_sample.json"
    if sample.exists():
        stdout.write(f"  jobs: {import_from_location(source='jobtech', location=str(sample), embed=False).summary()}")
