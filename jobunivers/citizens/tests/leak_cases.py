"""Cross-municipality cases for every citizens URL (tests/tenancy/test_cross_municipality.py)."""

from django.utils import timezone

from jobunivers.audit.testing import AccessLogCase
from jobunivers.core.testing import LeakCase, ListLeakCase
from jobunivers.tenancy.roles import Role


def _other_citizen(world):
    from jobunivers.citizens.models import Citizen

    return Citizen.all_tenants.get(user=world.other_users["citizen"])


def _other_citizen_name(world):
    user = world.other_users["citizen"]
    user.first_name = "MARKEROTHERCITIZEN"
    user.save(update_fields=["first_name"])
    return "MARKEROTHERCITIZEN", {}


def _other_plan_item(world):
    from jobunivers.citizens import services

    citizen = _other_citizen(world)
    item = services.plan_item_create(actor=citizen.user, citizen=citizen, item_type="own_activity",
                                     title="MARKEROTHERPLAN", created_by_kind="citizen")
    return item


def _plan_marker(world):
    _other_plan_item(world)
    return "MARKEROTHERPLAN", {}


def _plan_item_kwargs(world):
    return {"plan_item_id": _other_plan_item(world).pk}


def _other_entry(world):
    from jobunivers.citizens import services

    citizen = _other_citizen(world)
    return services.job_log_entry_add(actor=citizen.user, citizen=citizen, employer="MARKEROTHERLOG",
                                      job_title="MARKEROTHERLOG", occurred_on=timezone.localdate())


def _job_log_marker(world):
    _other_entry(world)
    return "MARKEROTHERLOG", {}


def _other_answers_marker(world):
    from jobunivers.citizens import services

    citizen = _other_citizen(world)
    services.onboarding_answers_submit(actor=citizen.user, citizen=citizen, data={
        "self_assessed_chances": 3, "expected_weeks_to_job": 10, "job_search_confidence": 3,
        "digital_skills": "confident", "preferred_contact": "virtual", "work_history_summary": "MARKEROTHERANSWERS"})
    return "MARKEROTHERANSWERS", {}


def _other_profile_marker(world):
    from jobunivers.citizens import services

    citizen = _other_citizen(world)
    profile = services.profile_get_or_create(citizen=citizen)
    services.profile_update(actor=citizen.user, citizen=citizen, data={"summary": "MARKEROTHERPROFILE",
                                                                        "skills_text": "MARKEROTHERPROFILE"},
                            expected_version=profile.version)
    return "MARKEROTHERPROFILE", {}


def _other_welcome_marker(world):
    from jobunivers.citizens.models import IntroPackageItem, PlanTemplate, WelcomeContent

    WelcomeContent.all_tenants.create(municipality=world.other, intro_da="MARKEROTHERWELCOME",
                                      intro_en="MARKEROTHERWELCOME")
    IntroPackageItem.all_tenants.create(municipality=world.other, title="MARKEROTHERWELCOME",
                                        url="https://example.org/")
    PlanTemplate.all_tenants.create(municipality=world.other, title="MARKEROTHERWELCOME", item_type="course")
    return "MARKEROTHERWELCOME", {}


def _intro_item_kwargs(world):
    from jobunivers.citizens.models import IntroPackageItem

    item = IntroPackageItem.all_tenants.create(municipality=world.other, title="B", url="https://example.org/")
    return {"item_id": item.pk}


def _template_kwargs(world):
    from jobunivers.citizens.models import PlanTemplate

    return {"template_id": PlanTemplate.all_tenants.create(municipality=world.other, title="B", item_type="course").pk}


def _citizen_kwargs(world):
    return {"citizen_id": _other_citizen(world).pk}


def _entry_kwargs(world):
    return {"entry_id": _other_entry(world).pk}


def _experience_kwargs(world):
    from jobunivers.citizens.models import WorkExperience

    citizen = _other_citizen(world)
    experience = WorkExperience.all_tenants.create(citizen=citizen, municipality=world.other, employer="B",
                                                   title="B", started_on=timezone.localdate())
    return {"experience_id": experience.pk}


def _education_kwargs(world):
    from jobunivers.citizens.models import Education

    citizen = _other_citizen(world)
    return {"education_id": Education.all_tenants.create(citizen=citizen, municipality=world.other, title="B").pk}


def _goal_kwargs(world):
    from jobunivers.citizens.models import PlanGoal

    citizen = _other_citizen(world)
    return {"goal_id": PlanGoal.all_tenants.create(citizen=citizen, municipality=world.other, text="B").pk}


OBJECT_URLS = [
    LeakCase("citizens:plan_item", _plan_item_kwargs),
    LeakCase("citizens:job_log_entry", _entry_kwargs),
    LeakCase("citizens:staff_cv", _citizen_kwargs),
    LeakCase("citizens:admin_intro_item", _intro_item_kwargs),
    LeakCase("citizens:admin_plan_template", _template_kwargs),
    # POST endpoints: an object of B must not be changeable from A (404 for every role).
    LeakCase("citizens:intro_tick", _intro_item_kwargs, method="post"),
    LeakCase("citizens:experience_delete", _experience_kwargs, method="post"),
    LeakCase("citizens:education_delete", _education_kwargs, method="post"),
    LeakCase("citizens:plan_goal_toggle", _goal_kwargs, method="post"),
]

LIST_URLS = [
    ListLeakCase("citizens:home", _other_citizen_name),
    ListLeakCase("citizens:home", _plan_marker),
    ListLeakCase("citizens:welcome", _other_welcome_marker),
    ListLeakCase("citizens:questionnaire", _other_answers_marker),
    ListLeakCase("citizens:profile", _other_profile_marker),
    ListLeakCase("citizens:cv_print", _other_profile_marker),
    ListLeakCase("citizens:plan", _plan_marker),
    ListLeakCase("citizens:job_log", _job_log_marker),
    ListLeakCase("citizens:job_log_export", lambda world: (_job_log_marker(world)[0], {"file_format": "csv"})),
    ListLeakCase("citizens:admin_welcome", _other_welcome_marker),
    ListLeakCase("citizens:admin_intro_item_new", _other_welcome_marker),
    ListLeakCase("citizens:admin_plan_template_new", _other_welcome_marker),
]

EXEMPT = {
    "citizens:plan_pdf": "binary PDF of the signed-in citizen's own plan (built from the same selector as "
                         "citizens:plan, which has a list case); covered in test_views",
    "citizens:occupation_search": "national ESCO occupation look-up (reference data, no municipal data)",
    "citizens:occupation_add": "POST only; acts on the signed-in citizen's own profile in this municipality",
    "citizens:occupation_remove": "POST only; acts on the signed-in citizen's own profile in this municipality",
    "citizens:skill_search": "national ESCO skill look-up (reference data, no municipal data)",
    "citizens:skill_add": "POST only; acts on the signed-in citizen's own profile in this municipality",
    "citizens:skill_remove": "POST only; acts on the signed-in citizen's own profile in this municipality",
    "citizens:experience_add": "POST only; adds to the signed-in citizen's own profile",
    "citizens:education_add": "POST only; adds to the signed-in citizen's own profile",
    "citizens:cv": "the signed-in citizen's own CV only (no id in the URL); staff use citizens:staff_cv",
    "citizens:plan_from_template": "POST only; templates are looked up in the municipality in context",
    "citizens:plan_goal_add": "POST only; adds to the signed-in citizen's own plan",
    "citizens:job_save": "POST only; job ads are national, the saved job belongs to the signed-in citizen",
    "citizens:job_add_to_plan": "POST only; job ads are national, the plan item belongs to the signed-in citizen",
    "citizens:job_applied": "POST only; job ads are national, the entry belongs to the signed-in citizen",
}


# --- Access log (audit/tests/test_access_log_coverage.py): data in A (world.home) --------------------


def _home_cv(world):
    """A CV of A's citizen, stored (test settings: a temporary private media root)."""
    from jobunivers.citizens import services
    from jobunivers.citizens.models import CvDocument

    citizen = world.users["citizen"].citizen
    document = CvDocument.all_tenants.create(citizen=citizen, municipality=world.home,
                                             storage_name=f"access-log-{citizen.pk}.pdf",
                                             original_name="cv.pdf", content_type="application/pdf", size_bytes=9)
    services.cv_directory().mkdir(parents=True, exist_ok=True)
    (services.cv_directory() / document.storage_name).write_bytes(b"%PDF-1.4\n")
    return {"citizen_id": citizen.pk}


ACCESS_LOG_CASES = [
    AccessLogCase("citizens:staff_cv", _home_cv, Role.JOB_ADVISER),
]

_OWN = "the signed-in citizen's own {what}; staff are refused (403) after the object lookup"
NO_CITIZEN_DATA = {
    "citizens:intro_tick": _OWN.format(what="intro package tick (POST)"),
    "citizens:education_delete": _OWN.format(what="education (POST delete)"),
    "citizens:experience_delete": _OWN.format(what="work experience (POST delete)"),
    "citizens:job_log_entry": _OWN.format(what="job log entry"),
    "citizens:plan_goal_toggle": _OWN.format(what="plan goal (POST)"),
    "citizens:plan_item": _OWN.format(what="plan item"),
    "citizens:admin_welcome": "municipal admin: the municipality's welcome text; no citizen's data",
    "citizens:admin_intro_item": "municipal admin: an intro package item (title, link); no citizen's data",
    "citizens:admin_intro_item_new": "municipal admin: a new intro package item; no citizen's data",
    "citizens:admin_plan_template": "municipal admin: a plan template; no citizen's data",
    "citizens:admin_plan_template_new": "municipal admin: a new plan template; no citizen's data",
}
