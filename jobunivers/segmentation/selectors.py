"""Reads of the segmentation app, scoped to the municipality in context (tenant-owned models).

Public for other apps (the staff workspace reads these):
- `current_track(*, citizen_id)`: the DECIDED track (a suggestion alone changes nothing);
- `current_consultant(*, citizen_id)`, `caseload_of(*, consultant_user_id)`,
  `unassigned_citizens(*, municipality_id)`;
- `override_statistics(*, municipality_id)`.
"""

from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from jobunivers.audit.services import citizen_access_record
from jobunivers.citizens.models import Citizen
from jobunivers.core.errors import NotFound
from jobunivers.tenancy.selectors import settings_for

from . import permissions
from .contracts import SUPPORT_PERSONAL_CONSULTANT, CurrentTrack
from .features import SKILLED_EDUCATION
from .models import (
    CitizenInteraction,
    ConsultantAssignment,
    Decision,
    Disagreement,
    FairnessGroup,
    FairnessReview,
    InteractionState,
    RegisterData,
    RiskModelVersion,
    SecondReview,
    Suggestion,
    Track,
    Transition,
)

OVERRIDE_WINDOW_DAYS = 91  # "over 3 months"
OVERRIDE_MINIMUM_DECISIONS = 20  # fewer decisions than this say too little to warn about
OVERRIDE_HIGH_PERCENT = 50.0  # above this, staff overrule the suggestion so often that it misleads


def tracks_for(*, active_only: bool = True) -> QuerySet[Track]:
    queryset = Track.objects.all()
    return queryset.filter(is_active=True) if active_only else queryset


def register_data_for(*, citizen_id: int) -> RegisterData | None:
    return RegisterData.objects.filter(citizen_id=citizen_id).first()


def jobs_found_on(*, citizen_ids) -> dict[int, datetime.date]:
    """The day each of these citizens left unemployment for a job, from the register data (the platform's
    outcome evidence; marketplace agreements pay result fees on it). Citizens without a job outcome are
    absent. Tenant-scoped."""
    ids = sorted(set(citizen_ids))
    found: dict[int, datetime.date] = {}
    for start in range(0, len(ids), 500):  # SQLite's limit on query parameters
        found.update(RegisterData.objects.filter(
            citizen_id__in=ids[start:start + 500], outcome=RegisterData.Outcome.JOB, outcome_on__isnull=False,
        ).values_list("citizen_id", "outcome_on"))
    return found


def latest_suggestion(*, citizen_id: int) -> Suggestion | None:
    return (Suggestion.objects.filter(citizen_id=citizen_id).exclude(status=Suggestion.Status.SUPERSEDED)
            .select_related("track", "model_version").first())


def suggestions_for(*, citizen_id: int) -> QuerySet[Suggestion]:
    return Suggestion.objects.filter(citizen_id=citizen_id).select_related("track", "model_version")


def access_suggestion(*, actor, suggestion_id: int) -> Suggestion:
    """A suggestion of the municipality in context. Missing and forbidden look the same."""
    suggestion = Suggestion.objects.select_related("track", "model_version", "citizen__user").filter(
        pk=suggestion_id).first()
    if suggestion is None:
        raise NotFound
    return suggestion


def latest_decision(*, citizen_id: int) -> Decision | None:
    return Decision.objects.filter(citizen_id=citizen_id).select_related("track", "decided_by").first()


def decisions_for(*, citizen_id: int) -> QuerySet[Decision]:
    return Decision.objects.filter(citizen_id=citizen_id).select_related("track", "decided_by")


def current_track(*, citizen_id: int) -> CurrentTrack | None:
    decision = latest_decision(citizen_id=citizen_id)
    if decision is None:
        return None
    return CurrentTrack(citizen_id=citizen_id, track_key=decision.track.key,
                        support_level=decision.track.support_level, name=decision.track.name_da,
                        decided_at=decision.created_at)


def citizen_ids_on_tracks(*, municipality_id: int, track_keys: list[str]) -> QuerySet:
    """Ids (a subquery of `citizen_id`) of the municipality's citizens whose current track, as
    `current_track` reads it (the newest decision), has one of these keys."""

    later = Decision.all_tenants.filter(citizen_id=OuterRef("citizen_id")).filter(
        Q(created_at__gt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), id__gt=OuterRef("id")))
    return (Decision.all_tenants.filter(municipality_id=municipality_id, track__key__in=list(track_keys))
            .filter(~Exists(later)).values("citizen_id"))


def pending_suggestions() -> QuerySet[Suggestion]:
    """Suggestions awaiting a person's decision, oldest first."""
    return (Suggestion.objects.filter(status=Suggestion.Status.PENDING)
            .select_related("track", "citizen__user").order_by("created_at", "id"))


def explanation_texts(*, tags: list[str]) -> list[str]:
    """A suggestion's explanation tags as sentences in the current language (for staff pages too)."""
    from .explanations import tag_text

    return [tag_text(code) for code in tags]


def open_disagreements() -> QuerySet[Disagreement]:
    return (Disagreement.objects.filter(status=Disagreement.Status.OPEN)
            .select_related("suggestion__track", "citizen__user").order_by("created_at", "id"))


def disagreements_for(*, citizen_id: int) -> QuerySet[Disagreement]:
    return Disagreement.objects.filter(citizen_id=citizen_id)


@dataclass(frozen=True)
class OverrideStatistics:
    decisions: int
    changed: int
    percent_changed: float | None
    warning_percent: float
    window_days: int
    too_few: bool

    @property
    def warn(self) -> bool:
        """Staff accept almost everything: the score may decide in practice (issue 7)."""
        return not self.too_few and self.percent_changed is not None and self.percent_changed < self.warning_percent

    @property
    def warn_high(self) -> bool:
        """Staff change more than half: the suggestion misleads more than it helps (issue 21)."""
        return not self.too_few and self.percent_changed is not None and self.percent_changed > OVERRIDE_HIGH_PERCENT


def override_statistics(*, municipality_id: int, now: datetime.datetime | None = None) -> OverrideStatistics:
    now = now or timezone.now()
    since = now - datetime.timedelta(days=OVERRIDE_WINDOW_DAYS)
    # Explicit municipality filter: also used by tasks and reports outside a request.
    counts = Decision.all_tenants.filter(municipality_id=municipality_id, created_at__gte=since).aggregate(
        total=Count("id"), changed=Count("id", filter=Q(changed=True)))
    total, changed = counts["total"] or 0, counts["changed"] or 0
    return OverrideStatistics(
        decisions=total, changed=changed,
        percent_changed=round(100.0 * changed / total, 1) if total else None,
        warning_percent=settings_for(municipality_id).override_warning_percent,
        window_days=OVERRIDE_WINDOW_DAYS, too_few=total < OVERRIDE_MINIMUM_DECISIONS,
    )


def override_statistics_by_staff(*, municipality_id: int, now: datetime.datetime | None = None
                                 ) -> list[dict]:
    """The override rate per staff member who decided in the window, with both warnings (under
    the municipality's percentage, above 50 %) where they decided at least 20 times."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=OVERRIDE_WINDOW_DAYS)
    warning_percent = settings_for(municipality_id).override_warning_percent
    rows = (Decision.all_tenants.filter(municipality_id=municipality_id, created_at__gte=since)
            .values("decided_by_id", "decided_by__first_name", "decided_by__last_name", "decided_by__username")
            .annotate(total=Count("id"), changed=Count("id", filter=Q(changed=True)))
            .order_by("decided_by__last_name", "decided_by__first_name", "decided_by_id"))
    result = []
    for row in rows:
        percent = round(100.0 * row["changed"] / row["total"], 1) if row["total"] else None
        enough = row["total"] >= OVERRIDE_MINIMUM_DECISIONS
        name = " ".join(part for part in (row["decided_by__first_name"], row["decided_by__last_name"]) if part)
        result.append({"name": name or row["decided_by__username"] or "–", "total": row["total"],
                       "changed": row["changed"], "percent": percent,
                       "warn_low": enough and percent is not None and percent < warning_percent,
                       "warn_high": enough and percent is not None and percent > OVERRIDE_HIGH_PERCENT})
    return result


def current_consultant(*, citizen_id: int) -> ConsultantAssignment | None:
    return (ConsultantAssignment.objects.filter(citizen_id=citizen_id, ended_at__isnull=True)
            .select_related("consultant").first())


def consultant_history(*, citizen_id: int) -> QuerySet[ConsultantAssignment]:
    return ConsultantAssignment.objects.filter(citizen_id=citizen_id).select_related("consultant", "assigned_by")


def caseload_of(*, consultant_user_id: int) -> QuerySet[ConsultantAssignment]:
    """The consultant's current citizens in the municipality in context, newest first."""
    return (ConsultantAssignment.objects.filter(consultant_id=consultant_user_id, ended_at__isnull=True)
            .select_related("citizen__user"))


def caseload_sizes(*, municipality_id: int) -> dict[int, int]:
    rows = (ConsultantAssignment.all_tenants.filter(municipality_id=municipality_id, ended_at__isnull=True)
            .values("consultant_id").annotate(n=Count("id")))
    return {row["consultant_id"]: row["n"] for row in rows}


def unassigned_citizens(*, municipality_id: int) -> QuerySet[Citizen]:
    """Citizens who should have a personal consultant (decided personal-consultant track, or moved
    to consultant follow-up by re-segmentation) but have none."""
    latest_level = Decision.objects.filter(citizen_id=OuterRef("pk")).order_by("-created_at", "-id")
    has_consultant = ConsultantAssignment.objects.filter(citizen_id=OuterRef("pk"), ended_at__isnull=True)
    needs_by_decision = Citizen.objects.filter(municipality_id=municipality_id).annotate(
        level=latest_level.values("track__support_level")[:1]).filter(level=SUPPORT_PERSONAL_CONSULTANT)
    needs_by_state = CitizenInteraction.objects.filter(
        municipality_id=municipality_id, state=InteractionState.CONSULTANT).values("citizen_id")
    return (Citizen.objects.filter(municipality_id=municipality_id)
            .filter(Q(pk__in=needs_by_decision.values("pk")) | Q(pk__in=needs_by_state))
            .exclude(Exists(has_consultant)).select_related("user").order_by("id"))


def interaction_for(*, citizen_id: int) -> CitizenInteraction | None:
    return CitizenInteraction.objects.filter(citizen_id=citizen_id).first()


def transitions_for(*, citizen_id: int) -> QuerySet[Transition]:
    return Transition.objects.filter(citizen_id=citizen_id)


def active_model() -> RiskModelVersion | None:
    return (RiskModelVersion.objects.filter(status=RiskModelVersion.Status.ACTIVE).defer("artifact")
            .select_related("promoted_by").first())


def model_versions() -> QuerySet[RiskModelVersion]:
    return RiskModelVersion.objects.defer("artifact").select_related("promoted_by")


def access_model_version(*, version_id: int) -> RiskModelVersion:
    version = RiskModelVersion.objects.defer("artifact").filter(pk=version_id).first()
    if version is None:
        raise NotFound
    return version


def is_skilled(education_level: str) -> bool:
    return education_level in SKILLED_EDUCATION


def first_period_weeks(*, municipality_id: int, education_level: str) -> int:
    """The first period's length by education (MunicipalitySettings)."""
    municipal = settings_for(municipality_id)
    return municipal.first_period_weeks_skilled if is_skilled(education_level) else \
        municipal.first_period_weeks_unskilled


def threshold_rows(card: dict) -> list[dict]:
    """The card's figures at each production threshold, shaped for the templates (staff card and
    the public algorithm register show the same numbers)."""
    rows = []
    for key, level in (card.get("at_thresholds") or {}).items():
        rows.append({"key": key, **{k: v for k, v in level.items() if k != "fairness"},
                     "fairness": sorted((level.get("fairness") or {}).items())})
    return rows


# Never inputs of the score (ADR 0052, 0054): stated on the public algorithm register.
NEVER_USED = ("gender", "origin", "nationality", "religion", "health records", "free-text notes", "clicks")


def fairness_groups(*, municipality_id: int) -> QuerySet[FairnessGroup]:
    """The groups the municipality registered for its fairness figures."""
    return FairnessGroup.all_tenants.filter(municipality_id=municipality_id)


def latest_fairness_review(*, municipality_id: int | None = None) -> FairnessReview | None:
    """The newest monthly review of the active model: of all municipalities together (None), or
    of one municipality's own decided cases."""
    active = active_model()
    if active is None:
        return None
    reviews = FairnessReview.objects.filter(model_version=active)
    if municipality_id is None:
        return reviews.filter(municipality__isnull=True).first()
    return reviews.filter(municipality_id=municipality_id).first()


# Below this many people who left unemployment, a municipality's public review shows a group's size
# only: no rate and no interval (statistical disclosure control, as official statistics suppress small cells).
MIN_PUBLISHED_OUTCOMES = 10


def _review_entry(review: FairnessReview | None, *, suppress_small: bool) -> dict | None:
    """A review as the register shows it. For one municipality, the rates of a group with fewer
    than MIN_GROUP_SIZE people who left unemployment are left out: in a small municipality a rate
    would say too much about too few people. Its size and its interval stay, so that the page can
    say "too few to judge" with the interval instead of a rate or a ratio (issue 21); under
    MIN_PUBLISHED_OUTCOMES the interval goes too."""
    if review is None:
        return None
    report = copy.deepcopy(review.report)
    if suppress_small:
        for level in report.values():
            for result in (level.get("fairness") or {}).values():
                for row in (result.get("groups") or {}).values():
                    if row.get("too_small"):
                        row["false_high_risk_rate"] = row["false_low_risk_rate"] = None
                    if (row.get("n_not_unemployed") or 0) < MIN_PUBLISHED_OUTCOMES:
                        # a handful of people: even an interval (e.g. 0–0) says what happened to them
                        row["false_high_risk_ci"] = row["false_low_risk_ci"] = [None, None]
    return {"at": review.created_at.date().isoformat(), "cases": review.cases,
            "period": [review.period_from.isoformat(), review.period_to.isoformat()], "at_thresholds": report}


def algorithm_register(*, municipality) -> dict:
    """The public algorithm register entry of the screening model for one municipality: what the
    page and its JSON show. Every figure is read from the active model's card (or, when none is
    active, from the newest candidate, which the page says was not put into use)."""
    active = active_model()
    shown = active or RiskModelVersion.objects.defer("artifact").order_by("-version").first()
    card = shown.model_card if shown else {}
    features = card.get("features") or []
    reasons = card.get("feature_reasons") or {}
    model = None
    if shown is not None:
        model = {
            "version": shown.version, "in_use": active is not None, "status": shown.status,
            "synthetic": shown.is_synthetic, "kind": card.get("model", "boosting"),
            "horizon_weeks": shown.horizon_weeks, "training_period": card.get("training_period"),
            "data_sources": card.get("source"), "trained_at": card.get("trained_at"),
            "promoted_at": shown.promoted_at.isoformat() if shown.promoted_at else None,
            "n_train": card.get("n_train"), "n_test": card.get("n_test"),
            "roc_auc": card.get("roc_auc"), "roc_auc_ci": card.get("roc_auc_ci"), "brier": card.get("brier"),
            "calibration_slope": card.get("calibration_slope"),
            "calibration_intercept": card.get("calibration_intercept"),
            "production_thresholds": card.get("production_thresholds"),
            "mitigation": ({key: card["mitigation"].get(key) for key in ("method", "library", "attribute",
                                                                            "thresholds", "accuracy_cost")}
                           if card.get("mitigation") else None),
            "unmitigated_accuracy": ({level: values["accuracy"] for level, values in
                                      (card["mitigation"].get("unmitigated") or {}).items()}
                                     if card.get("mitigation") else None),
            "mitigations_evaluated": [
                {key: option.get(key) for key in ("method", "library", "attribute", "allowed_in_decisions",
                                                  "at_thresholds")}
                for option in card.get("mitigations_evaluated") or []],
            "fairness_bound": card.get("fairness_bound"),
            "fairness_within_bound": card.get("fairness_within_bound"),
            "fairness_problems": card.get("fairness_problems") or [],
            "at_thresholds": card.get("at_thresholds") or {},
        }
    review = latest_fairness_review()
    own_review = latest_fairness_review(municipality_id=municipality.pk)
    last_review = max([d for d in (shown.promoted_at if shown else None, review.created_at if review else None)
                       if d is not None], default=None)
    return {
        "municipality": {"name": municipality.name, "slug": municipality.slug},
        "model": model,
        "inputs": [{"name": name, "reason": reasons.get(name, "")} for name in features],
        "never_used": list(NEVER_USED),
        "last_review": last_review.date().isoformat() if last_review else None,
        "monthly_review": _review_entry(review, suppress_small=False),
        "municipal_review": _review_entry(own_review, suppress_small=True),
        "municipal_groups": [{"key": g.key, "name_da": g.name_da, "name_en": g.name_en, "description": g.description,
                              "definition": g.definition() if g.is_defined else None}
                             for g in fairness_groups(municipality_id=municipality.pk)],
    }


def second_reviews(*, open_only: bool = False) -> QuerySet[SecondReview]:
    """The municipality's (in context) sampled decisions, newest month first."""
    reviews = SecondReview.objects.select_related("decision__track", "decision__decided_by", "citizen__user",
                                                  "reviewer", "decision__suggestion__track")
    return reviews.filter(reviewed_at__isnull=True) if open_only else reviews


# --- Staff lists over citizens, checked and access-logged in the same transaction ---------------

LIST_LIMIT = 200


@dataclass(frozen=True)
class SegmentationWorklist:
    pending: list[Suggestion]
    disagreements: list[Disagreement]
    unassigned: list[Citizen]
    stats: OverrideStatistics


@transaction.atomic
def access_worklist(*, actor, municipality_id: int, limit: int = LIST_LIMIT) -> SegmentationWorklist:
    """The segmentation worklist of the municipality (in context), read and access-logged (a search
    with its criterion) in one transaction: no entry without the read, no read without the entry."""
    if not permissions.can_view_worklist(actor, municipality_id):
        raise NotFound
    worklist = SegmentationWorklist(
        pending=list(pending_suggestions()[:limit]),
        disagreements=list(open_disagreements()[:limit]),
        unassigned=list(unassigned_citizens(municipality_id=municipality_id)[:limit]),
        stats=override_statistics(municipality_id=municipality_id),
    )
    citizen_access_record(actor=actor, municipality_id=municipality_id, citizen_id=None, action="search",
                          purpose="help", what="segmentation: worklist",
                          criterion="pending suggestions, open disagreements, citizens without a consultant")
    return worklist


@transaction.atomic
def access_caseload(*, actor, municipality_id: int) -> list[ConsultantAssignment]:
    """The personal job consultant's own caseload, read and access-logged in one transaction."""
    if not permissions.can_view_caseload(actor, municipality_id):
        raise NotFound
    assignments = list(caseload_of(consultant_user_id=actor.pk))
    citizen_access_record(actor=actor, municipality_id=municipality_id, citizen_id=None, action="search",
                          purpose="help", what="segmentation: caseload", criterion="citizens assigned to me")
    return assignments


@transaction.atomic
def access_second_reviews(*, actor, municipality_id: int, limit: int = 100) -> list[SecondReview]:
    """The month's sampled decisions for a second review, read and access-logged in one transaction."""
    if not permissions.can_view_second_reviews(actor, municipality_id):
        raise NotFound
    reviews = list(second_reviews()[:limit])
    citizen_access_record(actor=actor, municipality_id=municipality_id, citizen_id=None, action="search",
                          purpose="help", what="segmentation: second reviews",
                          criterion="decisions sampled for a second review")
    return reviews


# The register's characteristics that describe a citizen before any service was used (analytics'
# matching of users with non-users). Gender and origin are never among them (ADR 0052).
PRE_USE_CHARACTERISTICS = ("age_band", "education_level", "unemployment_weeks_last_3_years",
                           "unemployment_spells_last_3_years", "benefit_type", "weeks_since_last_job")


def pre_use_characteristics(*, municipality_id: int) -> dict[int, tuple]:
    """Citizen id -> the values of PRE_USE_CHARACTERISTICS from the register data, in that order."""
    return {row[0]: row[1:] for row in RegisterData.all_tenants.filter(municipality_id=municipality_id)
            .values_list("citizen_id", *PRE_USE_CHARACTERISTICS)}


def decided_track_counts(*, municipality_ids: list[int] | None = None) -> dict[int, list[tuple[str, int]]]:
    """Municipality id -> (track name, citizens) by each citizen's newest decision, largest first; one
    grouped query (the anti-join of caseworker's population overview). National when ids are None."""
    later = Decision.all_tenants.filter(citizen_id=OuterRef("citizen_id"), id__gt=OuterRef("id"))
    rows = Decision.all_tenants.filter(~Exists(later))
    if municipality_ids is not None:
        rows = rows.filter(municipality_id__in=municipality_ids)
    names = dict(Track.all_tenants.values_list("id", "name_da"))
    found: dict[int, list[tuple[str, int]]] = {}
    for municipality_id, track_id, count in (rows.values("municipality_id", "track_id").annotate(n=Count("id"))
                                             .order_by("-n").values_list("municipality_id", "track_id", "n")):
        found.setdefault(municipality_id, []).append((names.get(track_id, ""), count))
    return found
