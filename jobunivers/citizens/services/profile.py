"""The citizen's profile: answers, work experience, education, occupations sought, ESCO skills."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jobunivers.core.errors import ConflictError, ValidationFailed
from jobunivers.core.events import publish_on_commit

from ..contracts import ProfileChanged
from ..models import (
    Citizen,
    DrivingLicence,
    Education,
    EducationLevel,
    EmployerVisibility,
    EmploymentType,
    Profile,
    WorkExperience,
)
from ._common import (
    EARLIEST_WORK_YEAR,
    _add,
    _choices_list,
    _full_clean,
    _int_in_range,
    _refuse,
    _require_owner,
    _today,
)

# --- Profile -----------------------------------------------------------------


PROFILE_FIELDS = ["summary", "occupation_text", "skill_uris", "skills_text", "education_level", "languages",
                  "driving_licences", "hours_per_week", "employment_types", "radius_km", "remote_ok", "sectors",
                  "followed_companies", "keywords", "employer_visibility"]


def profile_changed(citizen: Citizen) -> None:
    """Tell later apps (the personal diagnosis) that what the citizen seeks or offers changed."""
    publish_on_commit(ProfileChanged(citizen_id=citizen.pk, municipality_id=citizen.municipality_id))


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
            _occupations_replace(profile, occupations)
        if postcode is not None and postcode.pk != citizen.postcode_id:
            Citizen.all_tenants.filter(pk=citizen.pk).update(postcode=postcode)
            citizen.postcode = postcode
        profile_changed(citizen)
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
    by_id = {occupation.pk: occupation for occupation in occupation_model.objects.filter(pk__in=ids)}
    if len(by_id) != len(ids):
        _add(errors, "occupations", _("Unknown occupation."))
    return [by_id[pk] for pk in ids if pk in by_id]


def _occupations_replace(profile: Profile, occupations: list) -> None:
    """Replace the occupations sought, keeping the citizen's order (the first is the main one).
    Django's `set()` inserts the missing rows in set order, which follows the ids, not the citizen;
    the link rows are written in the given order so that their ids carry it on both databases."""
    wanted = [occupation.pk for occupation in occupations]
    through = Profile.occupations.through
    current = list(through.objects.filter(profile_id=profile.pk).order_by("id").values_list("occupation_id", flat=True))
    if current == wanted:
        return
    through.objects.filter(profile_id=profile.pk).delete()
    through.objects.bulk_create([through(profile_id=profile.pk, occupation_id=pk) for pk in wanted])


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
    with transaction.atomic():
        experience.save()
        profile_changed(citizen)
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
    with transaction.atomic():
        education.save()
        profile_changed(citizen)
    return education


def education_delete(*, actor, citizen: Citizen, education_id: int) -> None:
    _require_owner(actor, citizen)
    Education.all_tenants.filter(pk=education_id, citizen=citizen).delete()


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
        profile_changed(citizen)
    profile.refresh_from_db()
    return profile


def profile_occupation_remove(*, actor, citizen: Citizen, occupation_id: int) -> Profile:
    _require_owner(actor, citizen)
    profile = profile_get_or_create(citizen=citizen)
    with transaction.atomic():
        profile.occupations.remove(occupation_id)
        Profile.all_tenants.filter(pk=profile.pk).update(version=F("version") + 1, updated_at=timezone.now())
        profile_changed(citizen)
    profile.refresh_from_db()
    return profile


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
            profile_changed(citizen)
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
            profile_changed(citizen)
    profile.refresh_from_db()
    return profile


