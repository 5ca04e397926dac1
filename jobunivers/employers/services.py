"""Writes of employers: the organisations index from the postings, a citizen's follows, and an
unsolicited application logged in the citizen's job log in one step.

A citizen acts only for themselves (citizens.permissions.is_owner); an unknown employer or occupation
field is refused with a Danish message and nothing is written.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobunivers.citizens import permissions as citizen_permissions
from jobunivers.citizens.services import job_log_entry_add
from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.jobs import selectors as jobs
from jobunivers.taxonomy import selectors as taxonomy

from .models import Follow, FollowKind, Organisation, OrganisationPosting
from .naming import clean_cvr, organisation_key

INDEX_BATCH = 2000


# --- the organisations index ----------------------------------------------------------------------------

def organisations_index(*, posting_ids) -> int:
    """Link postings to their organisation (created when new) and copy the facts the score needs.
    Idempotent: a changed posting (new employer name, occupation or place) is linked anew. Returns the
    number of postings linked."""
    ids = sorted({int(i) for i in posting_ids})
    linked = 0
    for start in range(0, len(ids), INDEX_BATCH):
        linked += _index_batch(ids[start:start + INDEX_BATCH])
    return linked


def _index_batch(ids: list[int]) -> int:
    rows = list(jobs.readable_postings().filter(pk__in=ids).values_list(
        "id", "employer_cvr", "employer_name", "published_at", "occupation_id", "isco_code", "municipality_code",
        "latitude", "longitude"))
    keyed = [(organisation_key(cvr=row[1], name=row[2]), row) for row in rows]
    keyed = [(key, row) for key, row in keyed if key]
    if not keyed:
        return 0
    latest: dict[str, tuple] = {}
    for key, row in keyed:
        if key not in latest or row[3] > latest[key][3]:
            latest[key] = row
    with transaction.atomic():
        Organisation.objects.bulk_create(
            [Organisation(key=key, name=row[2].strip()[:255] or key, cvr=clean_cvr(row[1]), last_posted_at=row[3])
             for key, row in latest.items()], ignore_conflicts=True, batch_size=500)
        organisations = {o.key: o for o in Organisation.objects.filter(key__in=list(latest))}
        changed = []
        for key, row in latest.items():
            organisation = organisations[key]
            if organisation.last_posted_at is None or row[3] >= organisation.last_posted_at:
                organisation.name = row[2].strip()[:255] or organisation.name
                organisation.last_posted_at = row[3]
                changed.append(organisation)
        Organisation.objects.bulk_update(changed, ["name", "last_posted_at"], batch_size=500)
        OrganisationPosting.objects.bulk_create(
            [OrganisationPosting(posting_id=row[0], organisation=organisations[key], published_at=row[3],
                                 occupation_id=row[4], isco_code=row[5] or "", municipality_code=row[6] or "",
                                 latitude=row[7], longitude=row[8]) for key, row in keyed],
            update_conflicts=True, unique_fields=["posting"],
            update_fields=["organisation", "published_at", "occupation", "isco_code", "municipality_code",
                           "latitude", "longitude"], batch_size=500)
    return len(keyed)


def organisations_index_missing(*, batch_size: int = INDEX_BATCH, limit: int | None = None) -> int:
    """Readable postings not linked yet (the back catalogue, or a handler that failed), at most `limit`."""
    total = 0
    while limit is None or total < limit:
        done = OrganisationPosting.objects.values("posting_id")
        ids = list(jobs.readable_postings().exclude(pk__in=done).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return total
        linked = _index_batch(ids)
        total += linked
        if linked < len(ids):  # postings without any employer name: never linkable, stop instead of looping
            return total
    return total


def on_postings_published(event) -> None:
    """Handler of jobs' PostingsPublished (wired in config/events.py): index the write's postings."""
    organisations_index(posting_ids=[*event.created_ids, *event.changed_ids])


# --- follows --------------------------------------------------------------------------------------------

def _require_owner(actor, citizen) -> None:
    if not citizen_permissions.is_owner(actor, citizen):
        raise NotFound


def _follow(citizen, *, notify: bool, **target) -> tuple[Follow, bool]:
    """The citizen's follow of `target` (kind and employer or field), made when missing: (follow, made)."""
    existing = Follow.objects.filter(citizen=citizen, **target).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            follow = Follow.objects.create(municipality_id=citizen.municipality_id, citizen=citizen,
                                           notify=bool(notify), **target)
    except IntegrityError:  # a second tab followed at the same moment
        return Follow.objects.get(citizen=citizen, **target), False
    return follow, True


def follow_employer(*, actor, citizen, organisation_id, notify: bool = True) -> tuple[Follow, bool]:
    """Follow an employer; following it again changes nothing (returns the follow and False)."""
    _require_owner(actor, citizen)
    try:
        organisation = Organisation.objects.get(pk=int(organisation_id))
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise ValidationFailed(_("We do not know that employer.")) from None
    return _follow(citizen, notify=notify, kind=FollowKind.EMPLOYER, organisation=organisation)


def follow_occupation_field(*, actor, citizen, isco_code: str, notify: bool = True) -> tuple[Follow, bool]:
    """Follow an occupation field: an ISCO-08 group (1 to 4 digits) that the taxonomy knows."""
    _require_owner(actor, citizen)
    code = (isco_code or "").strip()
    if not (code.isdigit() and 1 <= len(code) <= 4) or taxonomy.get_isco_group(code=code) is None:
        raise ValidationFailed(_("Choose an occupation field from the list."))
    return _follow(citizen, notify=notify, kind=FollowKind.OCCUPATION_FIELD, isco_code=code)


def follow_set_notify(*, actor, citizen, follow: Follow, notify: bool) -> Follow:
    _require_owner(actor, citizen)
    if follow.citizen_id != citizen.pk:
        raise NotFound
    Follow.objects.filter(pk=follow.pk).update(notify=bool(notify), updated_at=timezone.now())
    follow.notify = bool(notify)
    return follow


def unfollow(*, actor, citizen, follow: Follow) -> None:
    _require_owner(actor, citizen)
    if follow.citizen_id != citizen.pk:
        raise NotFound
    Follow.objects.filter(pk=follow.pk).delete()


# --- unsolicited applications ---------------------------------------------------------------------------

def unsolicited_application_log(*, actor, citizen, organisation_id, occupation_id: int | None = None):
    """Log an unsolicited application to the employer in the citizen's job log, dated today."""
    _require_owner(actor, citizen)
    try:
        organisation = Organisation.objects.get(pk=int(organisation_id))
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise ValidationFailed(_("We do not know that employer.")) from None
    label = taxonomy.occupation_labels([occupation_id]).get(occupation_id) if occupation_id else None
    title = (_("Unsolicited application as %(occupation)s") % {"occupation": label} if label
             else _("Unsolicited application"))
    return job_log_entry_add(actor=actor, citizen=citizen, employer=organisation.name[:200], job_title=title[:200],
                             occurred_on=timezone.localdate(), kind="application",
                             notes=_("Logged from “Employers likely to hire”."))
