"""Demo data for advice: every demo citizen's diagnosis as the weekly run stores it, so the staff page of
module statistics and the cue card show figures from the first start (the run takes about a second for the
demo's citizens; it repeats at each start, as the weekly run would)."""

from jobunivers.core.demo import register


@register("advice_diagnoses", order=98, every_run=True)  # after the postings and the hidden job market
def load(*, rng, stdout):
    from .tasks import diagnoses_recompute_all

    stdout.write(f"  advice: {diagnoses_recompute_all()} diagnoses stored")
