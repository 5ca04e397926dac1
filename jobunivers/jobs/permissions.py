"""Who may change a posting: employers, only their own organisation's postings from the interface."""

from jobunivers.tenancy.roles import Role

from .models import JobPosting, PostingStatus


def can_edit_posting(membership, posting: JobPosting) -> bool:
    return (
        membership is not None
        and membership.role == Role.EMPLOYER
        and bool(membership.organisation)
        and posting.owner_organisation == membership.organisation
        and posting.status != PostingStatus.WITHDRAWN
    )
