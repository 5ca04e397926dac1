"""Demo data for availability checks: every demo citizen gets a state, and is told as usual."""

from jobunivers.core.demo import register
from jobunivers.tenancy.models import Municipality

from .services import statuses_refresh


@register("availability", order=90)
def load(*, rng, stdout):
    created = notices = 0
    for municipality in Municipality.objects.filter(is_demo=True).order_by("code"):
        report = statuses_refresh(municipality_id=municipality.pk)
        created += report.created
        notices += report.notices
    stdout.write(f"  availability: {created} statuses, {notices} notices")
