"""What other apps receive from the citizen journey: frozen dataclasses and events. No Django imports.

Consumers:
- segmentation reads `ScreeningAnswers` (via `selectors.screening_answers_for`) and listens to
  `OnboardingCompleted`;
- matching reads `CitizenProfile` (via `selectors.profile_for` / `profiles_for_matching`);
- availability listens to `JobLogEntryAdded`;
- the staff workspace and notifications may listen to `PlanItemChanged`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

# Values of models.DigitalSkills, repeated here so consumers need not import models.
DIGITAL_SKILLS_CONFIDENT = "confident"
DIGITAL_SKILLS_BASIC = "basic"
DIGITAL_SKILLS_NEEDS_HELP = "needs_help"  # "I need help to use the platform"


@dataclass(frozen=True)
class ScreeningAnswers:
    """The citizen's own answers to the onboarding questionnaire, as given (self-assessment).

    self_assessed_chances and job_search_confidence: 1 (low) .. 5 (high).
    barriers: codes from models.Barrier ("health", "language", "education", "experience", "age",
      "transport", "childcare", "digital", "few_jobs", "other").
    digital_skills: "confident" | "basic" | "needs_help" (needs help to use the platform).
    preferred_contact: "virtual" | "physical" | "no_preference".
    contact_channels: codes from models.ContactChannel ("phone", "video", "email", "message", "sms",
      "in_person").
    education_level: "" (not stated) | "primary" | "upper_secondary" | "vocational" | "short_cycle" |
      "bachelor" | "master".
    revision: 1 for the first submission, +1 for every revision.
    """

    citizen_id: int
    municipality_id: int
    self_assessed_chances: int
    expected_weeks_to_job: int
    barriers: tuple[str, ...]
    job_search_confidence: int
    digital_skills: str
    wants_personal_contact: bool
    preferred_contact: str
    contact_channels: tuple[str, ...]
    education_level: str
    work_history_summary: str
    submitted_at: datetime.datetime
    revised_at: datetime.datetime
    revision: int

    @property
    def needs_help_with_platform(self) -> bool:
        return self.digital_skills == DIGITAL_SKILLS_NEEDS_HELP


@dataclass(frozen=True)
class OccupationSought:
    occupation_id: int
    isco_code: str  # 4-digit ISCO-08 unit group, "" when unknown
    label: str  # ESCO's preferred label (English for the reference data): the text embedded for matching
    label_da: str = ""  # the Danish label; show the occupation with taxonomy's `label_of` on both


@dataclass(frozen=True)
class CitizenProfile:
    """What the citizen seeks and offers, for matching. Coordinates are those of the home postcode.

    skill_uris: ESCO skill URIs the citizen chose; skills_text: free text they wrote themselves.
    employment_types: codes from models.EmploymentType ("full_time", "part_time", "temporary",
      "permanent", "flex", "student").
    languages: free language names as the citizen wrote them (e.g. "Dansk", "Engelsk").
    driving_licences: codes from models.DrivingLicence ("B", "BE", "C", "CE", "D", "A", "forklift").
    """

    citizen_id: int
    municipality_id: int
    occupations: tuple[OccupationSought, ...]
    occupation_text: str
    skill_uris: tuple[str, ...]
    skills_text: str
    home_postcode: str
    latitude: float | None
    longitude: float | None
    radius_km: int
    hours_per_week: int | None
    employment_types: tuple[str, ...]
    remote_ok: bool
    keywords: tuple[str, ...]
    languages: tuple[str, ...]
    driving_licences: tuple[str, ...]
    education_level: str
    education_titles: tuple[str, ...]
    experience_titles: tuple[str, ...]
    employer_visibility: tuple[str, ...] = field(default=())
    updated_at: datetime.datetime | None = None

    @property
    def occupation_ids(self) -> tuple[int, ...]:
        return tuple(o.occupation_id for o in self.occupations)

    @property
    def isco_codes(self) -> tuple[str, ...]:
        return tuple(o.isco_code for o in self.occupations if o.isco_code)


@dataclass(frozen=True)
class WeekCount:
    """Job-search activities in one ISO week against the search agreement in force that week."""

    week_start: datetime.date  # Monday
    iso_year: int
    iso_week: int
    count: int  # job applications registered for that week
    target: int | None  # applications per week agreed, None when no search agreement applies
    other_activities: int = 0  # network meetings, job fairs, unsolicited contacts, ...

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.count >= self.target


# --- Events (published on commit; handlers wired in config/events.py) ------------


@dataclass(frozen=True)
class OnboardingCompleted:
    """The questionnaire was submitted (revision 1) or revised (revision > 1)."""

    citizen_id: int
    municipality_id: int
    revision: int = 1


@dataclass(frozen=True)
class JobLogEntryAdded:
    """The citizen registered a job log entry. occurred_at: when it was registered (an explicit
    citizen action); activity_on: the date of the application or activity itself."""

    citizen_id: int
    municipality_id: int
    entry_id: int
    occurred_at: datetime.datetime
    activity_on: datetime.date | None = None


@dataclass(frozen=True)
class PlanItemChanged:
    """A plan item was created (version 1) or changed. changed_by_kind: "citizen" | "staff" | "system"."""

    citizen_id: int
    municipality_id: int
    plan_item_id: int
    version: int
    item_type: str
    changed_by_kind: str


@dataclass(frozen=True)
class ProfileChanged:
    """The citizen changed what they seek or offer (profile, occupations, skills, experience,
    education, CV). Published on commit; the advice app recomputes the diagnosis from it."""

    citizen_id: int
    municipality_id: int


@dataclass(frozen=True)
class JobSearchFacts:
    """A citizen's own job-search facts for the personal diagnosis (advice), counted on `today`.

    Never holds gender or origin (docs/adr/0052): only what the citizen did and wrote themselves."""

    citizen_id: int
    municipality_id: int
    has_postcode: bool
    applications_28_days: int
    applications_90_days: int
    unsolicited_90_days: int  # unsolicited contacts, network meetings and job fairs
    interviews_90_days: int  # applications followed up as "called to interview" or "offered the job"
    last_entry_on: datetime.date | None
    has_cv: bool
    has_experience: bool
    has_education: bool



@dataclass(frozen=True)
class SeekerProfile:
    """What the personal diagnosis (advice) reads of a profile: occupations sought, radius and home."""

    citizen_id: int
    occupation_ids: tuple[int, ...]
    has_occupation_text: bool
    has_skills: bool
    has_education_level: bool
    radius_km: int
    home_postcode: str
    latitude: float | None
    longitude: float | None


# The start page's slots (citizens.registry, no Django imports): later apps register through the
# contract, as the boundary test asks (matching and notifications still import the registry directly).
from .registry import HomeSlot, register_home_slot  # noqa: E402,F401


@dataclass(frozen=True)
class EmployerFacts:
    """What a citizen could choose to show an employer (coffee meetings' candidate views, issue 18): each
    value as plain text in Danish, ready to be copied into a snapshot. Never the address, the CPR number
    or contact details; `area` is the postcode and town of the home."""

    citizen_id: int
    municipality_id: int
    name: str
    occupations: tuple[str, ...]
    skills: tuple[str, ...]
    experience: tuple[str, ...]  # "Tømrer, Byg & Co (2019–2024)"
    education: tuple[str, ...]
    summary: str
    area: str
