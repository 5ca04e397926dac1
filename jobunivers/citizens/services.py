"""Every write in the citizen journey: onboarding, profile, CV, plan, job log, saved jobs.

Services are atomic, validate their input (raising `ValidationFailed` with translated messages,
writing nothing), refuse stale edits with `ConflictError` (optimistic locking on a `version`
field) and publish events on commit. Callers pass the acting user; services check that the actor
may act on the citizen, so views, API and tasks share the same rules.
"""

from __future__ import annotations

import datetime
import io
import uuid
import zipfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jobunivers.core.errors import ConflictError, ValidationFailed
from jobunivers.core.events import publish_on_commit

from . import permissions
from .contracts import JobLogEntryAdded, OnboardingCompleted, PlanItemChanged
from .models import (
    Barrier,
    Citizen,
    ContactChannel,
    CreatedByKind,
    CvDocument,
    DigitalSkills,
    DrivingLicence,
    Education,
    EducationLevel,
    EmployerVisibility,
    EmploymentType,
    HowApplied,
    IntroPackageItem,
    IntroPackageProgress,
    JobLogEntry,
    JobLogKind,
    JobLogStatus,
    OnboardingAnswers,
    PlanGoal,
    PlanItem,
    PlanItemStatus,
    PlanItemType,
    PlanItemVersion,
    PlanTemplate,
    PreferredContact,
    Profile,
    SavedJob,
    WelcomeContent,
    WorkExperience,
)

# How far back and ahead dates may sensibly lie.
PLAN_DATE_PAST_DAYS = 366
PLAN_DATE_FUTURE_DAYS = 2 * 366
JOB_LOG_PAST_DAYS = 366
EARLIEST_WORK_YEAR = 1940

CV_MAX_BYTES = 5 * 1024 * 1024
CV_PDF = "application/pdf"
CV_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _today() -> datetime.date:
    return timezone.localdate()


def _refuse(errors: dict[str, list[str]]) -> None:
    errors = {k: v for k, v in errors.items() if v}
    if errors:
        raise ValidationFailed(errors)


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _require_owner(actor, citizen: Citizen) -> None:
    if not permissions.is_owner(actor, citizen):
        raise ValidationFailed(_("Only the citizen can do this."))


def _require_owner_or_staff(actor, citizen: Citizen) -> None:
    if not permissions.can_view_citizen_space(actor, citizen):
        raise ValidationFailed(_("You may not change this citizen's data."))


def _kind_for(actor, citizen: Citizen, created_by_kind: str) -> str:
    """Check that the actor matches the kind of author they claim to be."""
    if created_by_kind == CreatedByKind.CITIZEN:
        _require_owner(actor, citizen)
    elif created_by_kind == CreatedByKind.STAFF:
        if not permissions.is_staff_of(actor, citizen.municipality_id):
            raise ValidationFailed(_("Only staff of the citizen's job centre can do this."))
    elif created_by_kind != CreatedByKind.SYSTEM:
        raise ValidationFailed(_("Unknown author kind."))
    return created_by_kind


def _choices_list(errors, field: str, values, allowed) -> list[str]:
    values = [str(v) for v in (values or [])]
    allowed_values = {str(v) for v in allowed}
    unknown = [v for v in values if v not in allowed_values]
    if unknown:
        _add(errors, field, _("Unknown choice: %(values)s") % {"values": ", ".join(unknown)})
    return list(dict.fromkeys(values))


def _int_in_range(errors, field: str, value, low: int, high: int, *, required: bool = True) -> int | None:
    if value in (None, ""):
        if required:
            _add(errors, field, _("This field is required."))
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        _add(errors, field, _("Enter a whole number."))
        return None
    if not low <= number <= high:
        _add(errors, field, _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high})
        return None
    return number


# --- Onboarding --------------------------------------------------------------


def welcome_mark_seen(*, actor, citizen: Citizen) -> Citizen:
    _require_owner(actor, citizen)
    if citizen.welcome_seen_at is None:
        citizen.welcome_seen_at = timezone.now()
        Citizen.all_tenants.filter(pk=citizen.pk, welcome_seen_at__isnull=True).update(
            welcome_seen_at=citizen.welcome_seen_at
        )
    return citizen


def onboarding_answers_submit(*, actor, citizen: Citizen, data: dict[str, Any]) -> OnboardingAnswers:
    """Save the questionnaire (first time or a revision) and publish OnboardingCompleted on commit.

    The first submission also puts the physical intro meeting with a job adviser into the plan,
    as a planned "meeting" item created by the system (booking itself comes with dialogue).
    """
    _require_owner(actor, citizen)
    errors: dict[str, list[str]] = {}
    clean = {
        "self_assessed_chances": _int_in_range(errors, "self_assessed_chances", data.get("self_assessed_chances"), 1, 5),
        "expected_weeks_to_job": _int_in_range(errors, "expected_weeks_to_job", data.get("expected_weeks_to_job"), 0, 520),
        "job_search_confidence": _int_in_range(errors, "job_search_confidence", data.get("job_search_confidence"), 1, 5),
        "barriers": _choices_list(errors, "barriers", data.get("barriers"), Barrier.values),
        "contact_channels": _choices_list(errors, "contact_channels", data.get("contact_channels"), ContactChannel.values),
        "wants_personal_contact": bool(data.get("wants_personal_contact")),
        "work_history_summary": (data.get("work_history_summary") or "").strip(),
    }
    for field, allowed, required in [("digital_skills", DigitalSkills.values, True),
                                     ("preferred_contact", PreferredContact.values, True),
                                     ("education_level", EducationLevel.values, False)]:
        value = data.get(field) or ""
        if not value and required:
            _add(errors, field, _("Choose one of the options."))
        elif value not in allowed:
            _add(errors, field, _("Choose one of the options."))
        clean[field] = value
    if len(str(clean["work_history_summary"])) > 2000:
        _add(errors, "work_history_summary", _("Write at most 2000 characters."))
    _refuse(errors)

    now = timezone.now()
    with transaction.atomic():
        existing = OnboardingAnswers.all_tenants.select_for_update().filter(citizen=citizen).first()
        first_time = existing is None
        if existing is None:
            answers = OnboardingAnswers(citizen=citizen, municipality_id=citizen.municipality_id,
                                        submitted_at=now, revision=1)
        else:
            answers = existing
            answers.revision += 1
        for key, value in clean.items():
            setattr(answers, key, value)
        answers.revised_at = now
        answers.save()
        if citizen.onboarding_completed_at is None:
            citizen.onboarding_completed_at = now
            Citizen.all_tenants.filter(pk=citizen.pk).update(onboarding_completed_at=now)
        if first_time and not PlanItem.all_tenants.filter(
            citizen=citizen, item_type=PlanItemType.MEETING, created_by_kind=CreatedByKind.SYSTEM
        ).exists():
            plan_item_create(
                actor=None, citizen=citizen, item_type=PlanItemType.MEETING,
                title=_("Intro meeting with a job adviser"),
                description=_("A physical meeting at the job centre where you and a job adviser talk about "
                              "your situation and your plan. You will receive a time and place."),
                created_by_kind=CreatedByKind.SYSTEM, location=_("The job centre"),
            )
        publish_on_commit(OnboardingCompleted(citizen_id=citizen.pk, municipality_id=citizen.municipality_id,
                                              revision=answers.revision))
    return answers


def intro_item_tick(*, actor, citizen: Citizen, item_id: int, done: bool = True) -> None:
    _require_owner(actor, citizen)
    item = IntroPackageItem.all_tenants.filter(pk=item_id, municipality_id=citizen.municipality_id,
                                              is_active=True).first()
    if item is None:
        raise ValidationFailed(_("This item is not in your intro package."))
    if done:
        IntroPackageProgress.all_tenants.get_or_create(
            citizen=citizen, item=item,
            defaults={"municipality_id": citizen.municipality_id, "completed_at": timezone.now()},
        )
    else:
        IntroPackageProgress.all_tenants.filter(citizen=citizen, item=item).delete()


WELCOME_FIELDS = ["intro_da", "intro_en", "rights_and_duties_da", "rights_and_duties_en",
                  "next_steps_da", "next_steps_en", "help_da", "help_en"]


def welcome_content_update(*, actor, municipality_id: int, data: dict[str, str],
                           expected_version: int | None) -> WelcomeContent:
    """The municipality administrator's own welcome texts. Empty fields fall back to the national default."""
    if not permissions.can_manage_municipal_content(actor, municipality_id):
        raise ValidationFailed(_("Only the municipality's administrator can change this."))
    errors: dict[str, list[str]] = {}
    clean = {}
    for field in WELCOME_FIELDS:
        value = (data.get(field) or "").strip()
        if len(value) > 5000:
            _add(errors, field, _("Write at most 5000 characters."))
        clean[field] = value
    _refuse(errors)
    with transaction.atomic():
        content = WelcomeContent.all_tenants.filter(municipality_id=municipality_id).first()
        if content is None:
            if expected_version not in (None, 0):
                raise ConflictError
            return WelcomeContent.all_tenants.create(municipality_id=municipality_id, updated_by=actor, **clean)
        updated = WelcomeContent.all_tenants.filter(pk=content.pk, version=expected_version or 0).update(
            updated_by=actor, version=F("version") + 1, updated_at=timezone.now(), **clean
        )
        if not updated:
            raise ConflictError
        return WelcomeContent.all_tenants.get(pk=content.pk)


def intro_package_item_save(*, actor, municipality_id: int, data: dict[str, Any],
                            item: IntroPackageItem | None = None) -> IntroPackageItem:
    if not permissions.can_manage_municipal_content(actor, municipality_id):
        raise ValidationFailed(_("Only the municipality's administrator can change this."))
    if item is not None and item.municipality_id != municipality_id:
        raise ValidationFailed(_("This item belongs to another municipality."))
    item = item or IntroPackageItem(municipality_id=municipality_id)
    for field in ["title", "kind", "url", "description", "position", "is_active"]:
        if field in data:
            setattr(item, field, data[field])
    _full_clean(item)
    item.save()
    return item


def plan_template_save(*, actor, municipality_id: int, data: dict[str, Any],
                       template: PlanTemplate | None = None) -> PlanTemplate:
    if not permissions.can_manage_municipal_content(actor, municipality_id):
        raise ValidationFailed(_("Only the municipality's administrator can change this."))
    if template is not None and template.municipality_id != municipality_id:
        raise ValidationFailed(_("This template belongs to another municipality."))
    template = template or PlanTemplate(municipality_id=municipality_id)
    for field in ["title", "item_type", "description", "weekly_target", "duration_weeks", "is_active"]:
        if field in data:
            setattr(template, field, data[field])
    errors: dict[str, list[str]] = {}
    if template.item_type == PlanItemType.SEARCH_AGREEMENT and not template.weekly_target:
        _add(errors, "weekly_target", _("A search agreement needs a number of applications per week."))
    _refuse(errors)
    _full_clean(template)
    template.save()
    return template


def _full_clean(instance) -> None:
    from django.core.exceptions import ValidationError

    try:
        instance.full_clean(exclude=["municipality"])
    except ValidationError as error:
        raise ValidationFailed({k: [str(m) for m in v] for k, v in error.message_dict.items()}) from error


# --- Profile -----------------------------------------------------------------


PROFILE_FIELDS = ["summary", "occupation_text", "skill_uris", "skills_text", "education_level", "languages",
                  "driving_licences", "hours_per_week", "employment_types", "radius_km", "remote_ok", "sectors",
                  "followed_companies", "keywords", "employer_visibility"]


def profile_get_or_create(*, citizen: Citizen) -> Profile:
    profile = Profile.all_tenants.filter(citizen=citizen).first()
    if profile is None:
        try:
            with transaction.atomic():
                profile = Profile.all_tenants.create(citizen=citizen, municipality_id=citizen.municipality_id)
        except IntegrityError:
            profile = Profile.all_tenants.get(citizen=citizen)
    return profile


def profile_update(*, actor, citizen: Citizen, data: dict[str, Any], expected_version: int,
                   occupation_ids: list[int] | None = None, postcode_code: str | None = None) -> Profile:
    """Update the citizen's profile. `expected_version` is the version the form was built from;
    if someone (another tab) saved in between, ConflictError is raised and nothing changes.

    occupation_ids (if given) replace the occupations sought; postcode_code (if given) changes the
    home postcode the search radius is measured from.
    """
    _require_owner(actor, citizen)
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for field in PROFILE_FIELDS:
        if field not in data:
            continue
        value = data[field]
        if field == "employment_types":
            value = _choices_list(errors, field, value, EmploymentType.values)
        elif field == "driving_licences":
            value = _choices_list(errors, field, value, DrivingLicence.values)
        elif field == "employer_visibility":
            value = _choices_list(errors, field, value, EmployerVisibility.values)
        elif field in {"languages", "skill_uris"}:
            value = [str(v).strip() for v in (value or []) if str(v).strip()]
            value = list(dict.fromkeys(value))[:50]
        elif field == "hours_per_week":
            value = _int_in_range(errors, field, value, 1, 60, required=False)
        elif field == "radius_km":
            value = _int_in_range(errors, field, value, 1, 500)
        elif field == "remote_ok":
            value = bool(value)
        elif field == "education_level":
            value = value or ""
            if value not in EducationLevel.values:
                _add(errors, field, _("Choose one of the options."))
        else:
            value = (value or "").strip()
        clean[field] = value
    postcode = None
    if postcode_code is not None and postcode_code.strip():
        from jobunivers.taxonomy.selectors import get_postcode

        postcode = get_postcode(code=postcode_code.strip())
        if postcode is None:
            _add(errors, "postcode", _("%(code)s is not a Danish postcode.") % {"code": postcode_code.strip()})
    occupations = None
    if occupation_ids is not None:
        occupations = _occupations(errors, occupation_ids)
    _refuse(errors)

    profile = profile_get_or_create(citizen=citizen)
    with transaction.atomic():
        updated = Profile.all_tenants.filter(pk=profile.pk, version=expected_version).update(
            version=F("version") + 1, updated_at=timezone.now(), **clean
        )
        if not updated:
            raise ConflictError
        profile = Profile.all_tenants.get(pk=profile.pk)
        if occupations is not None:
            profile.occupations.set(occupations)
        if postcode is not None and postcode.pk != citizen.postcode_id:
            Citizen.all_tenants.filter(pk=citizen.pk).update(postcode=postcode)
            citizen.postcode = postcode
    return profile


def _occupations(errors, occupation_ids) -> list:
    from django.apps import apps

    ids = []
    for value in occupation_ids:
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            _add(errors, "occupations", _("Unknown occupation."))
            return []
    ids = list(dict.fromkeys(ids))
    if len(ids) > 10:
        _add(errors, "occupations", _("Choose at most 10 occupations."))
        return []
    try:
        occupation_model = apps.get_model("taxonomy", "Occupation")
    except LookupError:
        return []
    found = list(occupation_model.objects.filter(pk__in=ids))
    if len(found) != len(ids):
        _add(errors, "occupations", _("Unknown occupation."))
    return found


def work_experience_add(*, actor, citizen: Citizen, employer: str, title: str, started_on: datetime.date | None,
                        ended_on: datetime.date | None = None, tasks: str = "") -> WorkExperience:
    _require_owner(actor, citizen)
    errors: dict[str, list[str]] = {}
    today = _today()
    if not (employer or "").strip():
        _add(errors, "employer", _("This field is required."))
    if not (title or "").strip():
        _add(errors, "title", _("This field is required."))
    if started_on is None:
        _add(errors, "started_on", _("This field is required."))
    else:
        if started_on > today:
            _add(errors, "started_on", _("The start cannot be in the future."))
        if started_on.year < EARLIEST_WORK_YEAR:
            _add(errors, "started_on", _("The date is too far back."))
    if ended_on is not None:
        if ended_on > today:
            _add(errors, "ended_on", _("The end cannot be in the future."))
        if started_on is not None and ended_on < started_on:
            _add(errors, "ended_on", _("The end cannot be before the start."))
    _refuse(errors)
    assert started_on is not None  # refused above otherwise
    experience = WorkExperience(citizen=citizen, municipality_id=citizen.municipality_id, employer=employer.strip(),
                                title=title.strip(), started_on=started_on, ended_on=ended_on,
                                tasks=(tasks or "").strip())
    _full_clean(experience)
    experience.save()
    return experience


def work_experience_delete(*, actor, citizen: Citizen, experience_id: int) -> None:
    _require_owner(actor, citizen)
    WorkExperience.all_tenants.filter(pk=experience_id, citizen=citizen).delete()


def education_add(*, actor, citizen: Citizen, title: str, institution: str = "", level: str = "",
                  completed_year: int | None = None) -> Education:
    _require_owner(actor, citizen)
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        _add(errors, "title", _("This field is required."))
    if level and level not in EducationLevel.values:
        _add(errors, "level", _("Choose one of the options."))
    year = _int_in_range(errors, "completed_year", completed_year, EARLIEST_WORK_YEAR, _today().year + 6,
                         required=False)
    _refuse(errors)
    education = Education(citizen=citizen, municipality_id=citizen.municipality_id, title=title.strip(),
                          institution=(institution or "").strip(), level=level or "", completed_year=year)
    _full_clean(education)
    education.save()
    return education


def education_delete(*, actor, citizen: Citizen, education_id: int) -> None:
    _require_owner(actor, citizen)
    Education.all_tenants.filter(pk=education_id, citizen=citizen).delete()


# --- CV --------------------------------------------------------------------------


def _sniff_cv(head: bytes, data: bytes) -> str | None:
    """The CV's real type from its content, not its name: a PDF header, or a DOCX (a ZIP package
    with a Word main document). Anything else (renamed executables, images, old .doc) is refused."""
    if head.startswith(b"%PDF-"):
        return CV_PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                names = set(package.namelist())
        except (zipfile.BadZipFile, ValueError):
            return None
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return CV_DOCX
    return None


def cv_directory() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "cv"


def cv_upload(*, actor, citizen: Citizen, uploaded_file) -> CvDocument:
    """Store a CV privately (replacing any earlier one). Type and size are checked on the content."""
    _require_owner(actor, citizen)
    name = Path(getattr(uploaded_file, "name", "") or "cv").name[:200]
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > CV_MAX_BYTES:
        raise ValidationFailed({"file": [_("The file is larger than %(mb)s MB.") % {"mb": CV_MAX_BYTES // (1024 * 1024)}]})
    data = uploaded_file.read(CV_MAX_BYTES + 1)
    if len(data) > CV_MAX_BYTES:
        raise ValidationFailed({"file": [_("The file is larger than %(mb)s MB.") % {"mb": CV_MAX_BYTES // (1024 * 1024)}]})
    if not data:
        raise ValidationFailed({"file": [_("The file is empty.")]})
    content_type = _sniff_cv(data[:8], data)
    if content_type is None:
        raise ValidationFailed({"file": [_("The CV must be a PDF or a Word document (DOCX).")]})
    extension = ".pdf" if content_type == CV_PDF else ".docx"
    if not name.lower().endswith(extension):
        name = Path(name).stem[:190] + extension
    directory = cv_directory()
    directory.mkdir(parents=True, exist_ok=True)
    storage_name = f"{uuid.uuid4().hex}{extension}"
    path = directory / storage_name
    # Write to a temporary name and rename, so a half-written file is never served.
    temporary = directory / f".{storage_name}.part"
    temporary.write_bytes(data)
    temporary.replace(path)
    old_path = None
    try:
        with transaction.atomic():
            old = CvDocument.all_tenants.select_for_update().filter(citizen=citizen).first()
            if old is not None:
                old_path = directory / old.storage_name
                old.delete()
            document = CvDocument.all_tenants.create(
                citizen=citizen, municipality_id=citizen.municipality_id, storage_name=storage_name,
                original_name=name, content_type=content_type, size_bytes=len(data),
            )
    except Exception:
        path.unlink(missing_ok=True)
        raise
    if old_path is not None:
        transaction.on_commit(lambda: old_path.unlink(missing_ok=True))
    return document


def cv_delete(*, actor, citizen: Citizen) -> None:
    _require_owner(actor, citizen)
    document = CvDocument.all_tenants.filter(citizen=citizen).first()
    if document is None:
        return
    path = cv_directory() / document.storage_name
    document.delete()
    transaction.on_commit(lambda: path.unlink(missing_ok=True))


# --- Employment plan --------------------------------------------------------------


PLAN_ITEM_FIELDS = ["item_type", "status", "title", "description", "starts_on", "due_on", "link", "location",
                    "video_link", "weekly_target", "agreed_with_job_centre"]
# What the citizen may change on an item agreed with the job centre: only how it is going.
CITIZEN_FIELDS_ON_AGREED_ITEMS = {"status"}


def _validate_plan_item(values: dict[str, Any], *, creating: bool, today: datetime.date) -> None:
    errors: dict[str, list[str]] = {}
    if values.get("item_type") not in PlanItemType.values:
        _add(errors, "item_type", _("Choose one of the options."))
    if values.get("status") not in PlanItemStatus.values:
        _add(errors, "status", _("Choose one of the options."))
    if not (values.get("title") or "").strip():
        _add(errors, "title", _("This field is required."))
    earliest = today - datetime.timedelta(days=PLAN_DATE_PAST_DAYS)
    latest = today + datetime.timedelta(days=PLAN_DATE_FUTURE_DAYS)
    for field in ("starts_on", "due_on"):
        value = values.get(field)
        if value is None:
            continue
        if not isinstance(value, datetime.date):
            _add(errors, field, _("Enter a valid date."))
        elif value > latest:
            _add(errors, field, _("The date is more than two years ahead."))
        elif value < earliest:
            _add(errors, field, _("The date is more than a year ago."))
    starts_on, due_on = values.get("starts_on"), values.get("due_on")
    if isinstance(starts_on, datetime.date) and isinstance(due_on, datetime.date) and due_on < starts_on:
        _add(errors, "due_on", _("The end date cannot be before the start date."))
    if values.get("item_type") == PlanItemType.SEARCH_AGREEMENT:
        target = values.get("weekly_target")
        if not target:
            _add(errors, "weekly_target", _("A search agreement needs a number of applications per week."))
    target = values.get("weekly_target")
    if target is not None and not (isinstance(target, int) and 1 <= target <= 50):
        _add(errors, "weekly_target", _("Enter a number from %(low)s to %(high)s.") % {"low": 1, "high": 50})
    _refuse(errors)


def _snapshot(item: PlanItem) -> dict[str, Any]:
    snapshot = {}
    for field in PLAN_ITEM_FIELDS:
        value = getattr(item, field)
        snapshot[field] = value.isoformat() if isinstance(value, datetime.date) else value
    return snapshot


def plan_item_create(*, actor, citizen: Citizen, item_type: str, title: str, description: str = "",
                     starts_on: datetime.date | None = None, due_on: datetime.date | None = None, link: str = "",
                     agreed_with_job_centre: bool = False, created_by_kind: str = CreatedByKind.STAFF,
                     location: str = "", video_link: str = "", status: str = PlanItemStatus.PLANNED,
                     weekly_target: int | None = None, template: PlanTemplate | None = None,
                     posting_id: int | None = None) -> PlanItem:
    """Add an activity to the citizen's plan and record version 1.

    created_by_kind: "citizen" (actor must be the citizen), "staff" (actor must be staff of the
    citizen's municipality) or "system" (actor may be None). Only staff may mark an item as agreed
    with the job centre.
    """
    kind = _kind_for(actor, citizen, created_by_kind)
    if agreed_with_job_centre and kind != CreatedByKind.STAFF:
        raise ValidationFailed({"agreed_with_job_centre": [_("Only the job centre can mark an agreement.")]})
    values = {"item_type": item_type, "status": status, "title": (title or "").strip(),
              "description": (description or "").strip(), "starts_on": starts_on, "due_on": due_on,
              "link": (link or "").strip(), "location": (location or "").strip(),
              "video_link": (video_link or "").strip(), "weekly_target": weekly_target,
              "agreed_with_job_centre": bool(agreed_with_job_centre)}
    _validate_plan_item(values, creating=True, today=_today())
    item = PlanItem(citizen=citizen, municipality_id=citizen.municipality_id, created_by_kind=kind,
                    created_by=actor if kind != CreatedByKind.SYSTEM else None, template=template,
                    posting_id=posting_id, **values)
    _full_clean(item)
    with transaction.atomic():
        item.save()
        PlanItemVersion.all_tenants.create(
            plan_item=item, municipality_id=item.municipality_id, version=1,
            changed_by=item.created_by, changed_by_kind=kind, changes={}, snapshot=_snapshot(item),
        )
        publish_on_commit(PlanItemChanged(citizen_id=citizen.pk, municipality_id=citizen.municipality_id,
                                          plan_item_id=item.pk, version=1, item_type=item.item_type,
                                          changed_by_kind=kind))
    return item


def plan_item_update(*, actor, plan_item: PlanItem, expected_version: int, changed_by_kind: str | None = None,
                     **changes: Any) -> PlanItem:
    """Change fields of a plan item (any of PLAN_ITEM_FIELDS) and record a new version.

    `expected_version` is the version the editor saw. If the item was saved in between (another
    tab, or staff at the same time), ConflictError is raised and nothing is written.
    On an item agreed with the job centre the citizen may change only its status.
    """
    citizen = plan_item.citizen
    if changed_by_kind is None:
        changed_by_kind = CreatedByKind.CITIZEN if permissions.is_owner(actor, citizen) else CreatedByKind.STAFF
    kind = _kind_for(actor, citizen, changed_by_kind)
    unknown = set(changes) - set(PLAN_ITEM_FIELDS)
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    current = PlanItem.all_tenants.get(pk=plan_item.pk)
    if current.version != expected_version:
        raise ConflictError
    for key in ("title", "description", "link", "location", "video_link"):
        if key in changes:
            changes[key] = (changes[key] or "").strip()
    diff = {k: v for k, v in changes.items() if getattr(current, k) != v}
    if kind == CreatedByKind.CITIZEN:
        if "agreed_with_job_centre" in diff:
            raise ValidationFailed({"agreed_with_job_centre": [_("Only the job centre can mark an agreement.")]})
        if current.agreed_with_job_centre and set(diff) - CITIZEN_FIELDS_ON_AGREED_ITEMS:
            raise ValidationFailed(_("This activity was agreed with the job centre. You can change its status; "
                                     "ask the job centre to change the agreement."))
    if not diff:
        return current
    values = {field: getattr(current, field) for field in PLAN_ITEM_FIELDS}
    values.update(diff)
    _validate_plan_item(values, creating=False, today=_today())
    with transaction.atomic():
        updated = PlanItem.all_tenants.filter(pk=current.pk, version=expected_version).update(
            version=F("version") + 1, updated_at=timezone.now(), **diff
        )
        if not updated:
            raise ConflictError
        item = PlanItem.all_tenants.select_related("citizen").get(pk=current.pk)
        changes_json = {}
        for key, new in diff.items():
            old = getattr(current, key)
            changes_json[key] = [old.isoformat() if isinstance(old, datetime.date) else old,
                                 new.isoformat() if isinstance(new, datetime.date) else new]
        PlanItemVersion.all_tenants.create(
            plan_item=item, municipality_id=item.municipality_id, version=item.version,
            changed_by=actor if kind != CreatedByKind.SYSTEM else None, changed_by_kind=kind,
            changes=changes_json, snapshot=_snapshot(item),
        )
        publish_on_commit(PlanItemChanged(citizen_id=citizen.pk, municipality_id=citizen.municipality_id,
                                          plan_item_id=item.pk, version=item.version, item_type=item.item_type,
                                          changed_by_kind=kind))
    return item


def plan_item_from_template(*, actor, citizen: Citizen, template: PlanTemplate, starts_on: datetime.date | None = None,
                            created_by_kind: str = CreatedByKind.CITIZEN) -> PlanItem:
    if template.municipality_id != citizen.municipality_id or not template.is_active:
        raise ValidationFailed(_("This template is not offered by your job centre."))
    starts_on = starts_on or _today()
    due_on = starts_on + datetime.timedelta(weeks=template.duration_weeks) if template.duration_weeks else None
    return plan_item_create(
        actor=actor, citizen=citizen, item_type=template.item_type, title=template.title,
        description=template.description, starts_on=starts_on, due_on=due_on,
        weekly_target=template.weekly_target, created_by_kind=created_by_kind, template=template,
        agreed_with_job_centre=created_by_kind == CreatedByKind.STAFF and template.item_type == PlanItemType.SEARCH_AGREEMENT,
    )


def plan_goal_add(*, actor, citizen: Citizen, text: str, target_on: datetime.date | None = None,
                  created_by_kind: str = CreatedByKind.CITIZEN) -> PlanGoal:
    kind = _kind_for(actor, citizen, created_by_kind)
    errors: dict[str, list[str]] = {}
    if not (text or "").strip():
        _add(errors, "text", _("This field is required."))
    if target_on is not None:
        today = _today()
        if target_on < today:
            _add(errors, "target_on", _("The date cannot be in the past."))
        elif target_on > today + datetime.timedelta(days=PLAN_DATE_FUTURE_DAYS):
            _add(errors, "target_on", _("The date is more than two years ahead."))
    _refuse(errors)
    goal = PlanGoal(citizen=citizen, municipality_id=citizen.municipality_id, text=text.strip(),
                    target_on=target_on, created_by_kind=kind)
    _full_clean(goal)
    goal.save()
    return goal


def plan_goal_set_achieved(*, actor, citizen: Citizen, goal_id: int, achieved: bool) -> None:
    _require_owner_or_staff(actor, citizen)
    PlanGoal.all_tenants.filter(pk=goal_id, citizen=citizen).update(is_achieved=achieved, updated_at=timezone.now())


# --- Job log ------------------------------------------------------------------------


def _validate_job_log(values: dict[str, Any], today: datetime.date) -> None:
    errors: dict[str, list[str]] = {}
    if values.get("kind") not in JobLogKind.values:
        _add(errors, "kind", _("Choose one of the options."))
    if values.get("status") not in JobLogStatus.values:
        _add(errors, "status", _("Choose one of the options."))
    if values.get("how_applied") and values["how_applied"] not in HowApplied.values:
        _add(errors, "how_applied", _("Choose one of the options."))
    if not values.get("employer"):
        _add(errors, "employer", _("This field is required."))
    if not values.get("job_title"):
        _add(errors, "job_title", _("This field is required."))
    occurred_on = values.get("occurred_on")
    if not isinstance(occurred_on, datetime.date):
        _add(errors, "occurred_on", _("Enter a valid date."))
    elif occurred_on > today:
        _add(errors, "occurred_on", _("The date cannot be in the future."))
    elif occurred_on < today - datetime.timedelta(days=JOB_LOG_PAST_DAYS):
        _add(errors, "occurred_on", _("The date is more than a year ago."))
    if values.get("kind") == JobLogKind.APPLICATION and values.get("status") == JobLogStatus.DONE:
        _add(errors, "status", _("Choose how the application went."))
    _refuse(errors)


def job_log_entry_add(*, actor, citizen: Citizen, employer: str, job_title: str, occurred_on: datetime.date,
                      kind: str = JobLogKind.APPLICATION, how_applied: str = "", status: str | None = None,
                      notes: str = "", plan_item: PlanItem | None = None, posting_id: int | None = None) -> JobLogEntry:
    """Register an application or other job-search activity; publishes JobLogEntryAdded on commit."""
    _require_owner(actor, citizen)
    if status is None:
        status = JobLogStatus.SENT if kind == JobLogKind.APPLICATION else JobLogStatus.DONE
    values = {"kind": kind, "employer": (employer or "").strip(), "job_title": (job_title or "").strip(),
              "occurred_on": occurred_on, "how_applied": how_applied or "", "status": status,
              "notes": (notes or "").strip()}
    _validate_job_log(values, _today())
    if plan_item is not None and plan_item.citizen_id != citizen.pk:
        raise ValidationFailed(_("The plan item is not yours."))
    entry = JobLogEntry(citizen=citizen, municipality_id=citizen.municipality_id, plan_item=plan_item, **values)
    if posting_id is not None:
        entry.posting_id = posting_id
    _full_clean(entry)
    with transaction.atomic():
        entry.save()
        publish_on_commit(JobLogEntryAdded(citizen_id=citizen.pk, municipality_id=citizen.municipality_id,
                                           entry_id=entry.pk, occurred_at=entry.created_at,
                                           activity_on=entry.occurred_on))
    return entry


def job_log_entry_update(*, actor, entry: JobLogEntry, expected_version: int, **changes: Any) -> JobLogEntry:
    """Change a job log entry (typically its follow-up status) with optimistic locking."""
    _require_owner(actor, entry.citizen)
    allowed = {"kind", "employer", "job_title", "occurred_on", "how_applied", "status", "notes"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    current = JobLogEntry.all_tenants.get(pk=entry.pk)
    if current.version != expected_version:
        raise ConflictError
    for key in ("employer", "job_title", "notes"):
        if key in changes:
            changes[key] = (changes[key] or "").strip()
    values = {field: getattr(current, field) for field in allowed}
    values.update(changes)
    _validate_job_log(values, _today())
    updated = JobLogEntry.all_tenants.filter(pk=current.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now(), **changes
    )
    if not updated:
        raise ConflictError
    return JobLogEntry.all_tenants.select_related("citizen").get(pk=current.pk)


def job_log_entry_delete(*, actor, citizen: Citizen, entry_id: int) -> None:
    _require_owner(actor, citizen)
    JobLogEntry.all_tenants.filter(pk=entry_id, citizen=citizen).delete()


# --- Occupations sought -------------------------------------------------------------------


def profile_occupation_add(*, actor, citizen: Citizen, occupation_id: int) -> Profile:
    _require_owner(actor, citizen)
    errors: dict[str, list[str]] = {}
    found = _occupations(errors, [occupation_id])
    _refuse(errors)
    profile = profile_get_or_create(citizen=citizen)
    with transaction.atomic():
        if profile.occupations.count() >= 10 and not profile.occupations.filter(pk=occupation_id).exists():
            raise ValidationFailed({"occupations": [_("Choose at most 10 occupations.")]})
        profile.occupations.add(*found)
        Profile.all_tenants.filter(pk=profile.pk).update(version=F("version") + 1, updated_at=timezone.now())
    profile.refresh_from_db()
    return profile


def profile_occupation_remove(*, actor, citizen: Citizen, occupation_id: int) -> Profile:
    _require_owner(actor, citizen)
    profile = profile_get_or_create(citizen=citizen)
    with transaction.atomic():
        profile.occupations.remove(occupation_id)
        Profile.all_tenants.filter(pk=profile.pk).update(version=F("version") + 1, updated_at=timezone.now())
    profile.refresh_from_db()
    return profile


# --- Jobs from the job ads (one click from the ad) -------------------------------------------


def _posting(posting_id: int):
    """The job ad, reached through our own foreign key (citizens and jobs are on the same layer)."""
    posting_model: Any = SavedJob._meta.get_field("posting").related_model
    posting = posting_model._default_manager.filter(pk=posting_id).first()
    if posting is None:
        raise ValidationFailed(_("The job ad no longer exists."))
    return posting


def job_save(*, actor, citizen: Citizen, posting_id: int) -> SavedJob:
    _require_owner(actor, citizen)
    posting = _posting(posting_id)
    saved, _created = SavedJob.all_tenants.get_or_create(
        citizen=citizen, posting=posting, defaults={"municipality_id": citizen.municipality_id}
    )
    return saved


def job_unsave(*, actor, citizen: Citizen, posting_id: int) -> None:
    _require_owner(actor, citizen)
    SavedJob.all_tenants.filter(citizen=citizen, posting_id=posting_id).delete()


def job_add_to_plan(*, actor, citizen: Citizen, posting_id: int) -> PlanItem:
    """Put "apply for this job" into the plan (once per ad); an earlier "I applied" marks it done."""
    _require_owner(actor, citizen)
    posting = _posting(posting_id)
    existing = PlanItem.all_tenants.filter(citizen=citizen, posting=posting).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        applied = JobLogEntry.all_tenants.filter(citizen=citizen, posting=posting).order_by("-occurred_on").first()
        deadline = posting.application_deadline
        today = _today()
        if deadline is not None and not (today <= deadline <= today + datetime.timedelta(days=PLAN_DATE_FUTURE_DAYS)):
            deadline = None
        item = plan_item_create(
            actor=actor, citizen=citizen, item_type=PlanItemType.JOB_APPLICATION,
            title=(_("Apply: %(title)s at %(employer)s") % {"title": posting.title,
                                                            "employer": posting.employer_name})[:200],
            description="", due_on=deadline, link=posting.apply_url or "", created_by_kind=CreatedByKind.CITIZEN,
            status=PlanItemStatus.DONE if applied else PlanItemStatus.PLANNED, posting_id=posting.pk,
        )
        if applied is not None and applied.plan_item_id is None:
            JobLogEntry.all_tenants.filter(pk=applied.pk).update(plan_item=item)
    return item


def job_applied(*, actor, citizen: Citizen, posting_id: int, occurred_on: datetime.date | None = None) -> JobLogEntry:
    """"I applied" from the ad: a job log entry linked to the ad (and to its plan item, which is
    marked done). Saying it twice on the same day does not log the application twice."""
    _require_owner(actor, citizen)
    posting = _posting(posting_id)
    occurred_on = occurred_on or _today()
    existing = JobLogEntry.all_tenants.filter(citizen=citizen, posting=posting, occurred_on=occurred_on).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        item = PlanItem.all_tenants.filter(citizen=citizen, posting=posting).first()
        entry = job_log_entry_add(
            actor=actor, citizen=citizen, employer=posting.employer_name[:200], job_title=posting.title[:200],
            occurred_on=occurred_on, kind=JobLogKind.APPLICATION, how_applied=HowApplied.PLATFORM,
            plan_item=item, posting_id=posting.pk,
        )
        if item is not None and item.status in (PlanItemStatus.PLANNED, PlanItemStatus.IN_PROGRESS):
            plan_item_update(actor=actor, plan_item=item, expected_version=item.version,
                             changed_by_kind=CreatedByKind.CITIZEN, status=PlanItemStatus.DONE)
    return entry


# --- Skills (ESCO) -------------------------------------------------------------------------------

MAX_SKILLS = 50


def profile_skill_add(*, actor, citizen: Citizen, skill_uri: str) -> Profile:
    """Add an ESCO skill (by URI) to the profile; matching compares these with the ads' skills."""
    from jobunivers.taxonomy.selectors import get_skill_by_uri

    _require_owner(actor, citizen)
    skill = get_skill_by_uri(uri=(skill_uri or "").strip()) if skill_uri else None
    if skill is None:
        raise ValidationFailed({"skills": [_("Unknown skill.")]})
    profile = profile_get_or_create(citizen=citizen)
    with transaction.atomic():
        profile = Profile.all_tenants.select_for_update().get(pk=profile.pk)
        uris = list(profile.skill_uris or [])
        if skill.uri not in uris:
            if len(uris) >= MAX_SKILLS:
                raise ValidationFailed({"skills": [_("Choose at most %(n)s skills.") % {"n": MAX_SKILLS}]})
            uris.append(skill.uri)
            Profile.all_tenants.filter(pk=profile.pk).update(skill_uris=uris, version=F("version") + 1,
                                                             updated_at=timezone.now())
    profile.refresh_from_db()
    return profile


def profile_skill_remove(*, actor, citizen: Citizen, skill_uri: str) -> Profile:
    _require_owner(actor, citizen)
    profile = profile_get_or_create(citizen=citizen)
    with transaction.atomic():
        profile = Profile.all_tenants.select_for_update().get(pk=profile.pk)
        uris = [uri for uri in (profile.skill_uris or []) if uri != skill_uri]
        if uris != list(profile.skill_uris or []):
            Profile.all_tenants.filter(pk=profile.pk).update(skill_uris=uris, version=F("version") + 1,
                                                             updated_at=timezone.now())
    profile.refresh_from_db()
    return profile


def citizen_register_on_sign_in(*, user_id: int, municipality_id: int) -> Citizen:
    """The citizen's record, created the first time they sign in with MitID (idempotent).

    Identity (accounts) knows the person; this app owns the citizen's journey, so the record
    is created here, in the municipality the citizen signed in through.
    """
    with transaction.atomic():
        citizen, _created = Citizen.all_tenants.get_or_create(
            user_id=user_id,
            defaults={"municipality_id": municipality_id, "registered_on": _today()},
        )
    return citizen


def on_citizen_signed_in(event) -> None:
    """Handler for accounts.events.CitizenSignedIn (wired in config/events.py)."""
    citizen_register_on_sign_in(user_id=event.user_id, municipality_id=event.municipality_id)
