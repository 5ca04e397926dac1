"""Reads of job postings. Postings are national: no tenant filter, every citizen sees them.

Other apps receive `contracts.PostingSummary`, never the model, except for
foreign keys to `jobs.JobPosting`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db.models import QuerySet

from jobunivers.core.errors import NotFound

from . import catalogue
from .catalogue import Catalogue
from .contracts import ImportRunFigures, PostingSummary, SkillRequirement
from .models import Employer, JobPosting, PostingSkill, PostingStatus
from .permissions import can_view_own_posting, employer_id_of
from .validation import readable_filter

logger = logging.getLogger(__name__)


def posting_catalogue() -> Catalogue:
    """The active postings' facets as numpy columns, current as of this request (see jobs.catalogue)."""
    return catalogue.current()


def readable_postings() -> QuerySet[JobPosting]:
    """Postings whose dates lie in the import's windows (jobs.validation.readable_filter). A row written
    around the checks is left out of every read instead of failing the page that reads it."""
    return JobPosting.objects.filter(readable_filter())


def active_postings() -> QuerySet[JobPosting]:
    return readable_postings().filter(status=PostingStatus.ACTIVE)


def get_posting(*, posting_id: int) -> JobPosting:
    """Any posting, whatever its status (withdrawn and expired postings stay resolvable)."""
    try:
        return readable_postings().select_related("occupation").get(pk=posting_id)
    except (JobPosting.DoesNotExist, ValueError, TypeError):
        if isinstance(posting_id, int) and JobPosting.objects.filter(pk=posting_id).exists():
            logger.warning("job posting %s has dates outside the readable window; not shown", posting_id)
        raise NotFound from None


def _summary(posting: JobPosting, *, with_skills: bool) -> PostingSummary:
    """Labels of the occupation and skills are in the active language (Danish where one exists)."""
    from jobunivers.taxonomy.selectors import label_of

    skills: tuple[SkillRequirement, ...] = ()
    if with_skills:
        skills = tuple(
            SkillRequirement(skill_id=link.skill_id, skill_uri=link.skill.uri, label=label_of(link.skill).text,
                             importance=link.importance, weight=link.weight)
            for link in posting.skill_links.all()
        )
    occupation = posting.occupation
    return PostingSummary(
        id=posting.pk, title=posting.title, employer_name=posting.employer_name, status=posting.status,
        occupation_id=posting.occupation_id, occupation_uri=occupation.uri if occupation else None,
        occupation_label=label_of(occupation).text if occupation else None, isco_code=posting.isco_code,
        postcode=posting.postcode, city=posting.city, municipality_code=posting.municipality_code,
        latitude=posting.latitude, longitude=posting.longitude, hours=posting.hours,
        employment_type=posting.employment_type, application_deadline=posting.application_deadline,
        published_at=posting.published_at, changed_at=posting.changed_at, is_synthetic=posting.is_synthetic,
        skills=skills, distance_km=getattr(posting, "distance_km", None),
    )


def posting_summary(*, posting_id: int, with_skills: bool = True) -> PostingSummary:
    posting = get_posting(posting_id=posting_id)
    return _summary(posting, with_skills=with_skills)


# The columns a summary shows: read as plain rows, because model instances would also parse the
# description, the search text and the occupation's label lists that no summary uses (three postings
# took 2.6 ms as instances and 0.6 ms as rows on the start page's feed).
_SUMMARY_COLUMNS = ("id", "title", "employer_name", "status", "occupation_id", "isco_code", "postcode", "city",
                    "municipality_code", "latitude", "longitude", "hours", "employment_type",
                    "application_deadline", "published_at", "changed_at", "is_synthetic", "occupation__uri",
                    "occupation__preferred_label", "occupation__preferred_label_da")


def posting_summaries(*, posting_ids: Iterable[int], with_skills: bool = True) -> list[PostingSummary]:
    """Summaries in the order of `posting_ids`; unknown ids are left out."""
    from jobunivers.taxonomy.selectors import label_of

    ids = list(posting_ids)
    if not ids:
        return []
    rows = {row["id"]: row for row in readable_postings().filter(pk__in=ids).values(*_SUMMARY_COLUMNS)}
    skills: dict[int, list[SkillRequirement]] = {pid: [] for pid in rows}
    if with_skills and rows:
        for link in (PostingSkill.objects.filter(posting_id__in=list(rows)).order_by("posting_id", "id")
                     .values("posting_id", "skill_id", "skill__uri", "skill__preferred_label",
                             "skill__preferred_label_da", "importance", "weight")):
            label = label_of({"preferred_label": link["skill__preferred_label"],
                              "preferred_label_da": link["skill__preferred_label_da"]}).text
            skills[link["posting_id"]].append(SkillRequirement(
                skill_id=link["skill_id"], skill_uri=link["skill__uri"], label=label,
                importance=link["importance"], weight=link["weight"]))
    summaries = []
    for pid in ids:
        row = rows.get(pid)
        if row is None:
            continue
        has_occupation = row["occupation_id"] is not None
        occupation_label = label_of({"preferred_label": row["occupation__preferred_label"],
                                     "preferred_label_da": row["occupation__preferred_label_da"]}).text
        summaries.append(PostingSummary(
            id=pid, title=row["title"], employer_name=row["employer_name"], status=row["status"],
            occupation_id=row["occupation_id"], occupation_uri=row["occupation__uri"] if has_occupation else None,
            occupation_label=occupation_label if has_occupation else None, isco_code=row["isco_code"],
            postcode=row["postcode"], city=row["city"], municipality_code=row["municipality_code"],
            latitude=row["latitude"], longitude=row["longitude"], hours=row["hours"],
            employment_type=row["employment_type"], application_deadline=row["application_deadline"],
            published_at=row["published_at"], changed_at=row["changed_at"], is_synthetic=row["is_synthetic"],
            skills=tuple(skills[pid])))
    return summaries


def active_posting_ids(*, changed_since=None) -> list[int]:
    queryset = active_postings()
    if changed_since is not None:
        queryset = queryset.filter(changed_at__gte=changed_since)
    return list(queryset.order_by("pk").values_list("pk", flat=True))


def employer_for(*, membership) -> Employer | None:
    """The employer organisation an employer membership acts for."""
    employer_id = employer_id_of(membership)
    return Employer.objects.filter(pk=employer_id).first() if employer_id is not None else None


def access_own_posting(*, membership, posting_id: int) -> JobPosting:
    """An employer's own posting; another organisation's posting is NotFound, like a missing one."""
    try:
        posting = readable_postings().select_related("occupation").get(pk=posting_id)
    except (JobPosting.DoesNotExist, ValueError, TypeError):
        raise NotFound from None
    if not can_view_own_posting(membership, posting):
        raise NotFound
    return posting


def own_postings(*, membership) -> QuerySet[JobPosting]:
    employer_id = employer_id_of(membership)
    if employer_id is None:
        return JobPosting.objects.none()
    return readable_postings().filter(owner_employer_id=employer_id).order_by("-changed_at")


def posting_vectors(*, posting_ids: Iterable[int]):
    """(ids, matrix) of posting embeddings, computing missing or stale ones first (see services)."""
    import numpy as np

    from jobunivers.taxonomy.selectors import DIMENSIONS

    from .models import PostingEmbedding
    from .services import posting_embeddings_refresh

    ids = list(posting_ids)
    posting_embeddings_refresh(posting_ids=ids)
    rows = dict(PostingEmbedding.objects.filter(posting_id__in=ids).values_list("posting_id", "vector"))
    present = [i for i in ids if i in rows]
    if not present:
        return np.zeros(0, dtype=np.int64), np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.array(present, dtype=np.int64), np.vstack([np.frombuffer(bytes(rows[i]), dtype=np.float32) for i in present])


# --- operations -------------------------------------------------------------------------------------------

def import_run_figures() -> list[ImportRunFigures]:
    """Per feed: import runs kept (JobImportRun), failed runs, the last start and last success."""
    from django.db.models import Count, Max, Q

    from .models import JobImportRun

    rows = (JobImportRun.objects.values("source")
            .annotate(runs=Count("id"), failed_runs=Count("id", filter=~Q(failed="")),
                      last_started=Max("started_at"), last_succeeded=Max("started_at", filter=Q(failed="")))
            .order_by("source"))
    return [ImportRunFigures(source=row["source"], runs=row["runs"], failed=row["failed_runs"],
                             last_started_at=row["last_started"], last_succeeded_at=row["last_succeeded"])
            for row in rows]


def postings_published_since(*, occupation_ids: Iterable[int], since) -> list[tuple]:
    """(published at, latitude, longitude, occupation id) of every readable posting in these occupations
    published since `since`, whatever its status now (withdrawn and expired ones count as history):
    "the market around me" draws the last 12 months from it."""
    return list(readable_postings().filter(occupation_id__in=list(occupation_ids), published_at__gte=since,
                                           latitude__isnull=False, longitude__isnull=False)
                .values_list("published_at", "latitude", "longitude", "occupation_id"))


def employer_names_of(*, posting_ids: Iterable[int]) -> dict[int, str]:
    """posting id -> the employer's name as the ad gives it."""
    return dict(readable_postings().filter(pk__in=list(posting_ids)).values_list("pk", "employer_name"))


def warm_search() -> None:
    """Build this process's catalogue of active postings and the search's vocabularies, as the first
    search for a common Danish word would (core.warmup, before a new web worker takes requests)."""
    from .search import JobQuery, search_postings

    search_postings(JobQuery(text="tømrer"))
