"""The citizen's own space ("Min side"), the administrator's content pages, and the staff CV view.

Views are thin: parse with a form, call a service or selector, render. Every form works without
JavaScript; HTMX only enhances (the occupation typeahead).

One module per page group (`onboarding`, `profile`, `cv`, `plan`, `job_log`, `saved_jobs`,
`administration`); `urls.py` refers to the names re-exported here.
"""

from .administration import (
    admin_intro_item,
    admin_plan_template,
    admin_welcome,
)
from .cv import (
    cv,
    cv_print,
    staff_cv,
)
from .job_log import (
    WEEKS_SHOWN,
    job_log,
    job_log_entry,
    job_log_export,
)
from .onboarding import (
    home,
    intro_tick,
    questionnaire,
    welcome,
)
from .plan import (
    plan,
    plan_from_template,
    plan_goal_add,
    plan_goal_toggle,
    plan_item,
    plan_pdf,
)
from .profile import (
    education_add,
    education_delete,
    experience_add,
    experience_delete,
    occupation_add,
    occupation_remove,
    occupation_search,
    profile,
    skill_add,
    skill_remove,
    skill_search,
)
from .saved_jobs import (
    job_add_to_plan,
    job_applied,
    job_save,
)

__all__ = [
    "WEEKS_SHOWN",
    "admin_intro_item",
    "admin_plan_template",
    "admin_welcome",
    "cv",
    "cv_print",
    "education_add",
    "education_delete",
    "experience_add",
    "experience_delete",
    "home",
    "intro_tick",
    "job_add_to_plan",
    "job_applied",
    "job_log",
    "job_log_entry",
    "job_log_export",
    "job_save",
    "occupation_add",
    "occupation_remove",
    "occupation_search",
    "plan",
    "plan_from_template",
    "plan_goal_add",
    "plan_goal_toggle",
    "plan_item",
    "plan_pdf",
    "profile",
    "questionnaire",
    "skill_add",
    "skill_remove",
    "skill_search",
    "staff_cv",
    "welcome",
]
