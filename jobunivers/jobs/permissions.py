"""Who may change a posting: people acting for the employer organisation that owns it (jobs.Employer),
never a match on a free-text organisation name."""

from jobunivers.tenancy.roles import Role

from .models import EmployerAccount, JobPosting, PostingStatus


def employer_id_of(membership) -> int | None:
    """The employer organisation an employer membership acts for, or None."""
    if membership is None or getattr(membership, "role", None) != Role.EMPLOYER or not getattr(membership, "pk", None):
        return None
    cached = getattr(membership, "_jobs_employer_id", False)
    if cached is not False:
        return cached
    employer_id = EmployerAccount.objects.filter(membership_id=membership.pk).values_list("employer_id", flat=True).first()
    membership._jobs_employer_id = employer_id
    return employer_id


def can_view_own_posting(membership, posting: JobPosting) -> bool:
    employer_id = employer_id_of(membership)
    return employer_id is not None and posting.owner_employer_id == employer_id


def can_edit_posting(membership, posting: JobPosting) -> bool:
    return can_view_own_posting(membership, posting) and posting.status != PostingStatus.WITHDRAWN
