"""Reads of courses and job clubs (ADR 0120).

- The citizen sees the groups open to them (their municipality's, and cross-municipal job clubs their
  municipality takes part in), their own place, their place on the waiting list and their attendance.
- Staff of the owner municipality see its groups with counts (no citizen data).
- A group's teachers see its participants and waiting list through `access_group_roster`, which writes an
  access-log entry per citizen listed, in that citizen's municipality, in the same transaction. A teacher
  sees only the name of a citizen of another municipality (needed for the attendance list), nothing more.
- The citizen's job centre sees their groups through `access_citizen_groups` (access-logged); attendance
  and notes only where the citizen shares them.
Reads never write, except the access log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Q

from jobunivers.audit.services import citizen_access_record
from jobunivers.core.errors import NotFound

from . import permissions
from .models import (
    TAKING_A_PLACE,
    Attendance,
    DigitalTask,
    Enrolment,
    EnrolmentStatus,
    Group,
    GroupStatus,
    Session,
)


def _open_to(municipality_id: int):
    return Group.all_tenants.filter(Q(municipality_id=municipality_id)
                                    | Q(is_cross_municipal=True, partners__id=municipality_id)).distinct()


def _with_counts(queryset):
    return queryset.annotate(
        taken=Count("enrolments", filter=Q(enrolments__status__in=TAKING_A_PLACE), distinct=True),
        waiting=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITING), distinct=True))


@dataclass(frozen=True)
class GroupCard:
    group: Any
    enrolment: Enrolment | None
    next_session: Session | None

    @property
    def is_full(self) -> bool:
        return self.group.taken >= self.group.capacity


def groups_for_citizen(*, actor, citizen, now) -> list[GroupCard]:
    """Open groups for the citizen, and every group they are or were in (four queries)."""
    if not permissions.can_join(actor, citizen):
        raise NotFound
    mine = {e.group_id: e for e in Enrolment.all_tenants.filter(citizen=citizen)}
    groups = list(_with_counts(_open_to(citizen.municipality_id).filter(
        Q(status=GroupStatus.OPEN) | Q(pk__in=list(mine))).select_related("municipality")).order_by("kind", "title", "pk"))
    upcoming: dict[int, Session] = {}
    for session in Session.all_tenants.filter(group__in=groups, starts_at__gte=now).order_by("starts_at", "pk"):
        upcoming.setdefault(session.group_id, session)
    return [GroupCard(group=g, enrolment=mine.get(g.pk), next_session=upcoming.get(g.pk)) for g in groups]


@dataclass(frozen=True)
class CitizenGroupPage:
    group: Any
    enrolment: Enrolment | None
    sessions: list[Session]
    attendance: dict[int, Attendance]
    tasks: list[DigitalTask]
    waiting_position: int | None
    partner_names: list[str] = field(default_factory=list)

    @property
    def is_full(self) -> bool:
        return self.group.taken >= self.group.capacity


def group_for_citizen(*, actor, citizen, group_id: int) -> CitizenGroupPage:
    """A group open to the citizen (or one they were in), with their place and attendance; NotFound
    otherwise, whether the group does not exist or belongs to a municipality they are not part of."""
    if not permissions.can_join(actor, citizen):
        raise NotFound
    enrolment = Enrolment.all_tenants.filter(citizen=citizen, group_id=group_id).first()
    group = _with_counts(_open_to(citizen.municipality_id).filter(pk=group_id)).first()
    if group is None or (group.status != GroupStatus.OPEN and enrolment is None):
        raise NotFound
    sessions = list(Session.all_tenants.filter(group=group).order_by("starts_at", "pk"))
    attendance = ({a.session_id: a for a in Attendance.all_tenants.filter(enrolment=enrolment)}
                  if enrolment else {})
    position = None
    if enrolment is not None and enrolment.status == EnrolmentStatus.WAITING:
        position = Enrolment.all_tenants.filter(group=group, status=EnrolmentStatus.WAITING).filter(
            Q(queued_at__lt=enrolment.queued_at) | Q(queued_at=enrolment.queued_at, pk__lt=enrolment.pk)).count() + 1
    partner_names = sorted(group.partners.values_list("name", flat=True)) if group.is_cross_municipal else []
    return CitizenGroupPage(group=group, enrolment=enrolment, sessions=sessions, attendance=attendance,
                            tasks=list(DigitalTask.all_tenants.filter(group=group)), waiting_position=position,
                            partner_names=partner_names)


def own_enrolment(*, actor, citizen, group_id: int) -> Enrolment:
    if not permissions.can_join(actor, citizen):
        raise NotFound
    enrolment = Enrolment.all_tenants.select_related("citizen", "group").filter(
        citizen=citizen, group_id=group_id).first()
    if enrolment is None:
        raise NotFound
    return enrolment


# --- Staff -----------------------------------------------------------------------------------------------

def groups_of_municipality(*, actor, municipality_id: int) -> list[Group]:
    """The municipality's own groups with counts of places and waiting list (no citizen data), and whether
    the actor teaches each."""
    if not permissions.can_create_group(actor, municipality_id):
        raise NotFound
    groups = list(_with_counts(Group.all_tenants.filter(municipality_id=municipality_id))
                  .order_by("status", "kind", "title", "pk"))
    teaching = set(Group.teachers.through.objects.filter(group__in=groups, user_id=actor.pk)
                   .values_list("group_id", flat=True))
    for group in groups:
        group.is_teacher = group.pk in teaching  # type: ignore[attr-defined]
    return groups


def group_for_teacher(*, actor, municipality_id: int, group_id: int) -> Group:
    """A group of this municipality that the actor teaches (no citizen data); NotFound otherwise."""
    group = _with_counts(Group.all_tenants.filter(municipality_id=municipality_id, pk=group_id)).first()
    if group is None or not permissions.can_teach(actor, group):
        raise NotFound
    return group


@dataclass(frozen=True)
class RosterLine:
    enrolment: Enrolment
    name: str
    is_own_citizen: bool  # of the teacher's municipality; others show by name only
    attendance: dict[int, Attendance]

    @property
    def attended(self) -> int:
        return sum(row.status == "attended" for row in self.attendance.values())


@dataclass(frozen=True)
class Roster:
    group: Any
    sessions: list[Session]
    participants: list[RosterLine]
    waiting: list[RosterLine]
    tasks: list[DigitalTask]


@transaction.atomic
def access_group_roster(*, actor, municipality_id: int, group_id: int, purpose: str = "help") -> Roster:
    """Participants, waiting list and attendance of a group, for its teachers. Each citizen listed gets an
    access-log entry in their own municipality (they can see who looked), in the same transaction."""
    group = group_for_teacher(actor=actor, municipality_id=municipality_id, group_id=group_id)
    sessions = list(Session.all_tenants.filter(group=group).order_by("starts_at", "pk"))
    enrolments = list(Enrolment.all_tenants.filter(group=group).exclude(status=EnrolmentStatus.LEFT)
                      .select_related("citizen__user").order_by("queued_at", "pk"))
    attendance: dict[int, dict[int, Attendance]] = {}
    for row in Attendance.all_tenants.filter(enrolment__in=enrolments):
        attendance.setdefault(row.enrolment_id, {})[row.session_id] = row
    participants: list[RosterLine] = []
    waiting: list[RosterLine] = []
    for enrolment in enrolments:
        user = enrolment.citizen.user
        line = RosterLine(enrolment=enrolment, name=user.get_full_name() or user.username,
                          is_own_citizen=enrolment.municipality_id == group.municipality_id,
                          attendance=attendance.get(enrolment.pk, {}))
        (waiting if enrolment.status == EnrolmentStatus.WAITING else participants).append(line)
        citizen_access_record(actor=actor, municipality_id=enrolment.municipality_id, citizen_id=enrolment.citizen_id,
                              action="read", purpose=purpose, what="groups.roster")
    return Roster(group=group, sessions=sessions, participants=participants, waiting=waiting,
                  tasks=list(DigitalTask.all_tenants.filter(group=group)))


def session_for_teacher(*, actor, municipality_id: int, group_id: int, session_id: int) -> Session:
    group = group_for_teacher(actor=actor, municipality_id=municipality_id, group_id=group_id)
    session = Session.all_tenants.filter(group=group, pk=session_id).select_related("group").first()
    if session is None:
        raise NotFound
    return session


def enrolment_for_teacher(*, actor, municipality_id: int, group_id: int, enrolment_id: int) -> Enrolment:
    group = group_for_teacher(actor=actor, municipality_id=municipality_id, group_id=group_id)
    enrolment = Enrolment.all_tenants.filter(group=group, pk=enrolment_id).select_related("group").first()
    if enrolment is None:
        raise NotFound
    return enrolment


@dataclass(frozen=True)
class StaffGroupLine:
    enrolment: Enrolment
    attendance: list[Attendance] | None  # None: the citizen does not share it


@transaction.atomic
def access_citizen_groups(*, actor, citizen_id: int, purpose: str = "help") -> tuple[Any, list[StaffGroupLine]]:
    """A citizen's courses and job clubs for staff of their municipality, access-logged in the same
    transaction; attendance and the teacher's notes only where the citizen shares them."""
    from jobunivers.citizens.selectors import access_citizen

    citizen = access_citizen(actor=actor, id=citizen_id, purpose=purpose, what="groups",
                             permission=permissions.can_view_citizen_groups)
    lines = []
    for enrolment in Enrolment.all_tenants.filter(citizen=citizen).select_related("group").order_by("-queued_at"):
        shown = (list(Attendance.all_tenants.filter(enrolment=enrolment).exclude(status="")
                      .select_related("session").order_by("session__starts_at"))
                 if enrolment.share_with_job_centre else None)
        lines.append(StaffGroupLine(enrolment=enrolment, attendance=shown))
    return citizen, lines


def vendor_choices(*, municipality_id: int, current: Group | None = None) -> list[tuple[int, str]]:
    """Vendors staff may name as a group's teacher: those with an offer enabled in the municipality (and the
    group's current vendor, so saving the form keeps it)."""
    from jobunivers.marketplace.selectors import vendors_offering_in

    choices = vendors_offering_in(municipality_id=municipality_id)
    if current is not None and current.vendor_id is not None and current.vendor_id not in {pk for pk, _ in choices}:
        choices.append((current.vendor_id, current.vendor.name if current.vendor else ""))
    return choices


# --- A vendor who teaches (national pages) ----------------------------------------------------------------

def groups_for_vendor(*, actor) -> list[Group]:
    """The groups, in any municipality, that name the actor's vendor as teacher, with counts (no citizen
    data). NotFound for someone who acts for no vendor."""
    from jobunivers.marketplace.permissions import vendor_id_of

    vendor_id = vendor_id_of(actor)
    if vendor_id is None:
        raise NotFound
    return list(_with_counts(Group.all_tenants.filter(vendor_id=vendor_id)).select_related("municipality")
                .order_by("status", "municipality__name", "title", "pk"))


def group_for_vendor(*, actor, group_id: int) -> Group:
    """A group the actor's vendor teaches (no citizen data); NotFound for any other id, so a group of
    another vendor, or one no vendor teaches, looks like no group at all."""
    from jobunivers.marketplace.permissions import vendor_id_of

    vendor_id = vendor_id_of(actor)
    group = Group.all_tenants.filter(pk=group_id, vendor_id__isnull=False).select_related("municipality").first()
    if vendor_id is None or group is None or group.vendor_id != vendor_id:
        raise NotFound
    return group


def partner_choices(*, municipality_id: int) -> list[tuple[int, str]]:
    from jobunivers.tenancy.selectors import active_municipalities

    return [(m.pk, m.name) for m in active_municipalities().exclude(pk=municipality_id).order_by("name")]
