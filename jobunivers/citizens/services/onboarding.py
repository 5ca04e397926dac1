"""Onboarding: welcome page, intro package, questionnaire, the administrator's welcome content and
plan templates, and the citizen record created at first sign-in."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jobunivers.core.errors import ConflictError, ValidationFailed
from jobunivers.core.events import publish_on_commit

from .. import permissions
from ..contracts import OnboardingCompleted
from ..models import (
    Barrier,
    Citizen,
    ContactChannel,
    CreatedByKind,
    DigitalSkills,
    EducationLevel,
    IntroPackageItem,
    IntroPackageProgress,
    OnboardingAnswers,
    PlanItem,
    PlanItemType,
    PlanTemplate,
    PreferredContact,
    WelcomeContent,
)
from ._common import _add, _choices_list, _full_clean, _int_in_range, _refuse, _require_owner, _today
from .plan import plan_item_create

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


def _check_municipal_content(actor, municipality_id: int, obj, other_municipality_message: str) -> None:
    """The one check for the administrator's municipal content (intro items, plan templates)."""
    if not permissions.can_manage_municipal_content(actor, municipality_id):
        raise ValidationFailed(_("Only the municipality's administrator can change this."))
    if obj is not None and obj.municipality_id != municipality_id:
        raise ValidationFailed(other_municipality_message)


def _assign(obj, data: dict[str, Any], fields: list[str]):
    for field in fields:
        if field in data:
            setattr(obj, field, data[field])
    return obj


def intro_package_item_save(*, actor, municipality_id: int, data: dict[str, Any],
                            item: IntroPackageItem | None = None) -> IntroPackageItem:
    _check_municipal_content(actor, municipality_id, item, _("This item belongs to another municipality."))
    item = _assign(item or IntroPackageItem(municipality_id=municipality_id), data,
                   ["title", "kind", "url", "description", "position", "is_active"])
    _full_clean(item)
    item.save()
    return item


def plan_template_save(*, actor, municipality_id: int, data: dict[str, Any],
                       template: PlanTemplate | None = None) -> PlanTemplate:
    _check_municipal_content(actor, municipality_id, template,
                             _("This template belongs to another municipality."))
    template = _assign(template or PlanTemplate(municipality_id=municipality_id), data,
                       ["title", "item_type", "description", "weekly_target", "duration_weeks", "is_active"])
    errors: dict[str, list[str]] = {}
    if template.item_type == PlanItemType.SEARCH_AGREEMENT and not template.weekly_target:
        _add(errors, "weekly_target", _("A search agreement needs a number of applications per week."))
    _refuse(errors)
    _full_clean(template)
    template.save()
    return template


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
