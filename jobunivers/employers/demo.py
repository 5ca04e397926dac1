"""Demo data: link the demo postings to their employer organisations (idempotent: only unlinked postings)."""

from jobunivers.core.demo import register


@register("employer_organisations", order=55, every_run=True)
def load(*, rng, stdout):
    from .services import organisations_index_missing

    linked = organisations_index_missing()
    if linked:
        stdout.write(f"  linked {linked} postings to their employers\n")
