"""Every write of courses and job clubs (ADR 0120): groups, meetings, digital tasks, joining and leaving
with a first-come waiting list, attendance and completion, and the citizen's plan items for all of it.

Places are counted under a lock on the group row (select_for_update), so two citizens taking the last
place at the same moment cannot both get it, and leaving moves the first person on the waiting list up in
the same transaction. Bad input writes nothing. Plan items are written through citizens' services as the
system (changed_by_kind="system"), following the NAV-like status contract of ADR 0093.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jobunivers.audit.services import citizen_access_record
from jobunivers.citizens import services as citizen_services
from jobunivers.core.errors import ConflictError, NotFound, ValidationFailed
from jobunivers.core.events import publish_on_commit
from jobunivers.tenancy.routing import municipal_reverse
from jobunivers.tenancy.selectors import get_municipality

from . import permissions
from .contracts import AttendanceRecorded, CourseCompleted, GroupJoined
from .models import (
    CAPACITY_MAX,
    TAKING_A_PLACE,
    Attendance,
    AttendanceStatus,
    DigitalTask,
    Enrolment,
    EnrolmentStatus,
    Group,
    GroupKind,
    GroupStatus,
    Session,
    TaskItem,
)

logger = logging.getLogger(__name__)

NOTE_MAX = 300
TITLE_MAX = 200
DESCRIPTION_MAX = 4000


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def _clean_text(errors: dict, field: str, value, *, limit: int, required: bool = False) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if "\x00" in text:
        errors.setdefault(field, []).append(_("The text contains a character that cannot be saved."))
    elif required and not text:
        errors.setdefault(field, []).append(_("This field is required."))
    elif len(text) > limit:
        errors.setdefault(field, []).append(_("Write at most %(limit)s characters.") % {"limit": limit})
    return text


def _capacity(errors: dict, value) -> int:
    try:
        capacity = int(value)
    except (TypeError, ValueError):
        capacity = 0
    if not 1 <= capacity <= CAPACITY_MAX:
        errors.setdefault("capacity", []).append(
            _("Enter a number of places from 1 to %(high)s.") % {"high": CAPACITY_MAX})
    return capacity


def _refuse(errors: dict) -> None:
    if errors:
        raise ValidationFailed(errors)


# --- Groups ------------------------------------------------------------------------------------------

def _vendor(errors: dict, municipality_id: int, vendor_id) -> int | None:
    """A vendor with an offer enabled in the municipality, or None (no vendor teaches)."""
    if vendor_id in (None, ""):
        return None
    from jobunivers.marketplace.selectors import vendors_offering_in

    try:
        vendor_id = int(vendor_id)
    except (TypeError, ValueError):
        vendor_id = -1
    if vendor_id not in {pk for pk, _name in vendors_offering_in(municipality_id=municipality_id)}:
        errors.setdefault("vendor", []).append(_("Choose one of the options."))
        return None
    return vendor_id


_UNCHANGED: Any = object()


def group_create(*, actor, municipality_id: int, kind: str, title: str, description: str = "", capacity,
                 is_cross_municipal: bool = False, partner_ids=(), vendor_id=None) -> Group:
    """Staff of a municipality create a course or a job club; they become its teacher. A cross-municipal
    group is a job club whose meetings are online; `partner_ids` are the other municipalities whose
    citizens may join it."""
    if not permissions.can_create_group(actor, municipality_id):
        raise ValidationFailed(_("Only staff of the job centre can create courses and job clubs."))
    errors: dict[str, list[str]] = {}
    if kind not in GroupKind.values:
        errors.setdefault("kind", []).append(_("Choose one of the options."))
    title = _clean_text(errors, "title", title, limit=TITLE_MAX, required=True)
    description = _clean_text(errors, "description", description, limit=DESCRIPTION_MAX)
    capacity = _capacity(errors, capacity)
    partners = sorted({int(p) for p in partner_ids or () if str(p).isdigit()} - {municipality_id})
    if is_cross_municipal and kind != GroupKind.JOB_CLUB:
        errors.setdefault("is_cross_municipal", []).append(
            _("Only a job club can be open to citizens of other municipalities."))
    if is_cross_municipal and not partners:
        errors.setdefault("partners", []).append(_("Choose at least one other municipality."))
    if partners and not is_cross_municipal:
        partners = []
    vendor = _vendor(errors, municipality_id, vendor_id)
    if partners:
        from jobunivers.tenancy.selectors import active_municipalities

        known = set(active_municipalities().filter(pk__in=partners).values_list("pk", flat=True))
        if known != set(partners):
            errors.setdefault("partners", []).append(_("Choose one of the options."))
    _refuse(errors)
    with transaction.atomic():
        group = Group.all_tenants.create(municipality_id=municipality_id, kind=kind, title=title,
                                         description=description, capacity=capacity,
                                         is_cross_municipal=bool(is_cross_municipal), created_by=actor,
                                         vendor_id=vendor)
        group.teachers.add(actor)
        if partners:
            group.partners.set(partners)
    return group


def group_update(*, actor, group: Group, title: str, description: str, capacity, status: str,
                 vendor_id=_UNCHANGED, now: datetime.datetime | None = None) -> Group:
    """A teacher changes the text, the number of places or closes the group. Places never go below the
    number of people who have one; more places move people up from the waiting list. Only the owner
    municipality's staff name or remove the vendor that teaches it (`vendor_id`; left out: unchanged)."""
    if not permissions.can_teach(actor, group):
        raise NotFound
    if vendor_id is not _UNCHANGED and not permissions.can_choose_vendor(actor, group):
        raise NotFound
    errors: dict[str, list[str]] = {}
    title = _clean_text(errors, "title", title, limit=TITLE_MAX, required=True)
    description = _clean_text(errors, "description", description, limit=DESCRIPTION_MAX)
    capacity = _capacity(errors, capacity)
    if status not in GroupStatus.values:
        errors.setdefault("status", []).append(_("Choose one of the options."))
    keeps = vendor_id is _UNCHANGED or (vendor_id not in (None, "") and str(vendor_id) == str(group.vendor_id))
    vendor = group.vendor_id if keeps else _vendor(errors, group.municipality_id, vendor_id)
    _refuse(errors)
    with transaction.atomic():
        locked = Group.all_tenants.select_for_update().get(pk=group.pk)
        taken = Enrolment.all_tenants.filter(group=locked, status__in=TAKING_A_PLACE).count()
        if capacity < taken:
            raise ValidationFailed({"capacity": [
                _("%(taken)s people already have a place. Let someone leave before you lower the number of "
                  "places below that.") % {"taken": taken}]})
        locked.title, locked.description, locked.capacity, locked.status = title, description, capacity, status
        locked.vendor_id = vendor
        locked.save(update_fields=["title", "description", "capacity", "status", "vendor", "updated_at"])
        _promote(locked, now=_now(now))
    return locked


# --- Meetings and tasks ---------------------------------------------------------------------------------

def _parse_moment(errors, field, value) -> datetime.datetime | None:
    if isinstance(value, datetime.datetime):
        moment = value
    else:
        errors.setdefault(field, []).append(_("Enter a valid date and time."))
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def session_add(*, actor, group: Group, starts_at, ends_at, place: str = "", video_link: str = "",
                agenda: str = "", now: datetime.datetime | None = None) -> Session:
    """A teacher adds a meeting. It goes into the plan of everyone with a place as a planned meeting."""
    if not permissions.can_teach(actor, group):
        raise NotFound
    now = _now(now)
    errors: dict[str, list[str]] = {}
    starts = _parse_moment(errors, "starts_at", starts_at)
    ends = _parse_moment(errors, "ends_at", ends_at)
    place = _clean_text(errors, "place", place, limit=200)
    video_link = _clean_text(errors, "video_link", video_link, limit=500)
    agenda = _clean_text(errors, "agenda", agenda, limit=500)
    if starts and starts < now:
        errors.setdefault("starts_at", []).append(_("The meeting cannot start in the past."))
    if starts and ends and ends <= starts:
        errors.setdefault("ends_at", []).append(_("The meeting must end after it starts."))
    if starts and starts > now + datetime.timedelta(days=365):
        errors.setdefault("starts_at", []).append(_("The meeting must be within a year."))
    if video_link and not video_link.startswith("https://"):
        errors.setdefault("video_link", []).append(_("Enter a link that starts with https://."))
    if not place and not video_link:
        errors.setdefault("place", []).append(_("Write where the meeting is, or give a video link."))
    if group.is_cross_municipal and not video_link:
        errors.setdefault("video_link", []).append(
            _("A job club across municipalities meets online: give a video link."))
    _refuse(errors)
    assert starts is not None and ends is not None  # _refuse raised otherwise
    with transaction.atomic():
        locked = Group.all_tenants.select_for_update().get(pk=group.pk)
        session = Session.all_tenants.create(municipality_id=locked.municipality_id, group=locked, starts_at=starts,
                                             ends_at=ends, place=place, video_link=video_link, agenda=agenda)
        for enrolment in Enrolment.all_tenants.filter(group=locked, status=EnrolmentStatus.ENROLLED
                                                      ).select_related("citizen"):
            _seat(enrolment, session, locked)
    return session


def task_add(*, actor, group: Group, title: str, description: str = "", due_on, module_id=None,
             now: datetime.datetime | None = None) -> DigitalTask:
    """A teacher of a course sets a task between meetings: a learning module of the citizens' library or a
    free-text task, with a due date. It lands in the plan of everyone with a place."""
    if not permissions.can_teach(actor, group):
        raise NotFound
    today = timezone.localdate(_now(now))
    errors: dict[str, list[str]] = {}
    if group.kind != GroupKind.COURSE:
        errors.setdefault("__all__", []).append(_("Digital tasks belong to blended courses."))
    title = _clean_text(errors, "title", title, limit=TITLE_MAX)
    description = _clean_text(errors, "description", description, limit=2000)
    module = None
    if module_id not in (None, ""):
        from jobunivers.learning.selectors import modules_for

        module = next((m for m in modules_for(municipality_id=group.municipality_id) if str(m.pk) == str(module_id)),
                      None)
        if module is None:
            errors.setdefault("module", []).append(_("Choose one of the options."))
        elif not title:
            title = module.title_da[:TITLE_MAX]
    if not title and "title" not in errors:
        errors.setdefault("title", []).append(_("This field is required."))
    if not isinstance(due_on, datetime.date):
        errors.setdefault("due_on", []).append(_("Enter a valid date."))
    elif due_on < today:
        errors.setdefault("due_on", []).append(_("The due date cannot be in the past."))
    elif due_on > today + datetime.timedelta(days=365):
        errors.setdefault("due_on", []).append(_("The due date must be within a year."))
    _refuse(errors)
    with transaction.atomic():
        locked = Group.all_tenants.select_for_update().get(pk=group.pk)
        task = DigitalTask.all_tenants.create(municipality_id=locked.municipality_id, group=locked, title=title,
                                              description=description, due_on=due_on,
                                              module_id=module.pk if module else None)
        for enrolment in Enrolment.all_tenants.filter(group=locked, status=EnrolmentStatus.ENROLLED
                                                      ).select_related("citizen"):
            _task_item(enrolment, task, locked)
    return task


# --- The plan --------------------------------------------------------------------------------------------

def _link(citizen, url_name: str, *args) -> str:
    slug = get_municipality(municipality_id=citizen.municipality_id).slug
    return settings.SITE_URL.rstrip("/") + municipal_reverse(slug, url_name, args=list(args))


def _local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _plan_new(citizen, **values):
    return citizen_services.plan_item_create(actor=None, citizen=citizen, created_by_kind="system", **values)


def plan_move(row, status: str, *, reopen: bool = False) -> None:
    """Move the plan item of a row (an enrolment, an attendance, a task item) to `status` as Jobunivers (the
    system). An item the citizen or the job centre already closed (done, cancelled) is left as they left it,
    unless `reopen` (joining again, or the teacher correcting attendance)."""
    if row.plan_item_id is None:
        return
    # Read fresh through the foreign key (its base manager needs no tenant context in tasks).
    item = type(row).all_tenants.select_related("plan_item__citizen").get(pk=row.pk).plan_item
    if item is None or item.status == status:
        return
    if item.status in ("done", "cancelled") and not reopen:
        return
    try:
        with transaction.atomic():
            citizen_services.plan_item_update(actor=None, plan_item=item, expected_version=item.version,
                                              changed_by_kind="system", status=status)
    except (ValidationFailed, ConflictError):
        # The item's own dates no longer pass the plan's checks, or someone changed it this very moment: the
        # attendance still counts; the plan item is left for the citizen or the job centre.
        logger.warning("plan item %s not moved to %s by groups", item.pk, status)


def _group_item(enrolment: Enrolment, group: Group):
    with translation.override("da"):  # the plan keeps Danish titles, whoever's language wrote them (ADR 0093)
        kind = (pgettext("groups", "Blended course") if group.kind == GroupKind.COURSE
                else pgettext("groups", "Job club"))
    return _plan_new(enrolment.citizen, item_type="course" if group.kind == GroupKind.COURSE else "own_activity",
                     title=f"{kind}: {group.title}"[:200], description=group.description[:4000],
                     link=_link(enrolment.citizen, "groups:detail", group.pk))


def _seat(enrolment: Enrolment, session: Session, group: Group) -> Attendance:
    """The citizen's place at a meeting, with a planned meeting in their plan (or the old one planned again)."""
    attendance, created = Attendance.all_tenants.get_or_create(
        session=session, enrolment=enrolment, defaults={"municipality_id": enrolment.municipality_id})
    if attendance.plan_item_id is None:
        starts = _local_day(session.starts_at)
        when = timezone.localtime(session.starts_at).strftime("%H:%M")
        attendance.plan_item = _plan_new(
            enrolment.citizen, item_type="meeting", title=f"{group.title} {when}"[:200],
            description=session.agenda, starts_on=starts, due_on=starts, location=session.place,
            video_link=session.video_link, link=_link(enrolment.citizen, "groups:detail", group.pk))
        attendance.save(update_fields=["plan_item", "updated_at"])
    elif not attendance.status:
        plan_move(attendance, "planned", reopen=True)
    return attendance


def _task_item(enrolment: Enrolment, task: DigitalTask, group: Group) -> TaskItem:
    item, _created = TaskItem.all_tenants.get_or_create(task=task, enrolment=enrolment,
                                                        defaults={"municipality_id": enrolment.municipality_id})
    if item.plan_item_id is None:
        link = (_link(enrolment.citizen, "learning:module", task.module_id) if task.module_id
                else _link(enrolment.citizen, "groups:detail", group.pk))
        item.plan_item = _plan_new(enrolment.citizen, item_type="own_activity", title=task.title,
                                   description=task.description, due_on=task.due_on, link=link)
        item.save(update_fields=["plan_item", "updated_at"])
    else:
        plan_move(item, "planned", reopen=True)
    return item


def _give_place(enrolment: Enrolment, group: Group, *, now: datetime.datetime, from_waiting_list: bool) -> None:
    enrolment.status, enrolment.enrolled_at, enrolment.left_at = EnrolmentStatus.ENROLLED, now, None
    enrolment.save(update_fields=["status", "enrolled_at", "left_at", "updated_at"])
    if enrolment.plan_item_id is None:
        enrolment.plan_item = _group_item(enrolment, group)
        enrolment.save(update_fields=["plan_item", "updated_at"])
    else:
        plan_move(enrolment, "planned", reopen=True)
    for session in Session.all_tenants.filter(group=group, starts_at__gte=now):
        _seat(enrolment, session, group)
    for task in DigitalTask.all_tenants.filter(group=group, due_on__gte=_local_day(now)):
        _task_item(enrolment, task, group)
    publish_on_commit(GroupJoined(municipality_id=enrolment.municipality_id, citizen_id=enrolment.citizen_id,
                                  group_id=group.pk, kind=group.kind, from_waiting_list=from_waiting_list))


def _promote(group: Group, *, now: datetime.datetime) -> list[Enrolment]:
    """Give free places to the waiting list, first come first served. The caller holds the group's lock."""
    taken = Enrolment.all_tenants.filter(group=group, status__in=TAKING_A_PLACE).count()
    free = group.capacity - taken
    if free <= 0 or group.status != GroupStatus.OPEN:
        return []
    promoted = list(Enrolment.all_tenants.select_for_update().select_related("citizen")
                    .filter(group=group, status=EnrolmentStatus.WAITING).order_by("queued_at", "pk")[:free])
    for enrolment in promoted:
        _give_place(enrolment, group, now=now, from_waiting_list=True)
    return promoted


# --- The citizen --------------------------------------------------------------------------------------

def join(*, actor, citizen, group_id, share_with_job_centre: bool = False,
         now: datetime.datetime | None = None) -> Enrolment:
    """The citizen joins a group open to them. With a free place they are enrolled and the group and its
    coming meetings go into their plan; when it is full they go on the waiting list (not an error)."""
    if not permissions.can_join(actor, citizen):
        raise NotFound
    now = _now(now)
    try:
        group_id = int(group_id)
    except (TypeError, ValueError):
        raise NotFound from None
    try:
        with transaction.atomic():
            group = Group.all_tenants.select_for_update().filter(pk=group_id).first()
            if group is None or not permissions.is_open_to(group, citizen.municipality_id):
                raise NotFound
            if group.status != GroupStatus.OPEN:
                raise ValidationFailed(_("The group is closed and takes no new participants."))
            enrolment = Enrolment.all_tenants.select_for_update().filter(group=group, citizen=citizen).first()
            if enrolment is not None and enrolment.status != EnrolmentStatus.LEFT:
                raise ValidationFailed(_("You are already on the waiting list.")
                                       if enrolment.status == EnrolmentStatus.WAITING
                                       else _("You are already signed up for this group."))
            if enrolment is None:
                enrolment = Enrolment.all_tenants.create(
                    municipality_id=citizen.municipality_id, group=group, citizen=citizen,
                    status=EnrolmentStatus.WAITING, queued_at=now, share_with_job_centre=bool(share_with_job_centre))
            else:
                enrolment.status, enrolment.queued_at, enrolment.left_at = EnrolmentStatus.WAITING, now, None
                enrolment.share_with_job_centre = bool(share_with_job_centre)
                enrolment.save(update_fields=["status", "queued_at", "left_at", "share_with_job_centre",
                                              "updated_at"])
            enrolment.citizen = citizen
            taken = Enrolment.all_tenants.filter(group=group, status__in=TAKING_A_PLACE).count()
            waiting_before = Enrolment.all_tenants.filter(group=group, status=EnrolmentStatus.WAITING).exclude(
                pk=enrolment.pk).exists()
            if taken < group.capacity and not waiting_before:
                _give_place(enrolment, group, now=now, from_waiting_list=False)
    except IntegrityError:
        # Two requests of the same citizen at once: the unique constraint let one through.
        raise ValidationFailed(_("You are already signed up for this group.")) from None
    return enrolment


def leave(*, actor, enrolment: Enrolment, now: datetime.datetime | None = None) -> Enrolment:
    """The citizen leaves a group or its waiting list. Their coming meetings and open tasks are cancelled in
    the plan; the group's item is done if they came at least once (a job club), cancelled otherwise. The
    first person on the waiting list gets the place in the same transaction."""
    if not permissions.can_join(actor, enrolment.citizen):
        raise NotFound
    now = _now(now)
    with transaction.atomic():
        group = Group.all_tenants.select_for_update().get(pk=enrolment.group_id)
        locked = Enrolment.all_tenants.select_for_update().get(pk=enrolment.pk)
        if locked.status == EnrolmentStatus.LEFT:
            raise ValidationFailed(_("You have already left this group."))
        if locked.status == EnrolmentStatus.COMPLETED:
            raise ValidationFailed(_("You have completed this course; there is nothing to leave."))
        had_place = locked.status == EnrolmentStatus.ENROLLED
        locked.status, locked.left_at = EnrolmentStatus.LEFT, now
        locked.save(update_fields=["status", "left_at", "updated_at"])
        for attendance in Attendance.all_tenants.filter(enrolment=locked, status=""):
            plan_move(attendance, "cancelled")
        for item in TaskItem.all_tenants.filter(enrolment=locked):
            plan_move(item, "cancelled")
        came = Attendance.all_tenants.filter(enrolment=locked, status=AttendanceStatus.ATTENDED).exists()
        plan_move(locked, "done" if came and group.kind == GroupKind.JOB_CLUB else "cancelled")
        if had_place:
            _promote(group, now=now)
    return locked


def sharing_set(*, actor, enrolment: Enrolment, share: bool) -> Enrolment:
    """The citizen lets their job centre see their attendance and the teacher's notes, or stops it."""
    if not permissions.can_join(actor, enrolment.citizen):
        raise NotFound
    with transaction.atomic():
        Enrolment.all_tenants.filter(pk=enrolment.pk).update(share_with_job_centre=bool(share),
                                                             updated_at=timezone.now())
    enrolment.share_with_job_centre = bool(share)
    return enrolment


# --- The teacher ---------------------------------------------------------------------------------------

def attendance_record(*, actor, session: Session, entries: dict[Any, tuple[str, str]],
                      now: datetime.datetime | None = None) -> list[Attendance]:
    """The teacher records who came to a meeting that has started: {enrolment id: (status, note)}. Everyone
    listed must have a place in the group; anything wrong writes nothing. Attended moves the meeting in the
    plan to done (and the group's item to in progress), absent or excused to cancelled."""
    group = session.group
    if not permissions.can_teach(actor, group):
        raise NotFound
    now = _now(now)
    if session.starts_at > now:
        raise ValidationFailed(_("The meeting has not started yet. Record attendance when it has begun."))
    errors: dict[str, list[str]] = {}
    parsed: dict[int, tuple[str, str]] = {}
    for raw_id, (status, note) in entries.items():
        try:
            enrolment_id = int(raw_id)
        except (TypeError, ValueError):
            errors.setdefault("__all__", []).append(_("Someone on the list is not signed up for this group."))
            continue
        if status not in AttendanceStatus.values:
            errors.setdefault(f"status-{enrolment_id}", []).append(_("Choose attended, absent or excused."))
        note = _clean_text(errors, f"note-{enrolment_id}", note, limit=NOTE_MAX)
        parsed[enrolment_id] = (status, note)
    if not parsed and not errors:
        errors.setdefault("__all__", []).append(_("Record attendance for at least one participant."))
    _refuse(errors)
    with transaction.atomic():
        Group.all_tenants.select_for_update().get(pk=group.pk)
        enrolments = {e.pk: e for e in Enrolment.all_tenants.select_for_update().select_related("citizen")
                      .filter(group=group, pk__in=list(parsed), status__in=TAKING_A_PLACE)}
        if set(parsed) - set(enrolments):
            raise ValidationFailed(_("Someone on the list is not signed up for this group."))
        recorded = []
        for enrolment_id, (status, note) in parsed.items():
            enrolment = enrolments[enrolment_id]
            attendance = _seat(enrolment, session, group) if enrolment.status == EnrolmentStatus.ENROLLED else (
                Attendance.all_tenants.get_or_create(session=session, enrolment=enrolment,
                                                     defaults={"municipality_id": enrolment.municipality_id})[0])
            changed = attendance.status != status
            attendance.status, attendance.note = status, note
            attendance.recorded_by, attendance.recorded_at = actor, now
            attendance.save(update_fields=["status", "note", "recorded_by", "recorded_at", "updated_at"])
            plan_move(attendance, "done" if status == AttendanceStatus.ATTENDED else "cancelled",
                      reopen=True)
            if status == AttendanceStatus.ATTENDED:
                plan_move(enrolment, "in_progress")
            citizen_access_record(actor=actor, municipality_id=enrolment.municipality_id,
                                  citizen_id=enrolment.citizen_id, action="change", purpose="help",
                                  what="groups.attendance")
            if changed:
                publish_on_commit(AttendanceRecorded(municipality_id=enrolment.municipality_id,
                                                     citizen_id=enrolment.citizen_id, group_id=group.pk,
                                                     session_id=session.pk, status=status))
            recorded.append(attendance)
    return recorded


def course_complete(*, actor, enrolment: Enrolment, now: datetime.datetime | None = None) -> Enrolment:
    """The teacher marks that a participant completed a blended course: the course is done in their plan,
    and feedback asks them about it (CourseCompleted)."""
    group = enrolment.group
    if not permissions.can_teach(actor, group):
        raise NotFound
    if group.kind != GroupKind.COURSE:
        raise ValidationFailed(_("Only a blended course is completed; a job club has no end."))
    now = _now(now)
    with transaction.atomic():
        locked = Enrolment.all_tenants.select_for_update().select_related("citizen").get(pk=enrolment.pk)
        if locked.status == EnrolmentStatus.COMPLETED:
            raise ValidationFailed(_("The participant has already completed the course."))
        if locked.status != EnrolmentStatus.ENROLLED:
            raise ValidationFailed(_("The person is not signed up for this group."))
        locked.status, locked.completed_at = EnrolmentStatus.COMPLETED, now
        locked.save(update_fields=["status", "completed_at", "updated_at"])
        plan_move(locked, "done")
        citizen_access_record(actor=actor, municipality_id=locked.municipality_id, citizen_id=locked.citizen_id,
                              action="change", purpose="help", what="groups.attendance")
        publish_on_commit(CourseCompleted(municipality_id=locked.municipality_id, citizen_id=locked.citizen_id,
                                          enrolment_id=locked.pk, item_id=group.pk, title=group.title,
                                          completed_at=now))
    return locked
