"""Personal data in the jobs app: which employer user created a posting, and which employer
organisation a person's employer account acts for.

Postings themselves are public ads of an organisation; only the link to the person who
created them is personal. Erasure removes the link and keeps the organisation's ad. An employer
account is the person's link to the organisation: erased. The employer record is the
organisation's (name and CVR number); it is exported to the people who act for it and erased
with the last of them when no posting hangs on it (a sole trader's firm name can name a person).
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobunivers.audit.privacy import register_personal_data, shown_as

from .models import Employer, EmployerAccount, JobPosting


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


def _accounts_of(user):
    return EmployerAccount.objects.filter(membership__user=user).select_related("employer")


def _export_employer_accounts(user):
    return [{"employer": account.employer.name, "cvr": account.employer.cvr or ""}
            for account in _accounts_of(user).order_by("pk")]


def _erase_employer_accounts(user):
    EmployerAccount.objects.filter(membership__user=user).delete()


def _export_employers(user):
    return [{"name": employer.name, "cvr": employer.cvr or "", "created": employer.created_at.isoformat()}
            for employer in Employer.objects.filter(accounts__membership__user=user).distinct().order_by("pk")]


def _erase_employers(user):
    """Employers only this user acts for and no posting hangs on (their accounts go with them)."""
    for employer in Employer.objects.filter(accounts__membership__user=user).distinct():
        others = employer.accounts.exclude(membership__user=user).exists()
        if not others and not JobPosting.objects.filter(owner_employer=employer).exists():
            employer.accounts.all().delete()
            employer.delete()


register_personal_data(Employer, category=_("Employers you act for"), purpose="help",
                       export=_export_employers, erase=_erase_employers,
                       fields={"name": shown_as(Employer, "name"), "cvr": shown_as(Employer, "cvr"),
                               "created": shown_as(Employer, "created_at")},
                       keep_reason=_("An employer that others act for, or that has job postings, stays as the "
                                     "organisation's record; only your link to it is removed."))
register_personal_data(EmployerAccount, category=_("Your employer accounts"), purpose="help",
                       export=_export_employer_accounts, erase=_erase_employer_accounts,
                       fields={"employer": shown_as(EmployerAccount, "employer"),
                               "cvr": shown_as(Employer, "cvr")})
