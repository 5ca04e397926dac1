from pathlib import Path

from django.conf import settings

from jobunivers.core.demo import register

from .services import import_from_location
from .synthetic import generate_postings

DEMO_POSTINGS = 3000


def demo_cvr(number: int) -> str:
    """The number-th valid CVR number from 30000000 (modulus 11), for demo employers."""
    from .validation import cvr_is_valid

    candidate, found = 30_000_000, -1
    while True:
        if cvr_is_valid(str(candidate)):
            found += 1
            if found == number:
                return str(candidate)
        candidate += 1


@register("employers", order=51)
def link_employers(*, rng, stdout):
    """Demo employer memberships act for an employer record (ownership is by record, not by name)."""
    from jobunivers.tenancy.models import Membership
    from jobunivers.tenancy.roles import Role

    from .models import EmployerAccount
    from .services import employer_link

    linked = set(EmployerAccount.objects.values_list("membership_id", flat=True))
    memberships = Membership.objects.filter(role=Role.EMPLOYER).exclude(organisation="").exclude(pk__in=linked)
    for number, membership in enumerate(memberships.order_by("pk")):
        employer_link(membership=membership, name=membership.organisation, cvr=demo_cvr(number))
    stdout.write(f"  jobs: {memberships.count()} employer memberships linked to employers")


@register("jobs", order=50)
def load(*, rng, stdout):
    report = generate_postings(count=DEMO_POSTINGS, seed=2026, embed=False)
    stdout.write(f"  jobs: {report.summary()}")
    sample = Path(settings.REFERENCE_DATA_DIR) / "jobads" / "jobtech_search_results_sample.json"
    if sample.exists():
        stdout.write(f"  jobs: {import_from_location(source='jobtech', location=str(sample), embed=False).summary()}")
