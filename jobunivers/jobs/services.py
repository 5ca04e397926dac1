"""Writes of job postings: feed imports (upsert on source + external id), employers' own postings,
expiry, and the embeddings kept current when a posting changes.

Every change publishes a typed event from jobs.contracts on commit.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.core.events import publish_on_commit
from jobunivers.taxonomy import selectors as taxonomy

from . import catalogue
from .contracts import (
    PostingChanged,
    PostingCreated,
    PostingEmbeddingsWanted,
    PostingsPublished,
    PostingWithdrawn,
)
from .models import (
    Employer,
    EmployerAccount,
    JobImportRun,
    JobPosting,
    PostingEmbedding,
    PostingSkill,
    PostingStatus,
)
from .permissions import can_view_own_posting, employer_id_of
from .sources import FeedRecord, RecordError, registry
from .sources.base import RecordInvalid
from .sources.loading import read_location
from .stemming import stem_text
from .validation import DESCRIPTION_MAX_CHARS, clean_record, cvr_error, deadline_window, safe_url

logger = logging.getLogger(__name__)

# Fields a feed record sets on a posting (the rest are derived or owned by the platform).
RECORD_FIELDS = [
    "title", "description", "employer_name", "employer_cvr", "occupation_id", "isco_code", "address", "postcode",
    "city", "municipality_code", "latitude", "longitude", "hours", "hours_per_week", "employment_type",
    "salary_text", "positions", "application_deadline", "apply_url", "apply_email", "apply_contact",
    "published_at", "changed_at", "status", "is_synthetic", "search_text",
]
EVENT_FIELDS = {"title", "description", "occupation_id", "latitude", "longitude", "status", "application_deadline",
                "hours", "employment_type"}


def search_text_for(*, title: str, employer_name: str, description: str) -> str:
    """Danish stems for SQLite's FTS5 table (PostgreSQL computes its own vector in a trigger).

    The title is repeated so that BM25 ranks title hits above description hits, as the
    weights A/B/C do on PostgreSQL.
    """
    if connection.vendor != "sqlite":
        return ""
    title_stems = stem_text(title)
    return " ".join([title_stems, title_stems, title_stems, stem_text(employer_name), stem_text(description)])


def content_hash(posting: JobPosting) -> str:
    return hashlib.sha256(posting_embedding_text(posting).encode()).hexdigest()


def posting_embedding_text(posting: JobPosting) -> str:
    return f"{posting.title}. {posting.employer_name}. {posting.description[:1000]}"


@dataclass
class ImportReport:
    source: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    posting_ids: list[int] = field(default_factory=list)

    def summary(self) -> str:
        return _("%(source)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged, "
                 "%(withdrawn)d withdrawn, %(skipped)d skipped") % {
            "source": self.source, "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "withdrawn": self.withdrawn, "skipped": len(self.errors)}


class _Resolver:
    """Caches the taxonomy and postcode look-ups of one import."""

    def __init__(self):
        from jobunivers.taxonomy.models import DanishJobTitle, Occupation, Postcode, Skill

        self.postcodes = {p.code: p for p in Postcode.objects.all()}
        self._occupations_by_uri: dict[str, tuple[int, str] | None] = {}
        self._occupations_by_label: dict[str, tuple[int, str] | None] = {}
        self._skills: dict[str, int | None] = {}
        self.Occupation, self.Skill, self.DanishJobTitle = Occupation, Skill, DanishJobTitle

    def occupation(self, record: FeedRecord) -> tuple[int, str] | None:
        if record.occupation_uri:
            if record.occupation_uri not in self._occupations_by_uri:
                found = self.Occupation.objects.filter(uri=record.occupation_uri).values_list("id", "isco_code").first()
                self._occupations_by_uri[record.occupation_uri] = found
            if self._occupations_by_uri[record.occupation_uri]:
                return self._occupations_by_uri[record.occupation_uri]
        label = (record.occupation_label or "").strip().lower()
        if label:
            if label not in self._occupations_by_label:
                title = self.DanishJobTitle.objects.filter(search_title=label, occupation__isnull=False).values_list(
                    "occupation_id", "occupation__isco_code").first()
                found = title or self.Occupation.objects.filter(preferred_label__iexact=label).values_list("id", "isco_code").first()
                self._occupations_by_label[label] = found
            return self._occupations_by_label[label]
        return None

    def skill(self, uri: str, label: str) -> int | None:
        key = uri or f"label:{label.lower()}"
        if key not in self._skills:
            queryset = self.Skill.objects.filter(uri=uri) if uri else self.Skill.objects.filter(preferred_label__iexact=label)
            self._skills[key] = queryset.values_list("id", flat=True).first()
        return self._skills[key]


def _values(record: FeedRecord, resolver: _Resolver, now) -> dict:
    occupation = resolver.occupation(record)
    latitude, longitude = record.latitude, record.longitude
    municipality_code = record.municipality_code
    postcode = resolver.postcodes.get(record.postcode) if record.country in {"", "DK"} else None
    if postcode is not None:
        municipality_code = municipality_code or postcode.municipality_code
        if latitude is None:
            latitude, longitude = postcode.latitude, postcode.longitude
    return {
        "title": record.title, "description": record.description, "employer_name": record.employer_name,
        "employer_cvr": record.employer_cvr, "occupation_id": occupation[0] if occupation else None,
        "isco_code": (occupation[1] if occupation else "") or record.isco_code, "address": record.address,
        "postcode": record.postcode, "city": record.city or (postcode.name if postcode else ""),
        "municipality_code": municipality_code, "latitude": latitude, "longitude": longitude, "hours": record.hours,
        "hours_per_week": record.hours_per_week, "employment_type": record.employment_type,
        "salary_text": record.salary_text, "positions": record.positions,
        "application_deadline": record.application_deadline, "apply_url": record.apply_url,
        "apply_email": record.apply_email, "apply_contact": record.apply_contact,
        "published_at": record.published_at, "changed_at": record.changed_at or record.published_at or now,
        "status": record.status, "is_synthetic": record.is_synthetic,
        "search_text": search_text_for(title=record.title, employer_name=record.employer_name,
                                       description=record.description),
    }


@dataclass
class _Written:
    """What one batch of records wrote; merged into the report only when its savepoint held."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    events: list = field(default_factory=list)
    posting_ids: list[int] = field(default_factory=list)

    def add(self, other: _Written) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.withdrawn += other.withdrawn
        self.events += other.events
        self.posting_ids += other.posting_ids


def _write_batch(source: str, batch: list[FeedRecord], resolver: _Resolver, now) -> _Written:
    written = _Written()
    existing = {p.external_id: p for p in JobPosting.objects.filter(source=source,
                                                                    external_id__in=[r.external_id for r in batch])}
    to_create, to_update, skill_rows = [], [], {}
    for record in batch:
        external_id = record.external_id
        posting = existing.get(external_id)
        if record.status == "withdrawn" and not record.title:
            # A removal notice (JobTech stream): only the status changes.
            if posting is not None and posting.status == PostingStatus.ACTIVE:
                posting.status, posting.changed_at = PostingStatus.WITHDRAWN, record.changed_at or now
                to_update.append(posting)
                written.withdrawn += 1
                written.events.append(PostingWithdrawn(posting_id=posting.pk, source=source, status="withdrawn"))
            else:
                written.unchanged += 1
            continue
        values = _values(record, resolver, now)
        if posting is None:
            posting = JobPosting(source=source, external_id=external_id, **values)
            to_create.append(posting)
            written.created += 1
        else:
            changed = {name for name, value in values.items() if getattr(posting, name) != value} - {"changed_at"}
            if not changed:
                written.unchanged += 1
                continue
            was_active = posting.is_active
            for name, value in values.items():
                setattr(posting, name, value)
            to_update.append(posting)
            if was_active and not posting.is_active:
                written.withdrawn += 1
                written.events.append(PostingWithdrawn(posting_id=posting.pk, source=source, status=posting.status))
            else:
                written.updated += 1
                if changed & EVENT_FIELDS:
                    written.events.append(PostingChanged(posting_id=posting.pk, source=source,
                                                         occupation_id=posting.occupation_id,
                                                         municipality_code=posting.municipality_code,
                                                         changed_fields=tuple(sorted(changed))))
        skill_rows[external_id] = [
            (skill_id, s.importance, s.weight) for s in record.skills
            if (skill_id := resolver.skill(s.uri, s.label)) is not None
        ]
    JobPosting.objects.bulk_create(to_create, batch_size=500)
    if to_create or to_update:
        catalogue.written()  # bulk writes send no post_save
    if to_update:
        for posting in to_update:  # bulk_update skips auto_now; the search catalogue's version reads it
            posting.updated_at = now
        JobPosting.objects.bulk_update(to_update, [*RECORD_FIELDS, "updated_at"], batch_size=500)
    by_external = {p.external_id: p for p in to_create + to_update}
    if skill_rows:
        updated_ids = {p.pk for p in to_update}
        PostingSkill.objects.filter(posting_id__in=[
            by_external[e].pk for e in skill_rows if e in by_external and by_external[e].pk in updated_ids
        ]).delete()
        links, seen = [], set()
        for external_id, rows in skill_rows.items():
            posting = by_external.get(external_id)
            if posting is None:
                continue
            for skill_id, importance, weight in rows:
                if (posting.pk, skill_id) not in seen:
                    seen.add((posting.pk, skill_id))
                    links.append(PostingSkill(posting=posting, skill_id=skill_id, importance=importance, weight=weight))
        PostingSkill.objects.bulk_create(links, batch_size=1000)
    for posting in to_create:
        written.events.append(PostingCreated(posting_id=posting.pk, source=source, occupation_id=posting.occupation_id,
                                             municipality_code=posting.municipality_code))
    written.posting_ids += [p.pk for p in to_create + to_update]
    return written


# What the database may still refuse after validation (it has the last word): the batch is retried
# record by record, each in its own savepoint, so one refused record never aborts the file.
_WRITE_ERRORS = (DatabaseError, ArithmeticError, ValueError, OverflowError)


def _database_reason(error: Exception) -> str:
    first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return _("the database refused the record: %(error)s") % {"error": first_line[:200]}


def postings_import(*, source: str, items: Iterable[FeedRecord | RecordError], embed: bool = True,
                    batch_size: int = 1000) -> ImportReport:
    """Upsert records on (source, external id) in one transaction.

    Every record is checked by `validation.clean_record` first; a bad one is reported with its
    position and reason and skipped, and the good records of the same file are written. When the
    same id comes twice, the later record wins and the earlier is reported as replaced.
    """
    report = ImportReport(source=source)
    resolver = _Resolver()
    now = timezone.now()
    records: dict[str, FeedRecord] = {}
    for item in items:
        if isinstance(item, RecordError):
            report.errors.append((item.position, item.reason))
            continue
        try:
            record = clean_record(item, now=now)
        except RecordInvalid as error:
            report.errors.append((item.position, str(error)))
            continue
        earlier = records.pop(record.external_id, None)
        if earlier is not None:
            report.errors.append((earlier.position, _("replaced by %(position)s, which has the same id") % {
                "position": record.position}))
        records[record.external_id] = record
    written = _Written()
    with transaction.atomic():
        ordered = list(records.values())
        for start in range(0, len(ordered), batch_size):
            batch = ordered[start:start + batch_size]
            try:
                with transaction.atomic():
                    written.add(_write_batch(source, batch, resolver, now))
                continue
            except _WRITE_ERRORS as error:
                logger.warning("job import %s: a batch was refused (%s); writing it record by record", source,
                               type(error).__name__)
            for record in batch:
                try:
                    with transaction.atomic():
                        written.add(_write_batch(source, [record], resolver, now))
                except _WRITE_ERRORS as error:
                    logger.warning("job import %s: %s refused by the database: %s", source, record.position,
                                   type(error).__name__)
                    report.errors.append((record.position, _database_reason(error)))
        report.created, report.updated = written.created, written.updated
        report.unchanged, report.withdrawn = written.unchanged, written.withdrawn
        report.posting_ids = written.posting_ids
        for event in written.events:
            publish_on_commit(event)
        _publish_run(source, written.events)
        if embed and report.posting_ids:
            _enqueue_embeddings(report.posting_ids)
        if report.created or report.updated or report.withdrawn:
            transaction.on_commit(flush_search_index)
    return report


SEARCH_INDEX = "jobs_posting_search"  # the GIN index over search_vector (migration 0002)


def flush_search_index() -> None:
    """PostgreSQL: move the full-text index's pending entries into the index proper after an import.

    A GIN index takes new rows into a pending list (fast inserts) that every search reads in full
    until autovacuum merges it. After a bulk import, a few thousand pending rows made each word's
    look-up cost 7 ms instead of 0.03 ms (measured on the 50,000-posting bench), for as long as
    autovacuum waited. The import is background work; search is what people wait for, so the import
    pays. Needs the index's owner (the role that runs the migrations); otherwise logged and left to
    autovacuum."""
    if connection.vendor != "postgresql":
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [SEARCH_INDEX])
    except DatabaseError as error:
        logger.warning("job import: the search index's pending list was not merged (%s)", type(error).__name__)


def _publish_run(source: str, events: list) -> None:
    """One PostingsPublished for the whole write, after its per-posting events."""
    created = tuple(e.posting_id for e in events if isinstance(e, PostingCreated))
    changed = tuple(e.posting_id for e in events if isinstance(e, PostingChanged))
    if created or changed:
        publish_on_commit(PostingsPublished(source=source, created_ids=created, changed_ids=changed))


def _enqueue_embeddings(posting_ids: list[int]) -> None:
    # An event, not an import of .tasks: jobs.tasks subscribes (config/events.py) and queues the work.
    publish_on_commit(PostingEmbeddingsWanted(posting_ids=tuple(int(i) for i in posting_ids)))


def import_from_location(*, source: str, location: str, embed: bool = True) -> ImportReport:
    """Read a file or URL with the named source's format and import it, recording the run.

    A file that cannot be read as a whole raises ValidationFailed and changes no posting. Every run
    leaves a JobImportRun, also one that failed (then with the reason in `failed`).
    """
    run = JobImportRun(source=source[:40], location=location[:500])
    try:
        if source not in registry:
            raise ValidationFailed(_("Unknown source %(name)s. Known sources: %(known)s")
                                   % {"name": source, "known": ", ".join(registry.names())})
        feed = registry.get(source)()
        data = read_location(location)
        items = list(feed.parse(data))  # parse fully before writing: a broken file changes nothing
        report = postings_import(source=source, items=items, embed=embed)
    except ValidationFailed as error:
        run.failed = str(error)[:2000]
        run.save()
        raise
    except Exception as error:
        # Whatever it was, the operator sees a failed run instead of a missing one.
        logger.exception("job import from %s (%s) failed", source, location[:200])
        run.failed = _("The import stopped on an unexpected error (%(error)s); nothing was imported.") % {
            "error": type(error).__name__}
        run.save()
        raise ValidationFailed(run.failed) from error
    run.created, run.updated, run.unchanged, run.withdrawn = report.created, report.updated, report.unchanged, report.withdrawn
    run.errors = [{"position": p, "reason": r} for p, r in report.errors[:1000]]
    run.save()
    return report


# --- employers' own postings -------------------------------------------------------------------------------

EMPLOYER_SOURCE = "employer"
EDITABLE_FIELDS = ["title", "description", "occupation", "address", "postcode", "hours", "hours_per_week",
                   "employment_type", "salary_text", "positions", "application_deadline", "apply_url",
                   "apply_email", "apply_contact", "employer_cvr"]


def _apply_employer_data(posting: JobPosting, data: dict) -> None:
    errors: dict[str, list[str]] = {}
    if not (data.get("title") or "").strip():
        errors.setdefault("title", []).append(_("Give the job a title."))
    if not (data.get("description") or "").strip():
        errors.setdefault("description", []).append(_("Describe the job."))
    postcode = taxonomy.get_postcode(code=(data.get("postcode") or "").strip())
    if postcode is None:
        errors.setdefault("postcode", []).append(_("Enter a Danish postcode with 4 digits."))
    deadline = data.get("application_deadline")
    if deadline and deadline < timezone.localdate():
        errors.setdefault("application_deadline", []).append(_("The application deadline cannot be in the past."))
    elif deadline and deadline > deadline_window()[1]:
        errors.setdefault("application_deadline", []).append(
            _("The application deadline can be at most five years ahead."))
    if not (data.get("apply_url") or data.get("apply_email") or data.get("apply_contact")):
        errors.setdefault("__all__", []).append(_("Tell applicants how to apply: a web address, an e-mail address or a contact."))
    cvr = (data.get("employer_cvr") or "").strip()
    if cvr and (problem := cvr_error(cvr)):
        errors.setdefault("employer_cvr", []).append(problem)
    if len(data.get("description") or "") > DESCRIPTION_MAX_CHARS:
        errors.setdefault("description", []).append(_("The description can be at most %(max)s characters.") % {
            "max": f"{DESCRIPTION_MAX_CHARS:,}".replace(",", ".")})
    if data.get("apply_url") and not safe_url(data["apply_url"]):
        errors.setdefault("apply_url", []).append(_("Enter a web address that starts with http:// or https://."))
    if errors or postcode is None:
        raise ValidationFailed(errors)
    for name in EDITABLE_FIELDS:
        if name in data:
            setattr(posting, name, data[name] if data[name] is not None else getattr(posting, name))
    posting.employer_cvr = cvr
    posting.postcode = postcode.code
    posting.city = postcode.name
    posting.municipality_code = postcode.municipality_code
    posting.latitude, posting.longitude = postcode.latitude, postcode.longitude
    posting.isco_code = posting.occupation.isco_code if posting.occupation is not None else ""
    posting.changed_at = timezone.now()
    posting.search_text = search_text_for(title=posting.title, employer_name=posting.employer_name,
                                          description=posting.description)
    _check_columns(posting)


def _check_columns(posting: JobPosting) -> None:
    """The employer's posting through the same column and domain checks as every feed record."""
    record = FeedRecord(
        position="", external_id=posting.external_id or "new", title=posting.title, employer_name=posting.employer_name,
        description=posting.description, employer_cvr=posting.employer_cvr, isco_code=posting.isco_code,
        address=posting.address, postcode=posting.postcode, city=posting.city,
        municipality_code=posting.municipality_code, country="DK", latitude=posting.latitude,
        longitude=posting.longitude, hours=posting.hours, hours_per_week=posting.hours_per_week,
        employment_type=posting.employment_type, salary_text=posting.salary_text, positions=posting.positions,
        application_deadline=posting.application_deadline, apply_url=posting.apply_url,
        apply_email=posting.apply_email, apply_contact=posting.apply_contact, published_at=posting.published_at,
        changed_at=posting.changed_at, status=posting.status)
    try:
        clean_record(record)
    except RecordInvalid as error:
        raise ValidationFailed({"__all__": [str(error)]}) from None


def employer_link(*, membership, name: str, cvr: str) -> Employer:
    """Let an employer membership act for the organisation with this CVR number (created when new)."""
    from jobunivers.tenancy.roles import Role

    name, cvr = (name or "").strip(), (cvr or "").strip()
    errors: dict[str, list[str]] = {}
    if membership is None or membership.role != Role.EMPLOYER:
        errors.setdefault("__all__", []).append(_("Only an employer membership can act for an employer."))
    if cvr_problem := cvr_error(cvr):
        errors.setdefault("cvr", []).append(cvr_problem)
    if not name or len(name) > 255:
        errors.setdefault("name", []).append(_("Give the employer's name (at most 255 characters)."))
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        employer, _created = Employer.objects.get_or_create(cvr=cvr, defaults={"name": name})
        EmployerAccount.objects.update_or_create(membership=membership, defaults={"employer": employer})
    return employer


def posting_create(*, actor, membership, data: dict) -> JobPosting:
    """An employer's own posting, owned by the employer organisation the membership acts for."""
    employer_id = employer_id_of(membership)
    employer = Employer.objects.filter(pk=employer_id).first() if employer_id is not None else None
    if employer is None:
        raise ValidationFailed(_("Your employer account is not linked to an employer; ask the platform operator."))
    now = timezone.now()
    posting = JobPosting(source=EMPLOYER_SOURCE, external_id="", employer_name=employer.name, owner=actor,
                         owner_organisation=employer.name[:200], owner_employer=employer, published_at=now,
                         changed_at=now)
    with transaction.atomic():
        _apply_employer_data(posting, data)
        posting.external_id = f"pending-{now.timestamp()}-{actor.pk}"
        posting.save()
        posting.external_id = str(posting.pk)
        posting.save(update_fields=["external_id"])
        created = PostingCreated(posting_id=posting.pk, source=EMPLOYER_SOURCE, occupation_id=posting.occupation_id,
                                 municipality_code=posting.municipality_code)
        publish_on_commit(created)
        _publish_run(EMPLOYER_SOURCE, [created])
        _enqueue_embeddings([posting.pk])
    return posting


def posting_update(*, actor, membership, posting: JobPosting, data: dict) -> JobPosting:
    if not can_view_own_posting(membership, posting):
        raise NotFound
    if posting.status == PostingStatus.WITHDRAWN:
        raise ValidationFailed(_("A withdrawn posting cannot be changed."))
    with transaction.atomic():
        _apply_employer_data(posting, data)
        posting.save()
        changed = PostingChanged(posting_id=posting.pk, source=posting.source, occupation_id=posting.occupation_id,
                                 municipality_code=posting.municipality_code, changed_fields=tuple(EDITABLE_FIELDS))
        publish_on_commit(changed)
        _publish_run(posting.source, [changed])
        _enqueue_embeddings([posting.pk])
    return posting


def posting_withdraw(*, actor, membership, posting: JobPosting) -> JobPosting:
    if not can_view_own_posting(membership, posting):
        raise NotFound
    if posting.status == PostingStatus.WITHDRAWN:
        return posting
    with transaction.atomic():
        posting.status = PostingStatus.WITHDRAWN
        posting.changed_at = timezone.now()
        posting.save(update_fields=["status", "changed_at", "updated_at"])
        publish_on_commit(PostingWithdrawn(posting_id=posting.pk, source=posting.source, status="withdrawn"))
    return posting


def postings_expire(*, today: date | None = None) -> int:
    """Active postings whose application deadline has passed become expired (they stay resolvable)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        expiring = list(JobPosting.objects.filter(status=PostingStatus.ACTIVE, application_deadline__lt=today)
                        .values_list("pk", "source"))
        JobPosting.objects.filter(pk__in=[pk for pk, _ in expiring]).update(
            status=PostingStatus.EXPIRED, changed_at=timezone.now(), updated_at=timezone.now())
        catalogue.written()
        for pk, source in expiring:
            publish_on_commit(PostingWithdrawn(posting_id=pk, source=source, status="expired"))
    return len(expiring)


def posting_embeddings_refresh(*, posting_ids: Iterable[int]) -> int:
    """Compute the embedding of postings whose text changed since their vector was made."""
    version = taxonomy.model_version()
    postings = list(JobPosting.objects.filter(pk__in=list(posting_ids)).only("id", "title", "employer_name", "description"))
    current = {e.posting_id: e for e in PostingEmbedding.objects.filter(posting__in=postings)}
    stale = [p for p in postings if (e := current.get(p.pk)) is None or e.content_hash != content_hash(p) or e.model_version != version]
    if not stale:
        return 0
    vectors = taxonomy.embed_texts([posting_embedding_text(p) for p in stale], kind="passage")
    with transaction.atomic():
        for posting, vector in zip(stale, vectors, strict=True):
            PostingEmbedding.objects.update_or_create(
                posting=posting, defaults={"content_hash": content_hash(posting), "model_version": version,
                                           "vector": vector.tobytes()})
    return len(stale)
