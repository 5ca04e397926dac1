"""Reads about citizens and their journey, scoped to the municipality in context.

Every selector uses the fail-closed tenant manager (`objects`), so a selector called under
municipality A never returns municipality B's citizen: staff of the citizen's municipality can
read plan and job log, staff elsewhere get nothing (or NotFound). `access_<entity>(*, actor, id,
purpose)` selectors check the actor with `permissions` and, when staff read a citizen's data, write
the access-log entry in the same transaction (docs/development.md). The one national read,
`profiles_for_matching(municipality_id=None)`, is named for its batch purpose.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jobunivers.audit.services import citizen_access_record
from jobunivers.core.errors import NotFound

from . import permissions
from .contracts import (
    CitizenProfile,
    EmployerFacts,
    JobSearchFacts,
    OccupationSought,
    ScreeningAnswers,
    SeekerProfile,
    WeekCount,
)
from .models import (
    Citizen,
    CvDocument,
    DigitalSkills,
    IntroPackageItem,
    IntroPackageProgress,
    JobLogEntry,
    JobLogKind,
    OnboardingAnswers,
    PlanGoal,
    PlanItem,
    PlanItemComment,
    PlanItemStatus,
    PlanItemType,
    PlanItemVersion,
    PlanTemplate,
    Profile,
    WelcomeContent,
)

OPEN_STATUSES = (PlanItemStatus.PLANNED, PlanItemStatus.IN_PROGRESS)


def citizen_for_user(*, user) -> Citizen | None:
    return Citizen.objects.select_related("postcode").filter(user=user).first()


def citizen_of(*, municipality_id: int, citizen_id: int) -> Citizen | None:
    """The citizen with this id in this municipality (with their user), or None. For apps reacting to an
    event about a citizen (no actor, no access log: nothing is shown to anyone)."""
    return (Citizen.all_tenants.select_related("user").filter(pk=citizen_id, municipality_id=municipality_id)
            .first())


def own_citizen(*, user) -> Citizen:
    """The signed-in user's own citizen record in the current municipality (Citizen.objects is scoped to
    it); NotFound (404) for anyone who is not a citizen here. Citizen-facing views of every app start here."""
    citizen = citizen_for_user(user=user)
    if citizen is None:
        raise NotFound
    return citizen


def _log_staff_read(actor, citizen: Citizen, *, purpose: str, what: str) -> None:
    """Staff reading a citizen's data leave an access-log entry; the citizen reading their own do not."""
    if not permissions.is_owner(actor, citizen):
        citizen_access_record(actor=actor, municipality_id=citizen.municipality_id, citizen_id=citizen.pk,
                              what=what, purpose=purpose)


@transaction.atomic
def access_citizen(*, actor, id: int, purpose: str, what: str = "citizen",
                   permission: Callable[[object, Citizen], bool] | None = None) -> Citizen:
    """A citizen whose case the actor (staff of the citizen's municipality) may open, access-logged
    in the same transaction. Missing, another municipality's and forbidden look the same (NotFound).

    `what` names what the caller shows (for the log, e.g. "citizen overview"); `purpose` is
    "help" or "availability". An app whose action admits other roles passes its own
    `can_<verb>_<entity>` as `permission` (segmentation: administrators assign consultants);
    the default is `permissions.can_view_citizen`.
    """
    permission = permission or permissions.can_view_citizen
    citizen = Citizen.objects.select_related("user", "postcode").filter(pk=id).first()
    if citizen is None or not permission(actor, citizen):
        raise NotFound
    citizen_access_record(actor=actor, municipality_id=citizen.municipality_id, citizen_id=citizen.pk,
                          what=what, purpose=purpose)
    return citizen


@transaction.atomic
def access_cv(*, actor, id: int, purpose: str) -> CvDocument:
    """The CV of citizen `id` for staff of their municipality, access-logged in the same transaction."""
    document = CvDocument.objects.select_related("citizen").filter(citizen_id=id).first()
    if document is None or not permissions.can_view_cv(actor, document.citizen):
        raise NotFound
    citizen_access_record(actor=actor, municipality_id=document.municipality_id, citizen_id=document.citizen_id,
                          what="citizens.cv", purpose=purpose)
    return document


# --- Onboarding -------------------------------------------------------------------


def _answers_contract(answers: OnboardingAnswers) -> ScreeningAnswers:
    return ScreeningAnswers(
        citizen_id=answers.citizen_id,
        municipality_id=answers.municipality_id,
        self_assessed_chances=answers.self_assessed_chances,
        expected_weeks_to_job=answers.expected_weeks_to_job,
        barriers=tuple(answers.barriers or ()),
        job_search_confidence=answers.job_search_confidence,
        digital_skills=answers.digital_skills,
        wants_personal_contact=answers.wants_personal_contact,
        preferred_contact=answers.preferred_contact,
        contact_channels=tuple(answers.contact_channels or ()),
        education_level=answers.education_level,
        work_history_summary=answers.work_history_summary,
        submitted_at=answers.submitted_at,
        revised_at=answers.revised_at,
        revision=answers.revision,
    )


def screening_answers_for(*, citizen_id: int) -> ScreeningAnswers | None:
    """The citizen's questionnaire answers, or None if they have not answered (or are not in context)."""
    answers = OnboardingAnswers.objects.filter(citizen_id=citizen_id).first()
    return _answers_contract(answers) if answers else None


def screening_answers_for_citizens(*, municipality_id: int, citizen_ids: list[int]) -> dict[int, ScreeningAnswers]:
    """The answers of many citizens of one municipality at once (batch suggestions), by citizen id."""
    rows = OnboardingAnswers.all_tenants.filter(municipality_id=municipality_id, citizen_id__in=citizen_ids)
    return {answers.citizen_id: _answers_contract(answers) for answers in rows}


def onboarding_answers_for(*, citizen_id: int) -> OnboardingAnswers | None:
    return OnboardingAnswers.objects.filter(citizen_id=citizen_id).first()


def wants_more_support(*, citizen: Citizen) -> bool:
    """Citizens who said they need help with the platform, or asked for a personal conversation,
    get the simpler start page."""
    answers = OnboardingAnswers.objects.filter(citizen=citizen).only("digital_skills", "wants_personal_contact").first()
    return bool(answers and (answers.digital_skills == DigitalSkills.NEEDS_HELP or answers.wants_personal_contact))


def welcome_content_for(*, municipality_id: int, language: str) -> dict[str, str]:
    """The welcome texts in the language asked for; a field left empty by the municipality is ''
    (the template then shows the national default)."""
    content = WelcomeContent.objects.filter(municipality_id=municipality_id).first()
    suffix = "en" if language.startswith("en") else "da"
    result = {}
    for field in ("intro", "rights_and_duties", "next_steps", "help"):
        result[field] = getattr(content, f"{field}_{suffix}", "") if content else ""
    return result


def welcome_content_record(*, municipality_id: int) -> WelcomeContent | None:
    return WelcomeContent.objects.filter(municipality_id=municipality_id).first()


def intro_package_for(*, citizen: Citizen) -> list[tuple[IntroPackageItem, bool]]:
    done = set(IntroPackageProgress.objects.filter(citizen=citizen).values_list("item_id", flat=True))
    return [(item, item.pk in done) for item in IntroPackageItem.objects.filter(is_active=True)]


def access_intro_item(*, actor, id: int) -> IntroPackageItem:
    """An intro package item for its municipality's administrator (NotFound for anyone else)."""
    item = IntroPackageItem.objects.filter(pk=id).first()
    if item is None or not permissions.can_manage_municipal_content(actor, item.municipality_id):
        raise NotFound
    return item


def access_plan_template(*, actor, id: int) -> PlanTemplate:
    """A plan template for its municipality's administrator (NotFound for anyone else)."""
    template = PlanTemplate.objects.filter(pk=id).first()
    if template is None or not permissions.can_manage_municipal_content(actor, template.municipality_id):
        raise NotFound
    return template


def intro_package_items(*, municipality_id: int) -> QuerySet[IntroPackageItem]:
    return IntroPackageItem.objects.filter(municipality_id=municipality_id)


# --- Profile ------------------------------------------------------------------------


def profile_record(*, citizen: Citizen) -> Profile | None:
    return Profile.objects.filter(citizen=citizen).first()


PROFILE_VALUES = ("id", "citizen_id", "municipality_id", "occupation_text", "skill_uris", "skills_text",
                  "radius_km", "hours_per_week", "employment_types", "remote_ok", "keywords", "languages",
                  "driving_licences", "education_level", "employer_visibility", "updated_at",
                  "citizen__postcode__code", "citizen__postcode__latitude", "citizen__postcode__longitude")


def _occupations_of(profile_ids: list[int]) -> dict[int, tuple[OccupationSought, ...]]:
    result: dict[int, list[OccupationSought]] = defaultdict(list)
    if not profile_ids:
        return {}
    through = Profile.occupations.through
    rows = (through.objects.filter(profile_id__in=profile_ids).order_by("id")
            .values_list("profile_id", "occupation_id", "occupation__isco_code", "occupation__preferred_label",
                         "occupation__preferred_label_da"))
    for profile_id, occupation_id, isco_code, label, label_da in rows:
        result[profile_id].append(OccupationSought(occupation_id=occupation_id, isco_code=isco_code or "",
                                                   label=label, label_da=label_da or ""))
    return {k: tuple(v) for k, v in result.items()}


def _profile_contracts(rows: list[dict]) -> list[CitizenProfile]:
    """Contracts for profile rows (dicts of PROFILE_VALUES): four queries whatever the number."""
    from .models import Education, WorkExperience

    occupations = _occupations_of([row["id"] for row in rows])
    citizen_ids = [row["citizen_id"] for row in rows]
    educations: dict[int, list[str]] = defaultdict(list)
    experience: dict[int, list[str]] = defaultdict(list)
    for citizen_id, title in Education.all_tenants.filter(citizen_id__in=citizen_ids).values_list("citizen_id", "title"):
        educations[citizen_id].append(title)
    for citizen_id, title in WorkExperience.all_tenants.filter(citizen_id__in=citizen_ids).values_list(
        "citizen_id", "title"
    ):
        experience[citizen_id].append(title)
    return [
        CitizenProfile(
            citizen_id=row["citizen_id"],
            municipality_id=row["municipality_id"],
            occupations=occupations.get(row["id"], ()),
            occupation_text=row["occupation_text"],
            skill_uris=tuple(row["skill_uris"] or ()),
            skills_text=row["skills_text"],
            home_postcode=row["citizen__postcode__code"] or "",
            latitude=row["citizen__postcode__latitude"],
            longitude=row["citizen__postcode__longitude"],
            radius_km=row["radius_km"],
            hours_per_week=row["hours_per_week"],
            employment_types=tuple(row["employment_types"] or ()),
            remote_ok=row["remote_ok"],
            keywords=tuple(k.strip() for k in (row["keywords"] or "").split(",") if k.strip()),
            languages=tuple(row["languages"] or ()),
            driving_licences=tuple(row["driving_licences"] or ()),
            education_level=row["education_level"],
            education_titles=tuple(educations.get(row["citizen_id"], ())),
            experience_titles=tuple(experience.get(row["citizen_id"], ())),
            employer_visibility=tuple(row["employer_visibility"] or ()),
            updated_at=row["updated_at"],
        )
        for row in rows
    ]


_profiles_read: ContextVar[dict[int, CitizenProfile | None] | None] = ContextVar("profiles_read", default=None)


@contextmanager
def profiles_read_once() -> Iterator[None]:
    """Within the block, `profile_for` reads each citizen's profile once (the start page's slots each ask
    for it). Only for reads: nothing in the block may change a profile."""
    if _profiles_read.get() is not None:  # already inside a block (the page's): keep its reads
        yield
        return
    token = _profiles_read.set({})
    try:
        yield
    finally:
        _profiles_read.reset(token)


def profile_for(*, citizen_id: int) -> CitizenProfile | None:
    """The citizen's profile for matching, or None if they have none (or are not in context)."""
    memo = _profiles_read.get()
    if memo is not None and citizen_id in memo:
        return memo[citizen_id]
    row = Profile.objects.filter(citizen_id=citizen_id).values(*PROFILE_VALUES).first()
    profile = _profile_contracts([row])[0] if row else None
    if memo is not None:
        memo[citizen_id] = profile
    return profile


def profiles_of(*, citizen_ids: Iterable[int]) -> dict[int, CitizenProfile]:
    """The profiles of these citizens, whatever their municipality (four queries). Unscoped on purpose, for
    national readers that first narrowed the ids to citizens who chose to be seen (coffee meetings' candidate
    views); a citizen without a profile is left out."""
    ids = sorted({int(i) for i in citizen_ids})
    if not ids:
        return {}
    rows = list(Profile.all_tenants.filter(citizen_id__in=ids).values(*PROFILE_VALUES))
    return {profile.citizen_id: profile for profile in _profile_contracts(rows)}


def employer_facts(*, citizen_ids: Iterable[int]) -> dict[int, EmployerFacts]:
    """What each of these citizens could show an employer (contracts.EmployerFacts), in Danish, whatever their
    municipality. Unscoped on purpose like `profiles_of`: the caller shows only what the citizen chose."""
    from django.utils import translation

    from jobunivers.taxonomy.selectors import label_of, skill_labels_by_uri

    from .models import Education, WorkExperience

    ids = sorted({int(i) for i in citizen_ids})
    citizens = {c.pk: c for c in Citizen.all_tenants.filter(pk__in=ids).select_related("user", "postcode")}
    profiles = {p.citizen_id: p for p in Profile.all_tenants.filter(citizen_id__in=ids)}
    occupations: dict[int, list[str]] = defaultdict(list)
    through = Profile.occupations.through
    experience: dict[int, list[str]] = defaultdict(list)
    educations: dict[int, list[str]] = defaultdict(list)
    with translation.override("da"):
        for citizen_id, label, label_da in (through.objects.filter(profile__citizen_id__in=ids).order_by("id")
                                            .values_list("profile__citizen_id", "occupation__preferred_label",
                                                         "occupation__preferred_label_da")):
            occupations[citizen_id].append(label_of({"preferred_label": label, "preferred_label_da": label_da}).text)
        uris = sorted({uri for p in profiles.values() for uri in (p.skill_uris or [])})
        skill_labels = skill_labels_by_uri(uris) if uris else {}
    for row in WorkExperience.all_tenants.filter(citizen_id__in=ids).order_by("-started_on", "-id"):
        years = f"{row.started_on.year}–{row.ended_on.year if row.ended_on else ''}"
        experience[row.citizen_id].append(f"{row.title}, {row.employer} ({years})")
    for schooling in Education.all_tenants.filter(citizen_id__in=ids).order_by("-completed_year", "-id"):
        educations[schooling.citizen_id].append(", ".join(v for v in (schooling.title, schooling.institution) if v))
    result = {}
    for citizen_id, citizen in citizens.items():
        profile = profiles.get(citizen_id)
        skills = [skill_labels[uri].text for uri in (profile.skill_uris if profile else []) if uri in skill_labels]
        if profile is not None and profile.skills_text.strip():
            skills.append(profile.skills_text.strip())
        postcode = citizen.postcode
        result[citizen_id] = EmployerFacts(
            citizen_id=citizen_id, municipality_id=citizen.municipality_id,
            name=(citizen.user.get_full_name() or "").strip(), occupations=tuple(occupations.get(citizen_id, ())),
            skills=tuple(skills), experience=tuple(experience.get(citizen_id, ())),
            education=tuple(educations.get(citizen_id, ())), summary=(profile.summary.strip() if profile else ""),
            area=f"{postcode.code} {postcode.name}" if postcode is not None else "")
    return result


def profiles_for_matching(*, municipality_id: int | None = None, batch_size: int = 1000) -> list[CitizenProfile]:
    """All profiles of one municipality, or (municipality_id=None) of every municipality, for batch
    matching. Four queries per batch of `batch_size` (profiles, occupations, educations, experience).

    The national variant is deliberately unscoped: it serves the nightly matching run, which
    works per citizen and keeps each citizen's municipality in the contract.
    """
    queryset = Profile.all_tenants.order_by("pk")
    if municipality_id is not None:
        queryset = queryset.filter(municipality_id=municipality_id)
    result: list[CitizenProfile] = []
    last_pk = 0
    while True:
        batch = list(queryset.filter(pk__gt=last_pk).values(*PROFILE_VALUES)[:batch_size])
        if not batch:
            break
        result.extend(_profile_contracts(batch))
        last_pk = batch[-1]["id"]
        if len(batch) < batch_size:
            break
    return result


def main_isco_code(occupations: Iterable[OccupationSought]) -> str:
    """The ISCO-08 unit group of the citizen's main wished occupation: the first they chose that has one."""
    return next((o.isco_code for o in occupations if o.isco_code), "")


def main_isco_codes(*, citizen_ids: Iterable[int]) -> dict[int, str]:
    """Citizen id -> `main_isco_code` of their profile, whatever their municipality; citizens without one are
    left out. Unscoped on purpose: for analytics' national, anonymous "people like you" aggregate (ADR 0130)."""
    ids = sorted({int(i) for i in citizen_ids})
    found: dict[int, str] = {}
    through = Profile.occupations.through
    for start in range(0, len(ids), 1000):
        rows = (through.objects.filter(profile__citizen_id__in=ids[start:start + 1000])
                .exclude(occupation__isco_code="").order_by("id")
                .values_list("profile__citizen_id", "occupation__isco_code"))
        for citizen_id, isco_code in rows:
            found.setdefault(citizen_id, isco_code)
    return found


def citizen_ids_seeking_isco(*, municipality_id: int, isco_prefixes: list[str]) -> QuerySet:
    """Ids (a subquery of `citizen_id`) of the municipality's citizens who seek an occupation whose ISCO-08
    code starts with one of these prefixes ("93" is the whole group, "9334" one unit group)."""
    condition = Q(pk__in=[])
    for prefix in isco_prefixes:
        condition |= Q(occupations__isco_code__startswith=prefix)
    return Profile.all_tenants.filter(condition, municipality_id=municipality_id).values("citizen_id")


def profile_completeness(*, citizen: Citizen, profile: Profile | None = None) -> tuple[int, list[str]]:
    """A percentage and the concrete things that would improve the citizen's matches. Without `profile`,
    from the matching profile (`profile_for`: read once per start page) and one query for the CV."""
    if profile is None:
        sought = profile_for(citizen_id=citizen.pk)
        if sought is not None:
            return _completeness(citizen, occupations=len(sought.occupations), occupation_text=sought.occupation_text,
                                 skills=bool(sought.skill_uris or sought.skills_text),
                                 experience=bool(sought.experience_titles),
                                 education=bool(sought.education_titles or sought.education_level),
                                 hours=bool(sought.hours_per_week), types=bool(sought.employment_types),
                                 languages=bool(sought.languages))
        profile = profile_record(citizen=citizen)
    from .models import Education, WorkExperience

    return _completeness(
        citizen, occupations=profile.occupations.count() if profile is not None else 0,
        occupation_text=profile.occupation_text if profile is not None else "",
        skills=bool(profile and (profile.skill_uris or profile.skills_text)),
        experience=WorkExperience.objects.filter(citizen=citizen).exists(),
        education=Education.objects.filter(citizen=citizen).exists() or bool(profile and profile.education_level),
        hours=bool(profile and profile.hours_per_week), types=bool(profile and profile.employment_types),
        languages=bool(profile and profile.languages))


def _completeness(citizen: Citizen, *, occupations: int, occupation_text: str, skills: bool, experience: bool,
                  education: bool, hours: bool, types: bool, languages: bool) -> tuple[int, list[str]]:
    has_occupations = occupations > 0 or bool(occupation_text)
    checks: list[tuple[bool, str]] = [
        (has_occupations, _("Add the occupations you are looking for; it is what matching relies on most.")),
        (occupations >= 2 or not has_occupations, _("Add a second occupation to see more relevant jobs.")),
        (bool(citizen.postcode_id), _("Add your home postcode so we can find jobs within your radius.")),
        (skills, _("Describe your skills so employers' requirements can be matched.")),
        (experience, _("Add your work experience.")),
        (education, _("Add your education.")),
        (hours, _("Say how many hours a week you want to work.")),
        (types, _("Choose the types of employment you want.")),
        (languages, _("Add the languages you speak.")),
        (CvDocument.objects.filter(citizen=citizen).exists(), _("Upload your CV.")),
    ]
    done = sum(1 for ok, _text in checks if ok)
    missing = [text for ok, text in checks if not ok]
    return round(100 * done / len(checks)), missing


# --- Employment plan -----------------------------------------------------------------


def plan_items_for(*, citizen_id: int, include_closed: bool = True) -> QuerySet[PlanItem]:
    """The citizen's plan items in the municipality in context (staff there, or the citizen)."""
    queryset = PlanItem.objects.filter(citizen_id=citizen_id).select_related("created_by")
    if not include_closed:
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    return queryset


def overdue_plan_items(*, citizen_id: int | None = None, today: datetime.date | None = None) -> QuerySet[PlanItem]:
    """Open plan items whose due date has passed, in the municipality in context (optionally one citizen)."""
    today = today or timezone.localdate()
    queryset = PlanItem.objects.filter(status__in=OPEN_STATUSES, due_on__lt=today).select_related("citizen")
    if citizen_id is not None:
        queryset = queryset.filter(citizen_id=citizen_id)
    return queryset.order_by("due_on", "id")


def due_plan_items(*, citizen_id: int, within_days: int = 14, today: datetime.date | None = None) -> QuerySet[PlanItem]:
    today = today or timezone.localdate()
    return PlanItem.objects.filter(
        citizen_id=citizen_id, status__in=OPEN_STATUSES, due_on__isnull=False,
        due_on__lte=today + datetime.timedelta(days=within_days),
    ).order_by("due_on", "id")


@transaction.atomic
def access_plan_item(*, actor, id: int, purpose: str = "help") -> PlanItem:
    """A plan item the actor may see: their own, or (staff) one of their municipality's citizens,
    whose read is access-logged in the same transaction."""
    item = PlanItem.objects.select_related("citizen", "created_by").filter(pk=id).first()
    if item is None or not permissions.can_view_plan_item(actor, item):
        raise NotFound
    _log_staff_read(actor, item.citizen, purpose=purpose, what="citizens.plan_item")
    return item


def access_own_plan_item(*, actor, id: int) -> PlanItem:
    """A plan item on the citizen's own page ("Min side"): only the citizen's own; anyone else,
    staff included, gets NotFound (staff read plans through the staff workspace, logged)."""
    item = PlanItem.objects.select_related("citizen", "created_by").filter(pk=id).first()
    if item is None or not permissions.is_owner(actor, item.citizen):
        raise NotFound
    return item


def plan_item_comments(*, plan_item_id: int) -> QuerySet[PlanItemComment]:
    """Answers and comments on a plan item, oldest first (read after access_plan_item)."""
    return PlanItemComment.objects.filter(plan_item_id=plan_item_id).select_related("author")


def plan_item_versions(*, plan_item_id: int) -> QuerySet[PlanItemVersion]:
    return PlanItemVersion.objects.filter(plan_item_id=plan_item_id).select_related("changed_by").order_by("-version")


def plan_goals_for(*, citizen_id: int) -> QuerySet[PlanGoal]:
    return PlanGoal.objects.filter(citizen_id=citizen_id)


def plan_templates(*, active_only: bool = True) -> QuerySet[PlanTemplate]:
    queryset = PlanTemplate.objects.all()
    return queryset.filter(is_active=True) if active_only else queryset


def search_agreements_for(*, citizen_id: int) -> QuerySet[PlanItem]:
    return PlanItem.objects.filter(
        citizen_id=citizen_id, item_type=PlanItemType.SEARCH_AGREEMENT, weekly_target__isnull=False
    ).exclude(status=PlanItemStatus.CANCELLED)


# --- Job log ------------------------------------------------------------------------


def job_log_for(*, citizen_id: int) -> QuerySet[JobLogEntry]:
    """The citizen's job log, newest first, in the municipality in context."""
    return JobLogEntry.objects.filter(citizen_id=citizen_id).order_by("-occurred_on", "-id")


@transaction.atomic
def access_job_log_entry(*, actor, id: int, purpose: str = "help") -> JobLogEntry:
    """A job log entry of the actor, or (staff, access-logged) of their municipality's citizen."""
    entry = JobLogEntry.objects.select_related("citizen").filter(pk=id).first()
    if entry is None or not permissions.can_view_citizen_space(actor, entry.citizen):
        raise NotFound
    _log_staff_read(actor, entry.citizen, purpose=purpose, what="citizens.job_log_entry")
    return entry


def access_own_job_log_entry(*, actor, id: int) -> JobLogEntry:
    """A job log entry on the citizen's own page: only the citizen's own (NotFound otherwise)."""
    entry = JobLogEntry.objects.select_related("citizen").filter(pk=id).first()
    if entry is None or not permissions.is_owner(actor, entry.citizen):
        raise NotFound
    return entry


def last_job_log_entry_at(*, citizen_id: int) -> datetime.datetime | None:
    """When the citizen last registered a job log entry (the explicit action), or None."""
    return JobLogEntry.objects.filter(citizen_id=citizen_id).aggregate(last=Max("created_at"))["last"]


def last_job_log_entries_at(*, citizen_ids: Iterable[int]) -> dict[int, datetime.datetime]:
    """Batch variant of last_job_log_entry_at for worklists."""
    rows = (JobLogEntry.objects.filter(citizen_id__in=list(citizen_ids)).values("citizen_id")
            .annotate(last=Max("created_at")))
    return {row["citizen_id"]: row["last"] for row in rows}


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def weekly_job_log_counts(*, citizen_id: int, weeks: int = 8, today: datetime.date | None = None) -> list[WeekCount]:
    """Applications and other activities per ISO week for the last `weeks` weeks (oldest first,
    the current week last), each against the search agreement in force that week (if any).

    A search agreement applies to a week when it is not cancelled and its period (starts_on ..
    due_on, open-ended if missing) overlaps the week; with several, the highest target applies.
    """
    today = today or timezone.localdate()
    weeks = max(1, min(int(weeks), 104))
    first_monday = _monday(today) - datetime.timedelta(weeks=weeks - 1)
    rows = (
        JobLogEntry.objects.filter(citizen_id=citizen_id, occurred_on__gte=first_monday, occurred_on__lte=today)
        .values("occurred_on", "kind").annotate(n=Count("id"))
    )
    applications: dict[datetime.date, int] = defaultdict(int)
    others: dict[datetime.date, int] = defaultdict(int)
    for row in rows:
        monday = _monday(row["occurred_on"])
        if row["kind"] == JobLogKind.APPLICATION:
            applications[monday] += row["n"]
        else:
            others[monday] += row["n"]
    agreements = list(search_agreements_for(citizen_id=citizen_id).values("starts_on", "due_on", "weekly_target",
                                                                          "created_at"))
    result = []
    for index in range(weeks):
        monday = first_monday + datetime.timedelta(weeks=index)
        sunday = monday + datetime.timedelta(days=6)
        targets: list[int] = []
        for agreement in agreements:
            start = agreement["starts_on"] or timezone.localtime(agreement["created_at"]).date()
            end = agreement["due_on"] or datetime.date.max
            if start <= sunday and end >= monday and agreement["weekly_target"]:
                targets.append(agreement["weekly_target"])
        iso = monday.isocalendar()
        result.append(WeekCount(week_start=monday, iso_year=iso[0], iso_week=iso[1],
                                count=applications.get(monday, 0), target=max(targets) if targets else None,
                                other_activities=others.get(monday, 0)))
    return result


def job_log_counts_by_citizen(*, citizen_ids: Iterable[int], since: datetime.date) -> dict[int, int]:
    """Applications since a date per citizen, for staff worklists and experiment results (the current
    municipality's citizens only). Above ONE_PASS citizens the municipality's entries are counted in one pass
    and the others dropped here: sending 117,000 ids as query parameters took 6 s on PostgreSQL alone."""
    ids = list(citizen_ids)
    entries = JobLogEntry.objects.filter(occurred_on__gte=since, kind=JobLogKind.APPLICATION)
    if len(ids) <= ONE_PASS:
        entries = entries.filter(citizen_id__in=ids)
    wanted = set(ids)
    return {row["citizen_id"]: row["n"] for row in entries.values("citizen_id").annotate(n=Count("id"))
            if row["citizen_id"] in wanted}


ONE_PASS = 5000  # citizens above which job_log_counts_by_citizen counts the whole municipality


def cv_for(*, citizen: Citizen) -> CvDocument | None:
    return CvDocument.objects.filter(citizen=citizen).first()




def saved_jobs_for(*, citizen_id: int) -> QuerySet:
    from .models import SavedJob

    return SavedJob.objects.filter(citizen_id=citizen_id).select_related("posting").order_by("-created_at")


def posting_states_for(*, citizen_id: int, posting_id: int) -> dict[str, bool]:
    """For a job ad page: has the citizen saved it, put it in the plan, logged an application?"""
    from .models import SavedJob

    return {
        "saved": SavedJob.objects.filter(citizen_id=citizen_id, posting_id=posting_id).exists(),
        "in_plan": PlanItem.objects.filter(citizen_id=citizen_id, posting_id=posting_id).exists(),
        "applied": JobLogEntry.objects.filter(citizen_id=citizen_id, posting_id=posting_id).exists(),
    }


def occupation_choices(*, query: str, limit: int = 15) -> list[dict]:
    """The typeahead's occupations for a Danish query: the taxonomy app's look-up (Danish job
    titles, then ESCO labels), as dicts with pk, label (a `ConceptLabel` in the active language:
    `{{ o.label|concept_label }}` marks a label of another language), isco_code and matched_label."""
    from jobunivers.taxonomy.selectors import ConceptLabel, search_occupations

    query = (query or "").strip()
    if len(query) < 2:
        return []
    # Label matches only: the typeahead must answer fast and never wait for a vector model.
    matches = search_occupations(query, limit=limit, semantic=False)
    return [{"pk": m.id, "label": ConceptLabel(m.label, m.label_lang), "isco_code": m.isco_code,
             "matched_label": m.matched_label if m.matched_label.lower() != m.label.lower() else ""}
            for m in matches if not m.deprecated]


def skill_choices(*, query: str, limit: int = 15) -> list[dict]:
    """The skills typeahead (ESCO labels, label matches only), as dicts with uri and label (a
    `ConceptLabel`: Danish where the skill has a Danish label, else marked as English)."""
    from jobunivers.taxonomy.selectors import ConceptLabel, search_skills

    query = (query or "").strip()
    if len(query) < 2:
        return []
    return [{"uri": m.uri, "label": ConceptLabel(m.label, m.label_lang)}
            for m in search_skills(query, limit=limit, semantic=False) if not m.deprecated]


def skills_of(*, profile: Profile | None) -> list[dict]:
    """The profile's ESCO skills with their labels (`ConceptLabel`s in the active language), in the
    order the citizen added them."""
    if profile is None or not profile.skill_uris:
        return []
    from jobunivers.taxonomy.selectors import ConceptLabel, skill_labels_by_uri

    labels = skill_labels_by_uri(profile.skill_uris)
    return [{"uri": uri, "label": labels.get(uri, ConceptLabel(uri, ""))} for uri in profile.skill_uris]


# --- Facts for the personal diagnosis (advice) ---------------------------------------------------


def citizen_ids_in(*, municipality_id: int, ids: Iterable[int], chunk: int = 5000) -> set[int]:
    """Which of `ids` are citizens of the municipality (a register import checks its rows with it)."""
    wanted = sorted(set(ids))
    found: set[int] = set()
    for start in range(0, len(wanted), chunk):
        found.update(Citizen.all_tenants.filter(municipality_id=municipality_id, pk__in=wanted[start:start + chunk])
                     .values_list("pk", flat=True))
    return found


def citizen_ids_after(*, after_id: int, limit: int) -> list[tuple[int, int]]:
    """(citizen id, municipality id) of every municipality's citizens after `after_id`, in id order:
    the batches of the weekly diagnosis run (national and deliberately unscoped, like
    profiles_for_matching; the run works per citizen and keeps each citizen's municipality)."""
    return list(Citizen.all_tenants.filter(pk__gt=after_id).order_by("pk").values_list("pk", "municipality_id")[:limit])


def job_search_facts_for(*, first_id: int, last_id: int, today: datetime.date) -> dict[int, JobSearchFacts]:
    """The diagnosis' job-search facts of the citizens with ids first_id..last_id (any municipality; the
    caller passes a batch it may read): five queries whatever the number. A range, not a list of ids,
    because the weekly run goes over every citizen in id order and a range costs nothing to build."""
    def span(field: str) -> Q:
        return Q(**{f"{field}__gte": first_id, f"{field}__lte": last_id})

    since_90 = today - datetime.timedelta(days=90)
    since_28 = today - datetime.timedelta(days=28)
    application = Q(kind=JobLogKind.APPLICATION)
    recent = Q(occurred_on__gte=since_90, occurred_on__lte=today)
    log: dict[int, Any] = {row["citizen_id"]: row for row in JobLogEntry.all_tenants.filter(span("citizen_id")).values(
        "citizen_id").annotate(
        applications_28=Count("id", filter=application & Q(occurred_on__gte=since_28, occurred_on__lte=today)),
        applications_90=Count("id", filter=application & recent),
        unsolicited_90=Count("id", filter=recent & ~application & ~Q(kind="other")),
        interviews_90=Count("id", filter=application & recent & Q(status__in=("interview", "offered"))),
        last_on=Max("occurred_on", filter=Q(occurred_on__lte=today)),
    )}
    from .models import Education, WorkExperience

    with_cv = set(CvDocument.all_tenants.filter(span("citizen_id")).values_list("citizen_id", flat=True))
    with_experience = set(WorkExperience.all_tenants.filter(span("citizen_id")).values_list("citizen_id", flat=True))
    with_education = set(Education.all_tenants.filter(span("citizen_id")).values_list("citizen_id", flat=True))
    result = {}
    for citizen_id, municipality_id, postcode_id in Citizen.all_tenants.filter(span("pk")).values_list(
            "pk", "municipality_id", "postcode_id"):
        row: dict = log.get(citizen_id, {})
        result[citizen_id] = JobSearchFacts(
            citizen_id=citizen_id, municipality_id=municipality_id, has_postcode=postcode_id is not None,
            applications_28_days=row.get("applications_28", 0), applications_90_days=row.get("applications_90", 0),
            unsolicited_90_days=row.get("unsolicited_90", 0), interviews_90_days=row.get("interviews_90", 0),
            last_entry_on=row.get("last_on"), has_cv=citizen_id in with_cv,
            has_experience=citizen_id in with_experience, has_education=citizen_id in with_education)
    return result


def seeker_profiles(*, first_id: int, last_id: int) -> dict[int, SeekerProfile]:
    """What the diagnosis needs of the profiles of citizens first_id..last_id (any municipality; the caller
    passes a batch it may read): two queries, whatever the number."""
    rows = Profile.all_tenants.filter(citizen_id__gte=first_id, citizen_id__lte=last_id).values_list(
        "citizen_id", "occupation_text", "skill_uris", "skills_text", "education_level", "radius_km",
        "citizen__postcode__code", "citizen__postcode__latitude", "citizen__postcode__longitude")
    occupations: dict[int, list[int]] = defaultdict(list)
    for citizen_id, occupation_id in Profile.occupations.through.objects.filter(
            profile__citizen_id__gte=first_id, profile__citizen_id__lte=last_id).order_by("id").values_list(
            "profile__citizen_id", "occupation_id"):
        occupations[citizen_id].append(occupation_id)
    return {citizen_id: SeekerProfile(
        citizen_id=citizen_id, occupation_ids=tuple(occupations.get(citizen_id, ())),
        has_occupation_text=bool((text or "").strip()), has_skills=bool(skills or (skills_text or "").strip()),
        has_education_level=bool(level), radius_km=radius, home_postcode=code or "", latitude=latitude,
        longitude=longitude) for citizen_id, text, skills, skills_text, level, radius, code, latitude, longitude in rows}


def seekers_by_occupation(*, occupation_ids: Iterable[int] | None = None) -> list[tuple[int, int, float, float]]:
    """(occupation id, citizen id, latitude, longitude) of every citizen on the platform who seeks an
    occupation (all of them, or these) and has a home postcode: the diagnosis and "the market around me"
    count job seekers nearby from it, as numbers only (never who)."""
    through = Profile.occupations.through
    rows = through.objects.filter(profile__citizen__postcode__isnull=False)
    if occupation_ids is not None:
        rows = rows.filter(occupation_id__in=list(occupation_ids))
    return list(rows.values_list("occupation_id", "profile__citizen_id", "profile__citizen__postcode__latitude",
                                 "profile__citizen__postcode__longitude"))


def citizen_counts(*, municipality_ids: list[int] | None = None) -> dict[int, int]:
    """Municipality id -> citizens on the platform (analytics' monitoring; national when ids are None)."""
    rows = Citizen.all_tenants.all()
    if municipality_ids is not None:
        rows = rows.filter(municipality_id__in=municipality_ids)
    return dict(rows.values("municipality_id").annotate(n=Count("id")).values_list("municipality_id", "n"))
