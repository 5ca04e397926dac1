"""The citizen and their own space: onboarding, profile, employment plan and job log.

Every model here is tenant-owned (non-null `municipality`, fail-closed default
manager). Writes go through `services.py`; reads through `selectors.py`.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jobunivers.core.models import TenantOwnedModel


class Citizen(TenantOwnedModel):
    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other or not stated")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="citizen", verbose_name=_("user")
    )
    postcode = models.ForeignKey(
        "taxonomy.Postcode", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("home postcode"),
    )
    birth_year = models.PositiveIntegerField(_("year of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, default=Gender.OTHER)
    registered_on = models.DateField(_("registered as unemployed on"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    welcome_seen_at = models.DateTimeField(_("welcome read at"), null=True, blank=True)
    onboarding_completed_at = models.DateTimeField(_("onboarding completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("citizen")
        verbose_name_plural = _("citizens")
        indexes = [models.Index(fields=["municipality", "registered_on"])]

    def __str__(self) -> str:
        return str(self.user)


# --- Onboarding -----------------------------------------------------------


class DigitalSkills(models.TextChoices):
    CONFIDENT = "confident", _("I use digital services without help")
    BASIC = "basic", _("I manage, but sometimes need help")
    NEEDS_HELP = "needs_help", _("I need help to use the platform")


class PreferredContact(models.TextChoices):
    VIRTUAL = "virtual", _("Virtual (video or phone)")
    PHYSICAL = "physical", _("Physical meeting at the job centre")
    NO_PREFERENCE = "no_preference", _("No preference")


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video")
    EMAIL = "email", _("E-mail")
    MESSAGE = "message", _("Message on the platform")
    SMS = "sms", _("Text message (SMS)")
    IN_PERSON = "in_person", _("In person")


class Barrier(models.TextChoices):
    HEALTH = "health", _("Health")
    LANGUAGE = "language", _("Danish language")
    EDUCATION = "education", _("Lack of education or qualifications")
    EXPERIENCE = "experience", _("Lack of recent work experience")
    AGE = "age", _("Age")
    TRANSPORT = "transport", _("Transport or distance")
    CHILDCARE = "childcare", _("Children or family care")
    DIGITAL = "digital", _("Digital skills")
    FEW_JOBS = "few_jobs", _("Few jobs in my field")
    OTHER = "other", _("Something else")


class EducationLevel(models.TextChoices):
    PRIMARY = "primary", _("Primary and lower secondary school")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary school")
    VOCATIONAL = "vocational", _("Vocational education")
    SHORT_CYCLE = "short_cycle", _("Short-cycle higher education")
    BACHELOR = "bachelor", _("Bachelor or professional bachelor")
    MASTER = "master", _("Master's degree or higher")
    NONE_STATED = "", _("Not stated")


class OnboardingAnswers(TenantOwnedModel):
    """The citizen's own answers to the onboarding questionnaire; they feed screening."""

    citizen = models.OneToOneField(
        Citizen, on_delete=models.CASCADE, related_name="onboarding_answers", verbose_name=_("citizen")
    )
    self_assessed_chances = models.PositiveSmallIntegerField(
        _("how you see your chances of a job (1-5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    expected_weeks_to_job = models.PositiveSmallIntegerField(
        _("weeks you expect until you have a job"), validators=[MaxValueValidator(520)]
    )
    barriers = models.JSONField(_("what may stand in the way"), default=list, blank=True)
    job_search_confidence = models.PositiveSmallIntegerField(
        _("how confident you are searching for jobs (1-5)"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    digital_skills = models.CharField(_("digital skills"), max_length=20, choices=DigitalSkills.choices)
    wants_personal_contact = models.BooleanField(_("would like a personal conversation"), default=False)
    preferred_contact = models.CharField(
        _("preferred contact"), max_length=20, choices=PreferredContact.choices,
        default=PreferredContact.NO_PREFERENCE,
    )
    contact_channels = models.JSONField(_("contact channels"), default=list, blank=True)
    education_level = models.CharField(
        _("education level"), max_length=20, choices=EducationLevel.choices, blank=True
    )
    work_history_summary = models.TextField(_("work history in short"), blank=True, max_length=2000)
    submitted_at = models.DateTimeField(_("first submitted at"))
    revised_at = models.DateTimeField(_("last revised at"))
    revision = models.PositiveIntegerField(_("revision"), default=1)

    class Meta:
        verbose_name = _("onboarding answers")
        verbose_name_plural = _("onboarding answers")


class WelcomeContent(TenantOwnedModel):
    """A municipality's own welcome text; without one the national default is shown."""

    intro_da = models.TextField(_("introduction (Danish)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    rights_and_duties_da = models.TextField(_("rights and duties (Danish)"), blank=True)
    rights_and_duties_en = models.TextField(_("rights and duties (English)"), blank=True)
    next_steps_da = models.TextField(_("what happens next (Danish)"), blank=True)
    next_steps_en = models.TextField(_("what happens next (English)"), blank=True)
    help_da = models.TextField(_("where to get help (Danish)"), blank=True)
    help_en = models.TextField(_("where to get help (English)"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("updated by"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("welcome content")
        verbose_name_plural = _("welcome content")
        constraints = [models.UniqueConstraint(fields=["municipality"], name="one_welcome_content_per_municipality")]


class IntroPackageItem(TenantOwnedModel):
    class Kind(models.TextChoices):
        VIDEO = "video", _("Video")
        ARTICLE = "article", _("Article")
        LINK = "link", _("Link")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ARTICLE)
    url = models.URLField(_("address"), max_length=500)
    description = models.TextField(_("description"), blank=True, max_length=1000)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("shown to citizens"), default=True)

    class Meta:
        verbose_name = _("intro package item")
        verbose_name_plural = _("intro package items")
        ordering = ["position", "id"]


class IntroPackageProgress(TenantOwnedModel):
    citizen = models.ForeignKey(
        Citizen, on_delete=models.CASCADE, related_name="intro_progress", verbose_name=_("citizen")
    )
    item = models.ForeignKey(
        IntroPackageItem, on_delete=models.CASCADE, related_name="progress", verbose_name=_("item")
    )
    completed_at = models.DateTimeField(_("ticked off at"))

    class Meta:
        verbose_name = _("intro package progress")
        verbose_name_plural = _("intro package progress")
        constraints = [models.UniqueConstraint(fields=["citizen", "item"], name="unique_intro_progress")]


# --- Profile ---------------------------------------------------------------


class EmploymentType(models.TextChoices):
    FULL_TIME = "full_time", _("Full time")
    PART_TIME = "part_time", _("Part time")
    TEMPORARY = "temporary", _("Temporary")
    PERMANENT = "permanent", _("Permanent")
    FLEX = "flex", _("Flex job")
    STUDENT = "student", _("Student job")


class DrivingLicence(models.TextChoices):
    B = "B", _("Car (B)")
    BE = "BE", _("Car with trailer (BE)")
    C = "C", _("Lorry (C)")
    CE = "CE", _("Lorry with trailer (CE)")
    D = "D", _("Bus (D)")
    A = "A", _("Motorcycle (A)")
    FORKLIFT = "forklift", _("Forklift certificate")


class EmployerVisibility(models.TextChoices):
    OCCUPATIONS = "occupations", _("Occupations I seek")
    SKILLS = "skills", _("Skills")
    EXPERIENCE = "experience", _("Work experience")
    EDUCATION = "education", _("Education")
    AREA = "area", _("Area where I search (not my address)")
    NAME = "name", _("My name")
    CV = "cv", _("My uploaded CV")


class Profile(TenantOwnedModel):
    """What the citizen seeks and offers. One per citizen; matching reads it through the contract."""

    citizen = models.OneToOneField(Citizen, on_delete=models.CASCADE, related_name="profile", verbose_name=_("citizen"))
    summary = models.TextField(_("about me"), blank=True, max_length=2000)
    occupation_text = models.CharField(
        _("occupations sought (free text)"), max_length=300, blank=True,
        help_text=_("Used when an occupation is not in the list."),
    )
    skill_uris = models.JSONField(_("skills (ESCO)"), default=list, blank=True)
    skills_text = models.TextField(_("other skills"), blank=True, max_length=2000)
    education_level = models.CharField(
        _("highest education"), max_length=20, choices=EducationLevel.choices, blank=True
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    driving_licences = models.JSONField(_("driving licences"), default=list, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours per week wanted"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    employment_types = models.JSONField(_("employment types wanted"), default=list, blank=True)
    radius_km = models.PositiveSmallIntegerField(
        _("search radius (km)"), default=30, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    remote_ok = models.BooleanField(_("open to remote work"), default=False)
    sectors = models.TextField(_("sectors and industries of interest"), blank=True, max_length=1000)
    followed_companies = models.TextField(_("companies and industries I follow"), blank=True, max_length=1000)
    keywords = models.CharField(_("keywords"), max_length=500, blank=True)
    employer_visibility = models.JSONField(_("what employers may see"), default=list, blank=True)
    occupations = models.ManyToManyField(
        "taxonomy.Occupation", blank=True, related_name="+", verbose_name=_("occupations sought")
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    @property
    def visible_to_employers(self) -> bool:
        return bool(self.employer_visibility)


class WorkExperience(TenantOwnedModel):
    citizen = models.ForeignKey(
        Citizen, on_delete=models.CASCADE, related_name="work_experience", verbose_name=_("citizen")
    )
    employer = models.CharField(_("employer"), max_length=200)
    title = models.CharField(_("job title"), max_length=200)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("to"), null=True, blank=True, help_text=_("Leave empty if ongoing."))
    tasks = models.TextField(_("tasks"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("work experience")
        verbose_name_plural = _("work experience")
        ordering = ["-started_on", "-id"]


class Education(TenantOwnedModel):
    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="educations", verbose_name=_("citizen"))
    title = models.CharField(_("education"), max_length=200)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=EducationLevel.choices, blank=True)
    completed_year = models.PositiveSmallIntegerField(_("year completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("education")
        verbose_name_plural = _("educations")
        ordering = ["-completed_year", "-id"]


class CvDocument(TenantOwnedModel):
    """An uploaded CV. The bytes live under settings.PRIVATE_MEDIA_ROOT, served only through a view."""

    citizen = models.OneToOneField(Citizen, on_delete=models.CASCADE, related_name="cv", verbose_name=_("citizen"))
    storage_name = models.CharField(_("stored as"), max_length=200, unique=True)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=100)
    size_bytes = models.PositiveIntegerField(_("size (bytes)"))

    class Meta:
        verbose_name = _("CV")
        verbose_name_plural = _("CVs")


# --- Employment plan --------------------------------------------------------


class PlanItemType(models.TextChoices):
    OWN_ACTIVITY = "own_activity", _("Own activity")
    JOB_APPLICATION = "job_application", _("Job application")
    SEARCH_AGREEMENT = "search_agreement", _("Search agreement")
    MEETING = "meeting", _("Meeting")
    COURSE = "course", _("Course")
    INTERNSHIP = "internship", _("Internship")
    EXTERNAL_ACTIVITY = "external_activity", _("External activity")


class PlanItemStatus(models.TextChoices):
    """NAV's status contract for activities: suggested (by the job centre or a service, waiting for the
    citizen), planned, in progress, done, cancelled."""

    SUGGESTED = "suggested", _("Suggested")
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


# What people choose in the plan's forms: a suggestion is made by the job centre or a service through its
# own service (learning, marketplace), never typed into a plan form.
CHOSEN_STATUSES = [choice for choice in PlanItemStatus.choices if choice[0] != PlanItemStatus.SUGGESTED]


class CreatedByKind(models.TextChoices):
    CITIZEN = "citizen", _("You")
    STAFF = "staff", _("The job centre")
    SYSTEM = "system", _("Jobunivers")


class PlanGoal(TenantOwnedModel):
    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="plan_goals", verbose_name=_("citizen"))
    text = models.CharField(_("goal"), max_length=300)
    target_on = models.DateField(_("reach it by"), null=True, blank=True)
    is_achieved = models.BooleanField(_("achieved"), default=False)
    created_by_kind = models.CharField(
        _("created by"), max_length=10, choices=CreatedByKind.choices, default=CreatedByKind.CITIZEN
    )

    class Meta:
        verbose_name = _("plan goal")
        verbose_name_plural = _("plan goals")
        ordering = ["is_achieved", "target_on", "id"]


class PlanTemplate(TenantOwnedModel):
    """A municipality's ready-made plan item, e.g. "search agreement: 2 applications a week for 3 months"."""

    title = models.CharField(_("title"), max_length=200)
    item_type = models.CharField(_("type"), max_length=30, choices=PlanItemType.choices)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    weekly_target = models.PositiveSmallIntegerField(
        _("applications per week"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    duration_weeks = models.PositiveSmallIntegerField(
        _("duration (weeks)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(104)]
    )
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("plan template")
        verbose_name_plural = _("plan templates")
        ordering = ["title"]


class PlanItem(TenantOwnedModel):
    """One activity in the employment plan. Every change is kept in PlanItemVersion."""

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="plan_items", verbose_name=_("citizen"))
    item_type = models.CharField(_("type"), max_length=30, choices=PlanItemType.choices)
    status = models.CharField(_("status"), max_length=20, choices=PlanItemStatus.choices, default=PlanItemStatus.PLANNED)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    location = models.CharField(_("place"), max_length=300, blank=True)
    video_link = models.URLField(_("video meeting link"), max_length=500, blank=True)
    weekly_target = models.PositiveSmallIntegerField(
        _("applications per week"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    agreed_with_job_centre = models.BooleanField(_("agreed with the job centre"), default=False)
    created_by_kind = models.CharField(_("created by"), max_length=10, choices=CreatedByKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("created by user"),
    )
    template = models.ForeignKey(
        PlanTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("template")
    )
    posting = models.ForeignKey(
        "jobs.JobPosting", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("job ad"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["due_on", "starts_on", "id"]
        indexes = [models.Index(fields=["municipality", "citizen", "status"]),
                   models.Index(fields=["municipality", "status", "due_on"])]

    def __str__(self) -> str:
        return self.title


class PlanItemVersion(TenantOwnedModel):
    """A snapshot of a plan item after each change: who, when, what."""

    plan_item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="versions", verbose_name=_("plan item"))
    version = models.PositiveIntegerField(_("version"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("changed by"),
    )
    changed_by_kind = models.CharField(_("changed by (kind)"), max_length=10, choices=CreatedByKind.choices)
    changes = models.JSONField(_("changes"), default=dict)
    snapshot = models.JSONField(_("snapshot"), default=dict)

    class Meta:
        verbose_name = _("plan item version")
        verbose_name_plural = _("plan item versions")
        ordering = ["plan_item", "-version"]
        constraints = [models.UniqueConstraint(fields=["plan_item", "version"], name="unique_plan_item_version")]



class PlanItemComment(TenantOwnedModel):
    """An answer or comment on a plan item: how the citizen answers what the job centre set
    (a summons, an agreement) without changing it, and how staff reply."""

    plan_item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="comments",
                                  verbose_name=_("plan item"))
    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="+", verbose_name=_("citizen"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("written by"),
    )
    author_kind = models.CharField(_("written by (kind)"), max_length=10, choices=CreatedByKind.choices)
    text = models.TextField(_("comment"), max_length=2000)

    class Meta:
        verbose_name = _("plan item comment")
        verbose_name_plural = _("plan item comments")
        ordering = ["plan_item", "created_at", "id"]
        indexes = [models.Index(fields=["municipality", "plan_item"])]

    def __str__(self) -> str:
        return f"{self.plan_item_id}: {self.text[:40]}"


# --- Job log ------------------------------------------------------------------


class JobLogKind(models.TextChoices):
    APPLICATION = "application", _("Job application")
    NETWORK_MEETING = "network_meeting", _("Network meeting")
    JOB_FAIR = "job_fair", _("Job fair")
    UNSOLICITED_CALL = "unsolicited_call", _("Unsolicited contact")
    OTHER = "other", _("Other job-search activity")


class HowApplied(models.TextChoices):
    PLATFORM = "platform", _("Through Jobunivers")
    ONLINE = "online", _("Online form or job portal")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    IN_PERSON = "in_person", _("In person")
    OTHER = "other", _("Other")


class JobLogStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    INTERVIEW = "interview", _("Called to interview")
    REJECTED = "rejected", _("Rejected")
    OFFERED = "offered", _("Offered the job")
    DONE = "done", _("Done")


class JobLogEntry(TenantOwnedModel):
    """A job application or other job-search activity. It documents availability."""

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="job_log", verbose_name=_("citizen"))
    kind = models.CharField(_("kind"), max_length=20, choices=JobLogKind.choices, default=JobLogKind.APPLICATION)
    employer = models.CharField(_("employer"), max_length=200)
    job_title = models.CharField(_("job title or subject"), max_length=200)
    occurred_on = models.DateField(_("date"))
    how_applied = models.CharField(_("how"), max_length=20, choices=HowApplied.choices, blank=True)
    status = models.CharField(_("follow-up"), max_length=20, choices=JobLogStatus.choices, default=JobLogStatus.SENT)
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    plan_item = models.ForeignKey(
        PlanItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="job_log_entries",
        verbose_name=_("plan item"),
    )
    posting = models.ForeignKey(
        "jobs.JobPosting", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("job ad"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("job log entry")
        verbose_name_plural = _("job log entries")
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["municipality", "citizen", "occurred_on"]),
                   models.Index(fields=["municipality", "citizen", "created_at"])]


class SavedJob(TenantOwnedModel):
    """A job ad the citizen saved to look at later."""

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="saved_jobs", verbose_name=_("citizen"))
    posting = models.ForeignKey("jobs.JobPosting", on_delete=models.CASCADE, related_name="+", verbose_name=_("job ad"))

    class Meta:
        verbose_name = _("saved job")
        verbose_name_plural = _("saved jobs")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["citizen", "posting"], name="unique_saved_job")]
