"""Personal data in the jobs app: which employer user created a posting.

Postings themselves are public ads of an organisation; only the link to the person who
created them is personal. Erasure removes the link and keeps the organisation's ad.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobunivers.audit.privacy import register_personal_data, shown_as

from .models import JobPosting


def _export_postings(user):
    return [{"title": p.title, "organisation": p.owner_organisation, "status": p.status,
             "published": p.published_at.isoformat(), "changed": p.changed_at.isoformat()}
            for p in JobPosting.objects.filter(owner=user).order_by("published_at")]


def _erase_owner(user):
    JobPosting.objects.filter(owner=user).update(owner=None, updated_at=timezone.now())


register_personal_data(JobPosting, category=_("Job postings you created as an employer"), purpose="help",
                       export=_export_postings, erase=_erase_owner,
                       fields={"organisation": shown_as(JobPosting, "owner_organisation"),
                               "published": shown_as(JobPosting, "published_at"),
                               "changed": shown_as(JobPosting, "changed_at")},
                       keep_reason=_("The postings stay as your organisation's public job ads; only the link "
                                     "to you is removed."))
