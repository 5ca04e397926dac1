"""Writes of the segmentation app, by topic: tracks, register-data import, suggestions
(screening), decisions, personal consultants, re-segmentation, notices and the model registry.

The score supports a decision and never makes one (ADR 0050): a suggestion changes nothing for
the citizen; only `decision_make` by a person does. A citizen who objects to profiling gets no
risk score at all (audit.selectors.profiling_objected), and staff decide without it.

Other apps import from `jobunivers.segmentation.services` only; the modules are internal.
"""

from .consultants import _announce_assignment, consultant_assign, next_consultant
from .decisions import COMMENT_MAX_LENGTH, _citizen_of, _membership, decision_make, suggestion_disagree
from .fairness_groups import fairness_group_register, fairness_group_remove
from .model import (
    TrainingData,
    can_promote_models,
    model_promote,
    model_register,
    model_train_from_outcomes,
    model_train_synthetic,
    training_data_from_outcomes,
)
from .notices import _notice, _render_notice, _slug
from .register import REGISTER_COLUMNS, RegisterImportReport, register_data_import
from .resegmentation import (
    BUILT_IN_SOURCES,
    ResegmentationResult,
    _activity_sources,
    _push_sources,
    activity_source_register,
    resegment_municipality,
    unanswered_push_source_register,
)
from .retention import FAIRNESS_REVIEW_RETENTION_DAYS, fairness_reviews_purge, track_history_purge
from .review import fairness_review_run
from .screening import (
    HIGH_RISK,
    LONG_UNEMPLOYMENT_WEEKS,
    MEDIUM_RISK,
    RECENT_JOB_WEEKS,
    _load_estimator,
    _model_cache,
    explain,
    on_onboarding_completed,
    suggestion_create,
    suggestions_create,
)
from .second_review import second_review_record, second_review_sample
from .tracks import DEFAULT_TRACKS, track_for_level, tracks_ensure_defaults

__all__ = [
    "BUILT_IN_SOURCES", "COMMENT_MAX_LENGTH", "DEFAULT_TRACKS", "FAIRNESS_REVIEW_RETENTION_DAYS", "fairness_reviews_purge", "track_history_purge", "HIGH_RISK", "LONG_UNEMPLOYMENT_WEEKS",
    "MEDIUM_RISK", "RECENT_JOB_WEEKS", "REGISTER_COLUMNS", "RegisterImportReport", "ResegmentationResult",
    "TrainingData", "activity_source_register", "can_promote_models", "consultant_assign", "decision_make",
    "explain", "fairness_group_register", "fairness_group_remove", "fairness_review_run", "model_promote", "model_register", "model_train_from_outcomes", "model_train_synthetic",
    "next_consultant", "on_onboarding_completed", "register_data_import", "resegment_municipality", "second_review_record", "second_review_sample",
    "suggestion_create", "suggestions_create", "suggestion_disagree", "track_for_level", "tracks_ensure_defaults",
    "training_data_from_outcomes", "unanswered_push_source_register",
    # internal, kept importable for the app's own tests
    "_activity_sources", "_announce_assignment", "_citizen_of", "_load_estimator", "_membership",
    "_model_cache", "_notice", "_render_notice", "_slug", "_push_sources",
]
