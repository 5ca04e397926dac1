"""Personal data of the citizen journey, for "Mine data" (export) and erasure.

Help data (profile, CV, questionnaire, goals, intro package) is erased on request. The job log and
the activities agreed with the job centre document availability and the job centre's decisions,
so they are kept for the period the law requires and labelled as availability documentation.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from jobunivers.audit.privacy import (
    Shown,
    exempt_from_personal_data,
    register_access_subject,
    register_personal_data,
    shown_as,
    value_text,
)

from .models import (
    Barrier,
    ContactChannel,
    CreatedByKind,
    CvDocument,
    DrivingLicence,
    Education,
    EmployerVisibility,
    EmploymentType,
    IntroPackageProgress,
    JobLogEntry,
    OnboardingAnswers,
    PlanGoal,
    PlanItem,
    PlanItemVersion,
    Profile,
    SavedJob,
    WelcomeContent,
    WorkExperience,
)

KEEP_5_YEARS = _("Kept 5 years: the job centre must document availability and its decisions "
                 "(Act on an Active Employment Effort).")


def _iso(value):
    return value.isoformat() if value is not None else None


def _citizen_filter(user) -> dict:
    return {"citizen__user": user}


# Onboarding answers --------------------------------------------------------------------

def export_answers(user) -> list[dict]:
    return [
        {"self_assessed_chances": a.self_assessed_chances, "expected_weeks_to_job": a.expected_weeks_to_job,
         "barriers": a.barriers, "job_search_confidence": a.job_search_confidence,
         "digital_skills": a.digital_skills, "wants_personal_contact": a.wants_personal_contact,
         "preferred_contact": a.preferred_contact, "contact_channels": a.contact_channels,
         "education_level": a.education_level, "work_history_summary": a.work_history_summary,
         "submitted_at": _iso(a.submitted_at), "revised_at": _iso(a.revised_at), "revision": a.revision}
        for a in OnboardingAnswers.all_tenants.filter(**_citizen_filter(user))
    ]


def erase_answers(user) -> None:
    OnboardingAnswers.all_tenants.filter(**_citizen_filter(user)).delete()


# Profile, experience, education ----------------------------------------------------------

def export_profile(user) -> list[dict]:
    result = []
    for p in Profile.all_tenants.filter(**_citizen_filter(user)):
        row = {"summary": p.summary, "occupation_text": p.occupation_text, "skill_uris": p.skill_uris,
               "skills_text": p.skills_text, "education_level": p.education_level, "languages": p.languages,
               "driving_licences": p.driving_licences, "hours_per_week": p.hours_per_week,
               "employment_types": p.employment_types, "radius_km": p.radius_km, "remote_ok": p.remote_ok,
               "sectors": p.sectors, "followed_companies": p.followed_companies, "keywords": p.keywords,
               "employer_visibility": p.employer_visibility, "updated_at": _iso(p.updated_at)}
        if hasattr(p, "occupations"):
            row["occupations"] = [str(o) for o in p.occupations.all()]
        result.append(row)
    return result


def erase_profile(user) -> None:
    Profile.all_tenants.filter(**_citizen_filter(user)).delete()


def export_experience(user) -> list[dict]:
    return [{"employer": w.employer, "title": w.title, "from": _iso(w.started_on), "to": _iso(w.ended_on),
             "tasks": w.tasks} for w in WorkExperience.all_tenants.filter(**_citizen_filter(user))]


def erase_experience(user) -> None:
    WorkExperience.all_tenants.filter(**_citizen_filter(user)).delete()


def export_education(user) -> list[dict]:
    return [{"title": e.title, "institution": e.institution, "level": e.level, "completed_year": e.completed_year}
            for e in Education.all_tenants.filter(**_citizen_filter(user))]


def erase_education(user) -> None:
    Education.all_tenants.filter(**_citizen_filter(user)).delete()


# CV ---------------------------------------------------------------------------------------

def export_cv(user) -> list[dict]:
    return [{"file_name": d.original_name, "file_type": d.content_type, "size_bytes": d.size_bytes,
             "uploaded_at": _iso(d.created_at)} for d in CvDocument.all_tenants.filter(**_citizen_filter(user))]


def erase_cv(user) -> None:
    from .services import cv_directory

    documents = list(CvDocument.all_tenants.filter(**_citizen_filter(user)))
    paths = [cv_directory() / d.storage_name for d in documents]
    CvDocument.all_tenants.filter(pk__in=[d.pk for d in documents]).delete()

    def _unlink(paths: list[Path] = paths) -> None:
        for path in paths:
            path.unlink(missing_ok=True)

    # The files go only when the erasure as a whole has been committed.
    transaction.on_commit(_unlink)


# Intro package and goals ---------------------------------------------------------------------

def export_intro(user) -> list[dict]:
    return [{"item": p.item.title, "ticked_off_at": _iso(p.completed_at)}
            for p in IntroPackageProgress.all_tenants.filter(**_citizen_filter(user)).select_related("item")]


def erase_intro(user) -> None:
    IntroPackageProgress.all_tenants.filter(**_citizen_filter(user)).delete()


def export_goals(user) -> list[dict]:
    return [{"goal": g.text, "target_on": _iso(g.target_on), "achieved": g.is_achieved}
            for g in PlanGoal.all_tenants.filter(**_citizen_filter(user))]


def erase_goals(user) -> None:
    PlanGoal.all_tenants.filter(**_citizen_filter(user)).delete()


# Plan items ------------------------------------------------------------------------------------

def export_plan(user) -> list[dict]:
    return [
        {"type": i.item_type, "status": i.status, "title": i.title, "description": i.description,
         "starts_on": _iso(i.starts_on), "due_on": _iso(i.due_on), "link": i.link, "location": i.location,
         "agreed_with_job_centre": i.agreed_with_job_centre, "created_by": i.created_by_kind,
         "versions": [{"version": v.version, "when": _iso(v.created_at), "by": v.changed_by_kind,
                       "changes": v.changes} for v in i.versions.all()]}
        for i in PlanItem.all_tenants.filter(**_citizen_filter(user)).prefetch_related(
            # Exports run outside any municipality: read versions through the unscoped manager.
            Prefetch("versions", queryset=PlanItemVersion.all_tenants.order_by("version")))
    ]


def erase_plan(user) -> None:
    # The citizen's own activities go; what was agreed with or made by the job centre is kept.
    PlanItem.all_tenants.filter(**_citizen_filter(user), created_by_kind=CreatedByKind.CITIZEN,
                                agreed_with_job_centre=False).delete()


def _versions_text(versions) -> list[str]:
    """Each change of a plan item as one line: "Version 2, 4. december 2026 kl. 10.12, by you: title"."""
    kinds = dict(CreatedByKind.choices)
    lines = []
    for version in versions or []:
        changed = [str(shown_as(PlanItem, key).label) if _is_field(PlanItem, key) else key
                   for key in (version.get("changes") or {})]
        line = _("Version %(version)s, %(when)s, by %(by)s") % {
            "version": version.get("version"), "when": value_text(version.get("when")),
            "by": str(kinds.get(version.get("by"), version.get("by"))).lower(),
        }
        lines.append(f"{line}: {', '.join(changed)}" if changed else line)
    return lines


def _skill_labels(uris) -> list[str]:
    """ESCO skill addresses as the skills' names (an unknown address stays as it is)."""
    from jobunivers.taxonomy.selectors import get_skill_by_uri

    labels = []
    for uri in uris or []:
        skill = get_skill_by_uri(uri=uri)
        labels.append(skill.preferred_label if skill is not None else uri)
    return labels


def _is_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except Exception:
        return False
    return True


# Job log ----------------------------------------------------------------------------------------

def export_job_log(user) -> list[dict]:
    return [
        {"kind": e.kind, "employer": e.employer, "job_title": e.job_title, "date": _iso(e.occurred_on),
         "how": e.how_applied, "follow_up": e.status, "notes": e.notes, "registered_at": _iso(e.created_at)}
        for e in JobLogEntry.all_tenants.filter(**_citizen_filter(user))
    ]


def export_saved_jobs(user) -> list[dict]:
    return [{"job_ad": str(s.posting), "saved_at": _iso(s.created_at)}
            for s in SavedJob.all_tenants.filter(**_citizen_filter(user)).select_related("posting")]


def erase_saved_jobs(user) -> None:
    SavedJob.all_tenants.filter(**_citizen_filter(user)).delete()


register_personal_data(SavedJob, category=_("Your saved jobs"), purpose="help", export=export_saved_jobs,
                       erase=erase_saved_jobs, fields={"job_ad": _("Job ad"), "saved_at": _("Saved")})
register_personal_data(OnboardingAnswers, category=_("Your answers to the start questionnaire"), purpose="help",
                       export=export_answers, erase=erase_answers,
                       fields={"barriers": shown_as(OnboardingAnswers, "barriers", choices=dict(Barrier.choices)),
                               "contact_channels": shown_as(OnboardingAnswers, "contact_channels",
                                                             choices=dict(ContactChannel.choices))})
register_personal_data(Profile, category=_("Your job profile"), purpose="help", export=export_profile,
                       erase=erase_profile, fields={
                           "skill_uris": Shown(shown_as(Profile, "skill_uris").label, text=_skill_labels),
                           "driving_licences": shown_as(Profile, "driving_licences", choices=dict(DrivingLicence.choices)),
                           "employment_types": shown_as(Profile, "employment_types", choices=dict(EmploymentType.choices)),
                           "employer_visibility": shown_as(Profile, "employer_visibility",
                                                         choices=dict(EmployerVisibility.choices))})
register_personal_data(WorkExperience, category=_("Your work experience"), purpose="help",
                       export=export_experience, erase=erase_experience,
                       fields={"from": shown_as(WorkExperience, "started_on"), "to": shown_as(WorkExperience, "ended_on")})
register_personal_data(Education, category=_("Your education"), purpose="help", export=export_education,
                       erase=erase_education)
register_personal_data(CvDocument, category=_("Your uploaded CV"), purpose="help", export=export_cv, erase=erase_cv,
                       fields={"file_name": shown_as(CvDocument, "original_name"),
                               "file_type": shown_as(CvDocument, "content_type"), "uploaded_at": _("Uploaded")})
register_personal_data(IntroPackageProgress, category=_("Your intro package"), purpose="help",
                       export=export_intro, erase=erase_intro,
                       fields={"ticked_off_at": shown_as(IntroPackageProgress, "completed_at")})
register_personal_data(PlanGoal, category=_("Your goals"), purpose="help", export=export_goals, erase=erase_goals,
                       fields={"goal": shown_as(PlanGoal, "text"), "achieved": shown_as(PlanGoal, "is_achieved")})
register_personal_data(
    PlanItem, category=_("Your employment plan"), purpose="availability", export=export_plan, erase=erase_plan,
    fields={"type": shown_as(PlanItem, "item_type"), "created_by": shown_as(PlanItem, "created_by_kind"),
            "versions": Shown(_("Changes"), text=_versions_text),
            # keys inside each version (shown through _versions_text)
            "when": _("When"), "by": shown_as(PlanItemVersion, "changed_by_kind"),
            "changes": shown_as(PlanItemVersion, "changes")},
    keep_reason=_("Activities agreed with or made by the job centre are kept 5 years: they document your plan "
                  "and the job centre's decisions (Act on an Active Employment Effort)."),
)
register_personal_data(JobLogEntry, category=_("Your job log"), purpose="availability", export=export_job_log,
                       erase=None, keep_reason=KEEP_5_YEARS,
                       fields={"date": shown_as(JobLogEntry, "occurred_on"), "how": shown_as(JobLogEntry, "how_applied"),
                               "follow_up": shown_as(JobLogEntry, "status"), "registered_at": _("Registered")})
exempt_from_personal_data(PlanItemVersion, reason="versions are exported and erased with their plan item")
exempt_from_personal_data(WelcomeContent, reason="municipal content; the link is to the administrator who edited it")
register_access_subject("citizens.cv", _("your CV"))
