"""Every write of the learning app: loading modules from the data files, enrolling, answering a lesson's
quiz, completing and leaving a module (ADR 0093).

Only the citizen learns (permissions.can_learn). A quiz is passed with at least two thirds of the answers
right (rounded up); a module is completed when every lesson's quiz is passed. Bad input writes nothing.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jobunivers.audit.services import citizen_access_record
from jobunivers.citizens import services as citizen_services
from jobunivers.core.errors import ConflictError, ValidationFailed
from jobunivers.core.events import publish_on_commit
from jobunivers.tenancy.routing import municipal_reverse
from jobunivers.tenancy.selectors import get_municipality

from . import permissions
from .content import ModuleData
from .contracts import ModuleCompleted
from .models import (
    EnrolmentStatus,
    Lesson,
    LessonProgress,
    Module,
    ModuleEnrolment,
    ModuleStatus,
    Question,
)

logger = logging.getLogger(__name__)

NOTE_MAX = 500
PARKED_POSITION = 1000  # above any real position (a module has at most 12 lessons)


def pass_mark(total: int) -> int:
    """Right answers needed to pass a quiz of `total` questions: two thirds, rounded up."""
    return math.ceil(total * 2 / 3)


# --- Content ------------------------------------------------------------------------------------

def modules_import(*, modules: Iterable[ModuleData], municipality_id: int | None = None,
                   withdraw_missing: bool = True) -> dict[str, int]:
    """Create or update modules from the data files: the national library (municipality_id None) or one
    municipality's own modules. Lessons and questions of a module are replaced as a whole; a lesson a
    citizen has progress in keeps its row (and its progress) when its key stays. Modules no longer in
    the files are withdrawn, never deleted: enrolments in them stay readable. All or nothing."""
    report = {"created": 0, "updated": 0, "withdrawn": 0}
    owner = Q(owner_municipality_id=municipality_id) if municipality_id else Q(owner_municipality__isnull=True)
    with transaction.atomic():
        seen = []
        for data in modules:
            seen.append(data.key)
            fields = {"position": data.position, "title_da": data.title_da, "title_en": data.title_en,
                      "summary_da": data.summary_da, "summary_en": data.summary_en, "sources": list(data.sources),
                      "legal_refs": list(data.legal_refs), "last_reviewed": data.last_reviewed, "owner": data.owner,
                      "status": ModuleStatus.PUBLISHED}
            module = Module.objects.filter(owner, key=data.key).first()
            if module is None:
                module = Module.objects.create(owner_municipality_id=municipality_id, key=data.key, **fields)
                report["created"] += 1
            else:
                Module.objects.filter(pk=module.pk).update(updated_at=timezone.now(), **fields)
                report["updated"] += 1
            _lessons_replace(module, data)
        if withdraw_missing:
            report["withdrawn"] = (Module.objects.filter(owner, status=ModuleStatus.PUBLISHED)
                                   .exclude(key__in=seen).update(status=ModuleStatus.WITHDRAWN,
                                                                 updated_at=timezone.now()))
    return report


def _lessons_replace(module: Module, data: ModuleData) -> None:
    existing = {lesson.key: lesson for lesson in Lesson.objects.filter(module=module)}
    # Positions are unique per module: park the kept lessons out of the way before renumbering.
    Lesson.objects.filter(module=module).update(position=F("position") + PARKED_POSITION)
    keep = {lesson.key for lesson in data.lessons}
    Lesson.objects.filter(module=module).exclude(key__in=keep).delete()
    for position, lesson_data in enumerate(data.lessons, start=1):
        values = {"position": position, "title_da": lesson_data.title_da, "title_en": lesson_data.title_en,
                  "minutes": lesson_data.minutes, "body_da": lesson_data.body_da, "body_en": lesson_data.body_en,
                  "video_url": lesson_data.video_url, "sources": list(lesson_data.sources)}
        lesson = existing.get(lesson_data.key)
        if lesson is None:
            lesson = Lesson.objects.create(module=module, key=lesson_data.key, **values)
        else:
            Lesson.objects.filter(pk=lesson.pk).update(updated_at=timezone.now(), **values)
        Question.objects.filter(lesson=lesson).delete()
        Question.objects.bulk_create([
            Question(lesson=lesson, position=n, text_da=q.text_da, text_en=q.text_en, choices_da=list(q.choices_da),
                     choices_en=list(q.choices_en), correct=q.correct, explanation_da=q.explanation_da,
                     explanation_en=q.explanation_en)
            for n, q in enumerate(lesson_data.questions, start=1)])


# --- The citizen ----------------------------------------------------------------------------------

def _visible_module(citizen, module_id) -> Module:
    try:
        module_id = int(module_id)
    except (TypeError, ValueError):
        module_id = 0
    module = (Module.objects.filter(pk=module_id, status=ModuleStatus.PUBLISHED)
              .filter(Q(owner_municipality__isnull=True) | Q(owner_municipality_id=citizen.municipality_id)).first())
    if module is None:
        raise ValidationFailed(_("The module is not available."))
    return module


def _module_link(citizen, module: Module) -> str:
    slug = get_municipality(municipality_id=citizen.municipality_id).slug
    return settings.SITE_URL.rstrip("/") + municipal_reverse(slug, "learning:module", args=[module.pk])


def _plan_item_new(*, actor, citizen, module: Module, kind: str, status: str, note: str = ""):
    """The module as a course in the citizen's plan (citizens' own service writes it)."""
    description = "\n\n".join(part for part in (note, module.summary_da) if part)
    return citizen_services.plan_item_create(
        actor=actor, citizen=citizen, item_type="course", title=module.title_da[:200], description=description[:4000],
        link=_module_link(citizen, module), created_by_kind=kind, status=status)


def _plan_status(enrolment: ModuleEnrolment, status: str) -> None:
    """Move the enrolment's plan item to `status` as Jobunivers (the system), following the NAV-like
    contract: suggested -> planned -> in progress -> done, or cancelled. An item the citizen or the job
    centre already closed is left as they left it."""
    plan_status_move(enrolment, status)


def plan_status_move(row, status: str) -> None:
    """Move the plan item of a learning row (an enrolment, an interview practice) to `status` as the system.
    An item the citizen or the job centre already closed is left as they left it."""
    if row.plan_item_id is None:
        return
    # Read fresh through the foreign key (its base manager needs no tenant context in tasks and the API).
    item = type(row).all_tenants.select_related("plan_item__citizen").get(pk=row.pk).plan_item
    if item is None or item.status == status or item.status in ("done", "cancelled") and status != "planned":
        return
    try:
        with transaction.atomic():
            citizen_services.plan_item_update(actor=None, plan_item=item, expected_version=item.version,
                                              changed_by_kind="system", status=status)
    except (ValidationFailed, ConflictError):
        # The item's own dates no longer pass the plan's checks, or someone changed it this very moment:
        # the learning record still counts; the plan item is left for the citizen or the job centre.
        logger.warning("plan item %s not moved to %s by learning", item.pk, status)


def enrol(*, actor, citizen, module_id, share_progress: bool = False) -> ModuleEnrolment:
    """The citizen starts a module of the national library or their municipality's own, and it goes into
    their plan as a planned course. Starting a module the job centre suggested moves that suggestion to
    planned; enrolling again after leaving picks the old enrolment up again (its progress is kept)."""
    if not permissions.can_learn(actor, citizen):
        raise ValidationFailed(_("Only the citizen can enrol."))
    module = _visible_module(citizen, module_id)
    now = timezone.now()
    try:
        with transaction.atomic():
            enrolment = (ModuleEnrolment.all_tenants.select_for_update()
                         .filter(citizen=citizen, module=module).first())
            if enrolment is None:
                enrolment = ModuleEnrolment.all_tenants.create(
                    municipality_id=citizen.municipality_id, citizen=citizen, module=module, enrolled_at=now,
                    last_activity_at=now, share_progress=bool(share_progress))
            elif enrolment.status in (EnrolmentStatus.WITHDRAWN, EnrolmentStatus.SUGGESTED):
                enrolment.status, enrolment.withdrawn_at, enrolment.enrolled_at = EnrolmentStatus.ENROLLED, None, now
                enrolment.last_activity_at, enrolment.share_progress = now, bool(share_progress)
                enrolment.nudges_sent, enrolment.last_nudged_on = 0, None
                enrolment.save(update_fields=["status", "withdrawn_at", "enrolled_at", "last_activity_at",
                                              "share_progress", "nudges_sent", "last_nudged_on", "updated_at"])
            else:
                raise ValidationFailed(_("You are already enrolled in this module."))
            if enrolment.plan_item_id is None:
                enrolment.plan_item = _plan_item_new(actor=actor, citizen=citizen, module=module, kind="citizen",
                                                     status="planned")
                enrolment.save(update_fields=["plan_item", "updated_at"])
            else:
                _plan_status(enrolment, "planned")
    except IntegrityError:
        raise ValidationFailed(_("You are already enrolled in this module.")) from None
    return enrolment


def module_suggest(*, actor, citizen, module_id, note: str = "") -> ModuleEnrolment:
    """A job adviser or personal job consultant suggests a module: it lands in the citizen's plan with the
    status "suggested" until the citizen starts it (or leaves it). Access-logged as a change."""
    if not permissions.can_suggest_module(actor, citizen):
        raise ValidationFailed(_("Only the citizen's job adviser or personal job consultant can suggest modules."))
    module = _visible_module(citizen, module_id)
    note = (note or "").strip()
    if len(note) > NOTE_MAX or "\x00" in note:
        raise ValidationFailed({"note": [_("Write at most %(limit)s characters.") % {"limit": NOTE_MAX}]})
    now = timezone.now()
    try:
        with transaction.atomic():
            enrolment = (ModuleEnrolment.all_tenants.select_for_update()
                         .filter(citizen=citizen, module=module).first())
            if enrolment is not None and enrolment.status != EnrolmentStatus.WITHDRAWN:
                raise ValidationFailed(_("The citizen already has this module in their plan."))
            item = _plan_item_new(actor=actor, citizen=citizen, module=module, kind="staff", status="suggested",
                                  note=note)
            if enrolment is None:
                enrolment = ModuleEnrolment.all_tenants.create(
                    municipality_id=citizen.municipality_id, citizen=citizen, module=module,
                    status=EnrolmentStatus.SUGGESTED, suggested_at=now, last_activity_at=now, plan_item=item)
            else:
                enrolment.status, enrolment.suggested_at, enrolment.plan_item = EnrolmentStatus.SUGGESTED, now, item
                enrolment.withdrawn_at = None
                enrolment.save(update_fields=["status", "suggested_at", "plan_item", "withdrawn_at", "updated_at"])
            citizen_access_record(actor=actor, municipality_id=citizen.municipality_id, citizen_id=citizen.pk,
                                  action="change", purpose="help", what="learning")
    except IntegrityError:
        raise ValidationFailed(_("The citizen already has this module in their plan.")) from None
    return enrolment


def _own_active(actor, enrolment: ModuleEnrolment) -> ModuleEnrolment:
    if not permissions.can_learn(actor, enrolment.citizen):
        raise ValidationFailed(_("Only the citizen can do this."))
    locked = ModuleEnrolment.all_tenants.select_for_update().select_related("module", "citizen").get(pk=enrolment.pk)
    if locked.status in (EnrolmentStatus.WITHDRAWN, EnrolmentStatus.SUGGESTED):
        raise ValidationFailed(_("Enrol in the module before you answer the quiz."))
    return locked


@dataclass(frozen=True)
class QuestionResult:
    question_id: int
    chosen: int
    correct: int
    is_right: bool


@dataclass(frozen=True)
class QuizResult:
    score: int
    total: int
    needed: int
    passed: bool
    module_completed: bool
    answers: tuple[QuestionResult, ...]


def _parse_answers(questions: list[Question], answers: dict) -> dict[int, int]:
    errors: dict[str, list[str]] = {}
    chosen: dict[int, int] = {}
    for question in questions:
        raw = answers.get(f"question-{question.pk}")
        try:
            value = int(str(raw))
        except (TypeError, ValueError):
            value = -1
        if not 0 <= value < len(question.choices_da):
            errors[f"question-{question.pk}"] = [_("Choose an answer to question %(number)s.")
                                                 % {"number": question.position}]
        else:
            chosen[question.pk] = value
    if errors:
        raise ValidationFailed(errors)
    return chosen


def quiz_answer(*, actor, enrolment: ModuleEnrolment, lesson_id, answers: dict) -> QuizResult:
    """The citizen answers a lesson's quiz: the lesson counts as read, the score is recorded (the best one
    is kept) and, when every lesson's quiz is passed, the module is completed. Answers: {"question-<id>":
    "<index of the choice>"} for every question of the lesson; anything missing or unknown writes nothing."""
    try:
        lesson_id = int(lesson_id)
    except (TypeError, ValueError):
        lesson_id = 0
    lesson = Lesson.objects.filter(pk=lesson_id, module_id=enrolment.module_id).first()
    if lesson is None:
        raise ValidationFailed(_("The lesson is not part of this module."))
    questions = list(Question.objects.filter(lesson=lesson).order_by("position"))
    chosen = _parse_answers(questions, answers or {})
    results = tuple(QuestionResult(question_id=q.pk, chosen=chosen[q.pk], correct=q.correct,
                                   is_right=chosen[q.pk] == q.correct) for q in questions)
    score, total = sum(r.is_right for r in results), len(questions)
    passed = score >= pass_mark(total)
    now = timezone.now()
    with transaction.atomic():
        locked = _own_active(actor, enrolment)
        progress, _created = LessonProgress.all_tenants.get_or_create(
            enrolment=locked, lesson=lesson, defaults={"municipality_id": locked.municipality_id})
        progress.read_at = progress.read_at or now
        progress.attempts = min(progress.attempts + 1, 32767)
        progress.last_score, progress.best_score = score, max(progress.best_score, score)
        progress.last_answers = [chosen[q.pk] for q in questions]
        if passed and progress.passed_at is None:
            progress.passed_at = now
        progress.save()
        locked.last_activity_at, locked.nudges_sent = now, 0  # progress: the nudges start counting again
        completed = False
        if locked.status == EnrolmentStatus.ENROLLED and _all_passed(locked):
            locked.status, locked.completed_at, completed = EnrolmentStatus.COMPLETED, now, True
        locked.save(update_fields=["last_activity_at", "nudges_sent", "status", "completed_at", "updated_at"])
        _plan_status(locked, "done" if completed else "in_progress")
        if completed:
            publish_on_commit(ModuleCompleted(municipality_id=locked.municipality_id, citizen_id=locked.citizen_id,
                                              module_key=locked.module.key, enrolment_id=locked.pk,
                                              item_id=locked.module_id, title=locked.module.title_da,
                                              completed_at=now))
    return QuizResult(score=score, total=total, needed=pass_mark(total), passed=passed, module_completed=completed,
                      answers=results)


def _all_passed(enrolment: ModuleEnrolment) -> bool:
    lessons = set(Lesson.objects.filter(module_id=enrolment.module_id).values_list("pk", flat=True))
    passed = set(LessonProgress.all_tenants.filter(enrolment=enrolment, passed_at__isnull=False)
                 .values_list("lesson_id", flat=True))
    return bool(lessons) and lessons <= passed


def enrolment_withdraw(*, actor, enrolment: ModuleEnrolment) -> ModuleEnrolment:
    """The citizen leaves a module they have not completed, or says no to a suggested one: the plan item is
    cancelled (their progress is kept if they come back)."""
    if not permissions.can_learn(actor, enrolment.citizen):
        raise ValidationFailed(_("Only the citizen can do this."))
    with transaction.atomic():
        locked = ModuleEnrolment.all_tenants.select_for_update().get(pk=enrolment.pk)
        if locked.status == EnrolmentStatus.COMPLETED:
            raise ValidationFailed(_("You have completed this module; there is nothing to leave."))
        if locked.status == EnrolmentStatus.WITHDRAWN:
            raise ValidationFailed(_("You have already left this module."))
        locked.status, locked.withdrawn_at = EnrolmentStatus.WITHDRAWN, timezone.now()
        locked.save(update_fields=["status", "withdrawn_at", "updated_at"])
        _plan_status(locked, "cancelled")
    return locked


def sharing_set(*, actor, enrolment: ModuleEnrolment, share: bool) -> ModuleEnrolment:
    """The citizen lets the job centre see their lessons and quiz results in this module, or stops it."""
    if not permissions.can_learn(actor, enrolment.citizen):
        raise ValidationFailed(_("Only the citizen can do this."))
    with transaction.atomic():
        ModuleEnrolment.all_tenants.filter(pk=enrolment.pk).update(share_progress=bool(share),
                                                                    updated_at=timezone.now())
    enrolment.share_progress = bool(share)
    return enrolment
