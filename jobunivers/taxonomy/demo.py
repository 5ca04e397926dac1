from pathlib import Path

from django.conf import settings

from jobunivers.core.demo import register

from .services import postcodes_import


@register("postcodes", order=20)
def load(*, rng, stdout):
    path = Path(settings.REFERENCE_DATA_DIR) / "geo" / "postcodes.csv"
    report = postcodes_import(text=path.read_text(encoding="utf-8"), file_format="csv")
    stdout.write(f"  postcodes: {report.created} created, {report.updated} updated")
