from pathlib import Path

from django.conf import settings

from jobunivers.core.demo import register

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
    # Occupation vectors (about 3,000 texts, a couple of minutes on two cores) are computed by
    # the background worker that `make run` starts, so the site is up at once; until they are
    # cached, look-ups use labels and the project's Danish titles. Skill vectors: `embed_skills`.
    from django.db import transaction

    from .tasks import embed_occupations

    transaction.on_commit(embed_occupations.delay)
    stdout.write("  occupation vectors: queued for the background worker")
