from pathlib import Path

from django.conf import settings

from jobunivers.core.demo import register

from .selectors import embed_occupations
from .services import danish_titles_import, esco_import, postcodes_import


@register("postcodes", order=20)
def load(*, rng, stdout):
    path = Path(settings.REFERENCE_DATA_DIR) / "geo" / "postcodes.csv"
    report = postcodes_import(text=path.read_text(encoding="utf-8"), file_format="csv")
    stdout.write(f"  postcodes: {report.created} created, {report.updated} updated")


@register("esco", order=25)
def load_esco(*, rng, stdout):
    report = esco_import(directory=Path(settings.REFERENCE_DATA_DIR) / "esco")
    titles = danish_titles_import()
    stdout.write(f"  ESCO: {report.summary()}; Danish job titles: {titles}")
    # Occupation vectors make Danish look-ups work at once; skill vectors are computed
    # later by `manage.py embed_skills` (a few minutes), so the demo stays quick.
    stdout.write(f"  occupation vectors: {embed_occupations()}")
