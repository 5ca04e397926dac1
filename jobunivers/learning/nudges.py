"""The daily nudge (ADR 0094): a citizen enrolled in a module they have not finished gets one reminder a day
through the notifications outbox, which applies their preferences and quiet hours.

Caps: one nudge per citizen and day whatever the number of modules (the notice's subject key is the date,
and the outbox's unique key makes a second run that day a no-op); none when the citizen learned in the last
20 hours; and at most five nudges in a row without progress, after which Jobunivers stops reminding
until the citizen answers a quiz again (answering resets the count).
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jobunivers.core.errors import ValidationFailed

from .models import EnrolmentStatus, Lesson, LessonProgress, ModuleEnrolment

logger = logging.getLogger(__name__)

QUIET_AFTER_ACTIVITY = datetime.timedelta(hours=20)
NUDGES_WITHOUT_PROGRESS_MAX = 5


def subject_key(day: datetime.date) -> str:
    return f"learning-nudge:{day.isoformat()}"


def _due(municipality_id: int, *, today: datetime.date, now: datetime.datetime):
    return (ModuleEnrolment.all_tenants.filter(
        municipality_id=municipality_id, status=EnrolmentStatus.ENROLLED,
        last_activity_at__lt=now - QUIET_AFTER_ACTIVITY, nudges_sent__lt=NUDGES_WITHOUT_PROGRESS_MAX)
        .filter(Q(last_nudged_on__isnull=True) | Q(last_nudged_on__lt=today)))


def _next_lesson(enrolment: ModuleEnrolment) -> Lesson | None:
    passed = LessonProgress.all_tenants.filter(enrolment=enrolment, passed_at__isnull=False).values("lesson_id")
    return Lesson.objects.filter(module_id=enrolment.module_id).exclude(pk__in=passed).order_by("position").first()


def nudges_send(*, municipality_id: int, now: datetime.datetime | None = None) -> int:
    """Nudge every due citizen of the municipality once (their most recently active module). Idempotent per
    citizen and day; returns the number of notices queued now."""
    from jobunivers.notifications.contracts import Kind
    from jobunivers.notifications.services import notify
    from jobunivers.tenancy.routing import municipal_reverse
    from jobunivers.tenancy.selectors import get_municipality

    now = now or timezone.now()
    today = timezone.localtime(now).date()
    slug = get_municipality(municipality_id=municipality_id).slug
    nudged_today = set(ModuleEnrolment.all_tenants.filter(municipality_id=municipality_id, last_nudged_on=today)
                       .values_list("citizen_id", flat=True))
    chosen: dict[int, int] = {}
    for enrolment_id, citizen_id in (_due(municipality_id, today=today, now=now)
                                     .order_by("citizen_id", "-last_activity_at", "-id")
                                     .values_list("id", "citizen_id").iterator()):
        if citizen_id not in nudged_today:
            chosen.setdefault(citizen_id, enrolment_id)
    queued = 0
    for enrolment_id in chosen.values():
        try:
            with transaction.atomic():
                enrolment = (_due(municipality_id, today=today, now=now).select_for_update()
                             .select_related("module").filter(pk=enrolment_id).first())
                if enrolment is None:  # progress, leaving or another run since the list was read
                    continue
                lesson = _next_lesson(enrolment)
                if lesson is None:
                    continue
                with translation.override("da"):
                    title = _("Today's lesson: %(module)s") % {"module": enrolment.module.title_da}
                    body = _("You are taking “%(module)s”. The next lesson, “%(lesson)s”, takes "
                             "%(minutes)s minutes.") % {"module": enrolment.module.title_da,
                                                         "lesson": lesson.title_da, "minutes": lesson.minutes}
                result = notify(municipality_id=municipality_id, citizen_id=enrolment.citizen_id, kind=Kind.LEARNING,
                                subject_key=subject_key(today), title=title[:200], body=body,
                                link=municipal_reverse(slug, "learning:lesson", args=[enrolment.module_id,
                                                                                      lesson.pk]))
                if result.created:
                    ModuleEnrolment.all_tenants.filter(pk=enrolment.pk).update(
                        nudges_sent=enrolment.nudges_sent + 1, last_nudged_on=today, updated_at=now)
                    queued += 1
        except ValidationFailed:
            # The person is no longer a citizen here (moved, erased in between): nothing to remind.
            logger.warning("learning nudge for enrolment %s refused by notifications", enrolment_id)
    return queued


def municipalities_with_learners() -> list[int]:
    return list(ModuleEnrolment.all_tenants.filter(status=EnrolmentStatus.ENROLLED)
                .values_list("municipality_id", flat=True).distinct().order_by("municipality_id"))
