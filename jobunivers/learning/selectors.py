"""Reads of the learning app: the catalogue a citizen sees (the national library and their municipality's
own modules), a module with the citizen's progress, and staff's access-logged view of a citizen's learning.

Reads never write: opening a lesson records nothing; answering its quiz does (services.quiz_answer).
Staff read through `access_learning`, which writes the access-log entry in the same transaction (ADR 0064),
and see lessons and quiz scores only of modules the citizen chose to share.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, Sum

from jobunivers.core.errors import NotFound

from . import permissions
from .models import Lesson, LessonProgress, Module, ModuleEnrolment, ModuleStatus


def _visible(municipality_id: int):
    return Module.objects.filter(status=ModuleStatus.PUBLISHED).filter(
        Q(owner_municipality__isnull=True) | Q(owner_municipality_id=municipality_id))


@dataclass(frozen=True)
class ModuleCard:
    """One module in the catalogue, with the citizen's state in it."""

    module: Module
    lesson_count: int
    minutes: int
    is_local: bool
    enrolment: ModuleEnrolment | None
    lessons_passed: int

    @property
    def status(self) -> str:
        return self.enrolment.status if self.enrolment else ""


def catalogue(*, actor, citizen) -> list[ModuleCard]:
    """Every module the citizen may follow, national and local, with their enrolment and how many lessons
    they passed (four queries whatever the number of modules)."""
    if not permissions.can_learn(actor, citizen):
        raise NotFound
    modules = list(_visible(citizen.municipality_id).annotate(lesson_count=Count("lessons")))
    minutes = dict(Lesson.objects.filter(module__in=modules).values("module_id").annotate(total=Sum("minutes"))
                   .values_list("module_id", "total"))
    enrolments = {e.module_id: e for e in ModuleEnrolment.all_tenants.filter(citizen=citizen)}
    passed = dict(LessonProgress.all_tenants.filter(enrolment__citizen=citizen, passed_at__isnull=False)
                  .values("enrolment__module_id").annotate(n=Count("id")).values_list("enrolment__module_id", "n"))
    return [ModuleCard(module=m, lesson_count=m.lesson_count, minutes=minutes.get(m.pk, 0),
                       is_local=m.owner_municipality_id is not None, enrolment=enrolments.get(m.pk),
                       lessons_passed=passed.get(m.pk, 0)) for m in modules]


@dataclass(frozen=True)
class LessonLine:
    lesson: Lesson
    progress: LessonProgress | None

    @property
    def passed(self) -> bool:
        return self.progress is not None and self.progress.passed_at is not None


@dataclass(frozen=True)
class ModulePage:
    module: Module
    enrolment: ModuleEnrolment | None
    lessons: list[LessonLine]

    @property
    def passed_count(self) -> int:
        return sum(line.passed for line in self.lessons)

    @property
    def next_lesson(self) -> Lesson | None:
        return next((line.lesson for line in self.lessons if not line.passed), None)


def _lines(module: Module, enrolment: ModuleEnrolment | None) -> list[LessonLine]:
    progress = ({p.lesson_id: p for p in LessonProgress.all_tenants.filter(enrolment=enrolment)}
                if enrolment else {})
    return [LessonLine(lesson=lesson, progress=progress.get(lesson.pk))
            for lesson in Lesson.objects.filter(module=module).order_by("position")]


def own_module(*, actor, citizen, module_id: int) -> ModulePage:
    """A module the citizen may follow, with their lessons' progress; NotFound otherwise."""
    if not permissions.can_learn(actor, citizen):
        raise NotFound
    module = _visible(citizen.municipality_id).filter(pk=module_id).first()
    if module is None:
        raise NotFound
    enrolment = ModuleEnrolment.all_tenants.filter(citizen=citizen, module=module).first()
    return ModulePage(module=module, enrolment=enrolment, lessons=_lines(module, enrolment))


def own_lesson(*, actor, citizen, module_id: int, lesson_id: int) -> tuple[ModulePage, Lesson]:
    """A lesson of a module the citizen may follow, with its questions prefetched."""
    page = own_module(actor=actor, citizen=citizen, module_id=module_id)
    lesson = next((line.lesson for line in page.lessons if line.lesson.pk == lesson_id), None)
    if lesson is None:
        raise NotFound
    lesson.quiz = list(lesson.questions.order_by("position"))  # type: ignore[attr-defined]
    return page, lesson


def own_active_enrolment(*, actor, citizen, module_id: int) -> ModuleEnrolment:
    """The citizen's enrolment in a module (any status); NotFound when there is none."""
    if not permissions.can_learn(actor, citizen):
        raise NotFound
    enrolment = ModuleEnrolment.all_tenants.select_related("citizen", "module").filter(
        citizen=citizen, module_id=module_id).first()
    if enrolment is None:
        raise NotFound
    return enrolment


@dataclass(frozen=True)
class StaffLine:
    """One of the citizen's modules as staff see it: detail only when the citizen shares it."""

    enrolment: ModuleEnrolment
    lesson_count: int
    lessons_passed: int | None  # None: the citizen does not share their progress in this module
    lessons: list[LessonLine] | None


@transaction.atomic
def access_learning(*, actor, citizen_id: int, purpose: str = "help") -> tuple[Any, list[StaffLine]]:
    """A citizen's modules for staff of their municipality, access-logged in the same transaction."""
    from jobunivers.citizens.selectors import access_citizen

    citizen = access_citizen(actor=actor, id=citizen_id, purpose=purpose, what="learning",
                             permission=permissions.can_view_learning)
    enrolments = list(ModuleEnrolment.all_tenants.filter(citizen=citizen).select_related("module")
                      .annotate(lesson_count=Count("module__lessons", distinct=True)))
    lines = []
    for enrolment in enrolments:
        if enrolment.share_progress:
            lessons = _lines(enrolment.module, enrolment)
            lines.append(StaffLine(enrolment=enrolment, lesson_count=enrolment.lesson_count,
                                   lessons_passed=sum(line.passed for line in lessons), lessons=lessons))
        else:
            lines.append(StaffLine(enrolment=enrolment, lesson_count=enrolment.lesson_count, lessons_passed=None,
                                   lessons=None))
    return citizen, lines


def modules_for(*, municipality_id: int) -> list[Module]:
    """The modules a municipality's citizens may follow (no citizen data): for staff to suggest one."""
    return list(_visible(municipality_id))


def first_national_module_uses(*, citizen_ids) -> list[tuple[int, int, Any]]:
    """(module id, citizen id, day the citizen started it) for modules of the national library, whatever the
    citizen's municipality; only modules the citizen started (suggested only does not count). For analytics'
    anonymous "people like you" aggregate (ADR 0130): a municipality's own modules are left out, since others
    cannot take them."""
    from django.utils import timezone

    ids = sorted({int(i) for i in citizen_ids})
    found = []
    for start in range(0, len(ids), 1000):
        rows = ModuleEnrolment.all_tenants.filter(citizen_id__in=ids[start:start + 1000], enrolled_at__isnull=False,
                                                  module__owner_municipality__isnull=True).values_list(
            "module_id", "citizen_id", "enrolled_at")
        found += [(module_id, citizen_id, timezone.localdate(enrolled_at)) for module_id, citizen_id, enrolled_at in rows]
    return found


def module_titles(*, module_ids) -> dict[int, tuple[str, str]]:
    """Module id -> (Danish title, English title)."""
    return {pk: (da, en) for pk, da, en in Module.objects.filter(pk__in=list(module_ids)).values_list(
        "pk", "title_da", "title_en")}
