"""Every write in the citizen journey: onboarding, profile, CV, plan, job log, saved jobs.

Services are atomic, validate their input (raising `ValidationFailed` with translated messages,
writing nothing), refuse stale edits with `ConflictError` (optimistic locking on a `version`
field) and publish events on commit. Callers pass the acting user; services check that the actor
may act on the citizen, so views, API and tasks share the same rules.

One module per topic (`onboarding`, `profile`, `cv`, `plan`, `job_log`, `saved_jobs`); the public
names are re-exported here so other apps import `jobunivers.citizens.services` only.
"""

from ._common import (
    EARLIEST_WORK_YEAR,
    JOB_LOG_PAST_DAYS,
    PLAN_DATE_FUTURE_DAYS,
    PLAN_DATE_PAST_DAYS,
)
from .cv import (
    CV_DOCX,
    CV_MAX_BYTES,
    CV_PDF,
    cv_delete,
    cv_directory,
    cv_upload,
)
from .job_log import (
    job_log_entry_add,
    job_log_entry_delete,
    job_log_entry_update,
)
from .onboarding import (
    WELCOME_FIELDS,
    citizen_register_on_sign_in,
    intro_item_tick,
    intro_package_item_save,
    on_citizen_signed_in,
    onboarding_answers_submit,
    plan_template_save,
    welcome_content_update,
    welcome_mark_seen,
)
from .plan import (
    CITIZEN_FIELDS_ON_AGREED_ITEMS,
    PLAN_ITEM_FIELDS,
    plan_goal_add,
    plan_goal_set_achieved,
    plan_item_create,
    plan_item_from_template,
    plan_item_update,
)
from .profile import (
    MAX_SKILLS,
    PROFILE_FIELDS,
    education_add,
    education_delete,
    profile_get_or_create,
    profile_occupation_add,
    profile_occupation_remove,
    profile_skill_add,
    profile_skill_remove,
    profile_update,
    work_experience_add,
    work_experience_delete,
)
from .saved_jobs import (
    job_add_to_plan,
    job_applied,
    job_save,
    job_unsave,
)

__all__ = [
    "CITIZEN_FIELDS_ON_AGREED_ITEMS",
    "CV_DOCX",
    "CV_MAX_BYTES",
    "CV_PDF",
    "EARLIEST_WORK_YEAR",
    "JOB_LOG_PAST_DAYS",
    "MAX_SKILLS",
    "PLAN_DATE_FUTURE_DAYS",
    "PLAN_DATE_PAST_DAYS",
    "PLAN_ITEM_FIELDS",
    "PROFILE_FIELDS",
    "WELCOME_FIELDS",
    "citizen_register_on_sign_in",
    "cv_delete",
    "cv_directory",
    "cv_upload",
    "education_add",
    "education_delete",
    "intro_item_tick",
    "intro_package_item_save",
    "job_add_to_plan",
    "job_applied",
    "job_log_entry_add",
    "job_log_entry_delete",
    "job_log_entry_update",
    "job_save",
    "job_unsave",
    "on_citizen_signed_in",
    "onboarding_answers_submit",
    "plan_goal_add",
    "plan_goal_set_achieved",
    "plan_item_create",
    "plan_item_from_template",
    "plan_item_update",
    "plan_template_save",
    "profile_get_or_create",
    "profile_occupation_add",
    "profile_occupation_remove",
    "profile_skill_add",
    "profile_skill_remove",
    "profile_update",
    "welcome_content_update",
    "welcome_mark_seen",
    "work_experience_add",
    "work_experience_delete",
]
