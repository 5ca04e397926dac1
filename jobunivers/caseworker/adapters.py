"""Everything the staff workspace needs from segmentation, matching and notifications, in one place.

Each function calls the other app's published selector or service. Where the other app has
no selector yet, it reads that app's models *read-only* (never writes) and says so in its
docstring; those reads are listed in tests/architecture/test_boundaries.py (ALLOWED_EXCEPTIONS)
until the owning app publishes a selector. The fallbacks for entry points that did not exist
yet are gone (issue 12): the callers do not change (ADR 0062).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


# --- Segmentation: caseloads, tracks, disagreements ------------------------------------------


def caseload(*, consultant_ids: Iterable[int]) -> dict[int, tuple[int, datetime.datetime]]:
    """citizen id -> (consultant user id, assigned at) for the current assignments of these consultants
    (segmentation.selectors.caseload_of, one query per consultant: a team is a handful)."""
    from jobunivers.segmentation.selectors import caseload_of

    result: dict[int, tuple[int, datetime.datetime]] = {}
    for consultant_id in consultant_ids:
        for citizen_id, started_at in caseload_of(consultant_user_id=consultant_id).values_list(
                "citizen_id", "started_at"):
            result[citizen_id] = (consultant_id, started_at)
    return result


def current_consultants(*, citizen_ids: Iterable[int]) -> dict[int, int]:
    from jobunivers.segmentation.models import ConsultantAssignment

    rows = ConsultantAssignment.objects.filter(citizen_id__in=list(citizen_ids), ended_at__isnull=True)
    return dict(rows.values_list("citizen_id", "consultant_id"))


def unassigned_citizen_ids(*, limit: int = 500) -> list[int]:
    """Citizens who should have a personal consultant but have none (segmentation.selectors.unassigned_citizens)."""
    from jobunivers.core.context import require_municipality_id
    from jobunivers.segmentation.selectors import unassigned_citizens

    return list(unassigned_citizens(municipality_id=require_municipality_id()).values_list("id", flat=True)[:limit])


def assign_consultant(*, actor, citizen, consultant, reason: str) -> None:
    """Through segmentation.services.consultant_assign (the one write path for assignments)."""
    from jobunivers.segmentation.services import consultant_assign

    consultant_assign(actor=actor, citizen_id=citizen.pk, consultant_user_id=consultant.pk, reason=reason)


def open_disagreement_citizen_ids(*, citizen_ids: Iterable[int]) -> set[int]:
    """Citizens who disagree with their suggested track and wait for a person's decision."""
    from jobunivers.segmentation.models import Disagreement

    return set(Disagreement.objects.filter(citizen_id__in=list(citizen_ids), status=Disagreement.Status.OPEN)
               .values_list("citizen_id", flat=True))


@dataclass
class TrackView:
    suggested: str = ""
    suggested_tags: list = field(default_factory=list)
    suggestion_status: str = ""
    decided: str = ""
    decided_reason: str = ""
    decided_changed: bool = False
    decided_at: datetime.datetime | None = None
    disagreement: str = ""


def _track_name(track, language: str) -> str:
    return (track.name_en if language == "en" else track.name_da) or track.name_da or track.key


@dataclass(frozen=True)
class Segmentation:
    track: TrackView | None  # the newest suggestion and decision, with reasons; None without either
    history: list[tuple[datetime.datetime, str]]  # suggestions, decisions and consultant assignments


# The timeline shows the newest of each kind (re-segmentation suggests again and again).
HISTORY_PER_KIND = 20


def segmentation_of(*, citizen_id: int, language: str = "da") -> Segmentation:
    """One citizen's track and segmentation history for the timeline, from one read of the suggestions
    and decisions (four queries; the citizen page read them twice)."""
    from jobunivers.segmentation.models import ConsultantAssignment, Decision, Disagreement, Suggestion

    view, seen = TrackView(), False
    suggested, decided, assigned = [], [], []
    for suggestion in Suggestion.objects.filter(citizen_id=citizen_id).select_related("track").order_by(
            "created_at", "id"):
        seen = True
        view.suggested = _track_name(suggestion.track, language)
        view.suggested_tags = explanation_texts(suggestion.tags)
        view.suggestion_status = suggestion.get_status_display()
        suggested.append((suggestion.created_at, _("Track suggested: %(track)s") % {"track": view.suggested}))
    for decision in Decision.objects.filter(citizen_id=citizen_id).select_related("track").order_by("created_at", "id"):
        seen = True
        view.decided = _track_name(decision.track, language)
        view.decided_reason = decision.reason
        view.decided_changed = decision.changed
        view.decided_at = decision.created_at
        decided.append((decision.created_at, _("Track decided: %(track)s") % {"track": view.decided}))
    for disagreement in Disagreement.objects.filter(citizen_id=citizen_id, status=Disagreement.Status.OPEN):
        seen = True
        view.disagreement = disagreement.comment
    for a in ConsultantAssignment.objects.filter(citizen_id=citizen_id).select_related("consultant").order_by(
            "started_at", "id"):
        assigned.append((a.started_at, _("Personal consultant assigned: %(name)s")
                         % {"name": a.consultant.get_full_name() or a.consultant.username}))
    history = suggested[-HISTORY_PER_KIND:] + decided[-HISTORY_PER_KIND:] + assigned[-HISTORY_PER_KIND:]
    return Segmentation(track=view if seen else None, history=history)


def decided_track_ids(*, citizen_ids: Iterable[int] | None = None) -> dict[int, tuple[int, str]]:
    """citizen id -> (track id, track name) of the newest decision (population and find)."""
    from jobunivers.segmentation.models import Decision

    queryset = Decision.objects.all()
    if citizen_ids is not None:
        queryset = queryset.filter(citizen_id__in=list(citizen_ids))
    result: dict[int, tuple[int, str]] = {}
    for citizen_id, track_id, name in queryset.order_by("created_at", "id").values_list(
            "citizen_id", "track_id", "track__name_da"):
        result[citizen_id] = (track_id, name)
    return result


def tracks() -> list[tuple[int, str]]:
    from jobunivers.segmentation.models import Track

    return list(Track.objects.filter(is_active=True).order_by("order", "id").values_list("id", "name_da"))


def explanation_texts(codes) -> list[str]:
    """Explanation tags of a suggestion as sentences in the viewer's language (never the codes)."""
    from jobunivers.segmentation.selectors import explanation_texts as texts

    return texts(tags=list(codes or []))


@dataclass(frozen=True)
class ContactRequest:
    citizen_id: int
    name: str
    kind: str  # the request in words
    comment: str
    since: datetime.datetime
    suggestion_id: int


def open_contact_requests(*, limit: int = 100) -> list[ContactRequest]:
    """Citizens' open wishes for more contact and disagreements with a suggested track
    (segmentation.selectors.open_disagreements), oldest first."""
    from jobunivers.segmentation.selectors import open_disagreements

    return [ContactRequest(citizen_id=d.citizen_id, name=d.citizen.user.get_full_name() or d.citizen.user.username,
                           kind=d.get_kind_display(), comment=d.comment, since=d.created_at,
                           suggestion_id=d.suggestion_id)
            for d in open_disagreements()[:limit]]


# --- Matching ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecommendedJob:
    posting_id: int
    title: str
    employer: str
    place: str
    score: float | None
    reasons: tuple[str, ...]
    gaps: tuple[str, ...] = ()


def recommended_jobs(*, citizen_id: int, limit: int = 5) -> list[RecommendedJob] | None:
    """The citizen's own feed (matching.selectors.feed_for), as the citizen would see it now.

    Reasons that speak against a posting are the gaps that block the match (e.g. a missing certificate)."""
    from django.utils.translation import get_language

    from jobunivers.matching.selectors import feed_for

    language = get_language() or "da"
    feed = feed_for(citizen_id=citizen_id, limit=limit)
    return [RecommendedJob(
        posting_id=item.posting_id, title=item.title, employer=item.employer_name, place=item.city,
        score=item.score, reasons=tuple(r.text(language) for r in item.reasons if r.positive),
        gaps=tuple(r.text(language) for r in item.reasons if not r.positive),
    ) for item in feed.items]


# --- Notifications -------------------------------------------------------------------------------


def notify_citizen(*, municipality_id: int, citizen_id: int, kind: str, subject_key: str, title: str,
                   body: str, link: str) -> bool:
    """notifications.services.notify: inbox always, other channels as the citizen chose; idempotent
    per (citizen, kind, subject). Returns whether a new notice was created."""
    from jobunivers.notifications.services import notify

    return notify(municipality_id=municipality_id, citizen_id=citizen_id, kind=kind, subject_key=subject_key,
                  title=title, body=body, link=link).created


def unreacted_notice_counts(*, citizen_user_ids: Iterable[int]) -> dict[int, int]:
    """user id -> notices about jobs and offers that the citizen has not opened.

    Reads notifications.Notification (read_at) until notifications publishes a selector.
    """
    from jobunivers.notifications.contracts import Kind
    from jobunivers.notifications.models import Notification

    rows = (Notification.objects.filter(recipient_id__in=list(citizen_user_ids), read_at__isnull=True,
                                        kind__in=[Kind.JOB_MATCH, Kind.JOB_SUGGESTION, Kind.GENERAL])
            .values("recipient_id").annotate(n=Count("id")))
    return {row["recipient_id"]: row["n"] for row in rows}


def notification_kinds():
    from jobunivers.notifications.contracts import Kind

    return Kind


def received_subjects(*, citizen_user_ids: Iterable[int], kind: str, subject_key: str) -> set[int]:
    """Users who already have the notice (so a preview can say who will not get it twice)."""
    from jobunivers.notifications.models import Notification

    return set(Notification.objects.filter(recipient_id__in=list(citizen_user_ids), kind=kind,
                                           subject_key=subject_key).values_list("recipient_id", flat=True))




def decided_track_counts() -> list[tuple[str, int]]:
    """(track name, citizens) by each citizen's newest decision, in one grouped query."""
    from jobunivers.segmentation.models import Decision, Track

    rows = _newest_decisions(Decision).values("track_id").annotate(n=Count("id")).order_by("-n")
    names = dict(Track.objects.values_list("id", "name_da"))
    return [(names.get(row["track_id"], ""), row["n"]) for row in rows]


def citizens_on_track(*, track_id: int):
    """Citizen ids whose newest decision is this track (a subquery, not a list)."""
    from jobunivers.segmentation.models import Decision

    return _newest_decisions(Decision).filter(track_id=track_id).values("citizen_id")


def _newest_decisions(decision_model):
    """Each citizen's newest decision: those with no later decision for the same citizen.

    An anti-join rather than `id IN (SELECT MAX(id) ... GROUP BY citizen)`: over 70,000 decisions
    PostgreSQL answers it in a fifth of the time (130 ms against 690 ms, bench "staff"), and SQLite
    uses the citizen index for it too."""
    from django.db.models import Exists, OuterRef

    later = decision_model.objects.filter(citizen_id=OuterRef("citizen_id"), id__gt=OuterRef("id"))
    return decision_model.objects.filter(~Exists(later))


# --- Citizens' profiles (read-only; citizens has no batch selector for staff searches yet) --------


def _profile_occupations_through():
    from jobunivers.citizens.models import Profile

    return Profile.occupations.through


def occupations_sought_counts(*, top: int) -> list[tuple[int | None, str, int]]:
    """(occupation id, label, citizens) for the most sought occupations in the municipality in context,
    grouped on the occupation key alone; labels looked up for the top rows only."""
    through = _profile_occupations_through()
    rows = list(through.objects.filter(profile__municipality_id=_current()).values("occupation_id")
                .annotate(n=Count("profile_id")).order_by("-n")[:top])
    from jobunivers.taxonomy.selectors import occupation_labels

    # Labels in the active language (Danish where one exists): population charts and tables.
    labels = {pk: label.text for pk, label in occupation_labels(r["occupation_id"] for r in rows).items()}
    return [(r["occupation_id"], labels.get(r["occupation_id"], ""), r["n"]) for r in rows]


def _current() -> int:
    from jobunivers.core.context import require_municipality_id

    return require_municipality_id()


def citizens_seeking(*, occupation_ids: list[int]):
    through = _profile_occupations_through()
    return through.objects.filter(occupation_id__in=occupation_ids, profile__municipality_id=_current()).values(
        "profile__citizen_id")


def citizens_seeking_for_posting(*, occupation_id: int | None, isco_code: str) -> dict[int, str]:
    """citizen id -> occupation label, for citizens seeking the posting's occupation or its ISCO group."""

    through = _profile_occupations_through()
    result: dict[int, str] = {}
    condition = Q(occupation_id=occupation_id) if occupation_id else Q(pk__in=[])
    if isco_code:
        condition |= Q(occupation__isco_code=isco_code)
    from jobunivers.taxonomy.selectors import label_of

    rows = through.objects.filter(condition, profile__municipality_id=_current()).values_list(
        "profile__citizen_id", "occupation__preferred_label", "occupation__preferred_label_da")
    for citizen_id, label, label_da in rows:
        result.setdefault(citizen_id, label_of({"preferred_label": label, "preferred_label_da": label_da}).text)
    return result


def citizens_with_skill_text(*, text: str):
    from jobunivers.citizens.models import Profile

    return Profile.objects.filter(Q(skills_text__icontains=text) | Q(summary__icontains=text)
                                  | Q(keywords__icontains=text)).values("citizen_id")


def search_radii(*, citizen_ids) -> dict[int, int]:
    from jobunivers.citizens.models import Profile

    queryset = Profile.objects.all()
    if citizen_ids is not None:
        queryset = queryset.filter(citizen_id__in=list(citizen_ids))
    return dict(queryset.values_list("citizen_id", "radius_km"))


# --- Advice ------------------------------------------------------------------------------------


def diagnosis_for(*, actor, citizen_id: int, purpose: str):
    """The citizen's personal diagnosis as the citizen sees it (advice.selectors.access_diagnosis,
    access-logged as "personal diagnosis"); None if there is none to show. Help only: nothing in the
    staff workspace decides from it."""
    from jobunivers.advice.selectors import access_diagnosis
    from jobunivers.core.errors import NotFound

    try:
        return access_diagnosis(actor=actor, citizen_id=citizen_id, purpose=purpose)
    except NotFound:
        return None


# --- Journeys ----------------------------------------------------------------------------------


def journeys_for(*, actor, citizen, purpose: str):
    """The citizen's journeys as the citizen sees them (journeys.selectors.access_citizen_journeys,
    access-logged as "journeys"): which journey, why, the steps sent and whether they opted out."""
    from jobunivers.core.errors import NotFound
    from jobunivers.journeys.selectors import access_citizen_journeys

    try:
        return access_citizen_journeys(actor=actor, citizen=citizen, purpose=purpose)
    except NotFound:
        return []
