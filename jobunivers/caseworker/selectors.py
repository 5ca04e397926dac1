"""Reads of the staff workspace, scoped to the municipality in context.

Citizens are read through `jobunivers.citizens.models.Citizen` read-only (the citizens app has no
batch selector for staff lists yet); everything about plans and job logs goes through
`citizens.selectors`; segmentation, matching and notifications through `adapters`.
"""

from __future__ import annotations

import datetime
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from jobunivers.audit.services import citizen_access_record
from jobunivers.citizens import selectors as citizen_selectors
from jobunivers.citizens.models import Citizen
from jobunivers.core.errors import NotFound
from jobunivers.tenancy.roles import Role
from jobunivers.tenancy.selectors import consultants_of, settings_for

from . import adapters, alerts, permissions
from .models import (
    AvailabilityMirror,
    CaseNote,
    CitizenResponse,
    Conversation,
    ConversationStatus,
    Push,
    PushRecipient,
    SavedFilter,
)

SORTS = {
    "alerts": _("Most alerts first"),
    "name": _("Name"),
    "last_job_log": _("Longest since a job log entry"),
    "unemployed": _("Longest unemployed"),
    "reminder": _("Reminder due first"),
}


def access_citizen(*, actor, id: int, purpose: str, what: str) -> Citizen:
    """A citizen the staff member may open (`permissions.can_open_case`), access-logged with its
    purpose in the same transaction (citizens.selectors.access_citizen). NotFound otherwise."""
    return citizen_selectors.access_citizen(actor=actor, id=_int(id), purpose=purpose, what=what,
                                            permission=permissions.can_open_case)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound from None


def citizens_by_ids(ids) -> list[Citizen]:
    return list(Citizen.objects.filter(pk__in=list(ids)).select_related("user", "postcode"))


def search_citizens(*, text: str, limit: int = 25) -> list[Citizen]:
    """Staff look a citizen up by name or user name (never by CPR)."""
    text = (text or "").strip()
    if len(text) < 2:
        return []
    queryset = Citizen.objects.select_related("user", "postcode")
    for word in text.split()[:4]:
        queryset = queryset.filter(Q(user__first_name__icontains=word) | Q(user__last_name__icontains=word)
                                   | Q(user__username__icontains=word))
    return list(queryset.order_by("user__first_name", "user__last_name", "id")[:limit])


@dataclass
class WorklistRow:
    citizen: Citizen
    alerts: alerts.CitizenAlerts

    @property
    def name(self) -> str:
        return self.citizen.user.get_full_name() or self.citizen.user.username


@dataclass
class Worklist:
    rows: list[WorklistRow]
    total: int
    counts: dict[str, int]
    is_team_lead: bool
    consultants: list = field(default_factory=list)
    inactive_days: int = 14


def worklist(*, membership, alert_keys: list[str], inactive_days: int | None, sort: str,
             consultant_id: int | None = None, text: str = "") -> Worklist:
    """The consultant's caseload (a team lead's: the team's, plus citizens not yet assigned), with alerts."""
    municipality_id = membership.municipality_id
    policy = settings_for(municipality_id)
    inactive_days = inactive_days or policy.inactivity_reminder_days
    is_team_lead = membership.role == Role.PERSONAL_CONSULTANT and membership.is_team_lead
    consultants = []
    if is_team_lead:
        consultants = list(consultants_of(municipality_id=municipality_id))
        team_ids = [m.user_id for m in consultants]
        if consultant_id in team_ids:
            team_ids = [consultant_id]
        assignments = adapters.caseload(consultant_ids=team_ids)
        unassigned = set(adapters.unassigned_citizen_ids()) if consultant_id is None else set()
    else:
        assignments = adapters.caseload(consultant_ids=[membership.user_id])
        unassigned = set()
    citizens = citizens_by_ids(set(assignments) | unassigned)
    computed = alerts.compute(citizens=citizens, staff_user=membership.user, inactive_days=inactive_days,
                              push_threshold=policy.unanswered_pushes_threshold, assignments=assignments,
                              unassigned_ids=unassigned)
    rows = [WorklistRow(citizen=c, alerts=computed[c.pk]) for c in citizens]
    counts = Counter(key for row in rows for key in row.alerts.keys)
    wanted = [k for k in alert_keys if k in alerts.ALERT_KEYS]
    if wanted:
        rows = [row for row in rows if all(k in row.alerts.keys for k in wanted)]
    text = (text or "").strip().lower()
    if text:
        rows = [row for row in rows if text in row.name.lower()]
    far_past = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)
    if sort == "name":
        rows.sort(key=lambda r: (r.name.lower(), r.citizen.pk))
    elif sort == "last_job_log":
        rows.sort(key=lambda r: (r.alerts.last_job_log_at or far_past, r.citizen.pk))
    elif sort == "unemployed":
        rows.sort(key=lambda r: (r.citizen.registered_on or datetime.date.max, r.citizen.pk))
    elif sort == "reminder":
        rows.sort(key=lambda r: (r.alerts.reminder.due_on if r.alerts.reminder else datetime.date.max, r.citizen.pk))
    else:
        rows.sort(key=lambda r: (-len(r.alerts.keys), r.name.lower(), r.citizen.pk))
    return Worklist(rows=rows, total=len(citizens), counts=dict(counts), is_team_lead=is_team_lead,
                    consultants=consultants, inactive_days=inactive_days)


def saved_filters_of(*, user) -> list[SavedFilter]:
    return list(SavedFilter.objects.filter(owner=user))


def access_saved_filter(*, actor, id: int) -> SavedFilter:
    saved = SavedFilter.objects.filter(pk=_int(id)).first()
    if saved is None or not permissions.can_delete_saved_filter(actor, saved):
        raise NotFound
    return saved


@transaction.atomic
def access_conversation(*, actor, id: int, what: str = "outcome form", purpose: str | None = None) -> Conversation:
    """A summons and its outcome for staff of the municipality, access-logged (with the
    conversation's own purpose unless given) in the same transaction. The citizen reads their
    own through access_own_summons."""
    conversation = (Conversation.objects.select_related("citizen__user", "summoned_by")
                    .filter(pk=_int(id)).first())
    if conversation is None or not permissions.can_view_conversation(actor, conversation):
        raise NotFound
    citizen_access_record(actor=actor, municipality_id=conversation.municipality_id,
                          citizen_id=conversation.citizen_id, what=what,
                          purpose=purpose or conversation.purpose)
    return conversation


def access_own_summons(*, actor, id: int) -> Conversation:
    """The summons on the citizen's own page: only the summoned citizen's (NotFound otherwise)."""
    conversation = (Conversation.objects.select_related("citizen__user", "summoned_by", "citizen")
                    .filter(pk=_int(id)).first())
    if conversation is None or not permissions.can_respond_conversation(actor, conversation):
        raise NotFound
    return conversation


def access_note(*, actor, id: int) -> CaseNote:
    note = CaseNote.objects.filter(pk=_int(id)).first()
    if note is None or not permissions.can_mark_done_note(actor, note):
        raise NotFound
    return note


def citizen_conversations(*, citizen_id: int) -> list[Conversation]:
    return list(Conversation.objects.filter(citizen_id=citizen_id).select_related("summoned_by")[:50])


def citizen_notes(*, citizen_id: int) -> list[CaseNote]:
    return list(CaseNote.objects.filter(citizen_id=citizen_id).select_related("author")[:50])


def citizen_pushes(*, citizen_id: int) -> list[PushRecipient]:
    return list(PushRecipient.objects.filter(citizen_id=citizen_id).select_related("push__sent_by")
                .order_by("-created_at")[:50])


def availability_state(*, citizen_id: int) -> AvailabilityMirror | None:
    return AvailabilityMirror.objects.filter(citizen_id=citizen_id).first()


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime.datetime
    kind: str
    text: str


def _as_datetime(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def timeline(*, citizen: Citizen, plan_items, job_log, conversations, notes, pushes,
             segmentation_history) -> list[TimelineEvent]:
    """Everything that happened, newest first, from the parts already read for the page
    (`segmentation_history`: adapters.segmentation_of's)."""
    events = [TimelineEvent(citizen.created_at, _("Registration"), _("Registered on the platform"))]
    for item in plan_items:
        events.append(TimelineEvent(item.created_at, _("Plan"), _("Plan item added: %(title)s") % {"title": item.title}))
    for entry in job_log:
        events.append(TimelineEvent(entry.created_at, _("Job log"), f"{entry.get_kind_display()}: {entry.job_title}, "
                                    f"{entry.employer}"))
    for conversation in conversations:
        events.append(TimelineEvent(conversation.created_at, _("Summons"), _("Summoned to a conversation on %(when)s")
                                    % {"when": date_format(timezone.localtime(conversation.starts_at), "DATETIME_FORMAT")}))
        if conversation.outcome_recorded_at:
            events.append(TimelineEvent(conversation.outcome_recorded_at, _("Conversation"),
                                        f"{conversation.get_status_display()}: {conversation.outcome}"))
    for note in notes:
        events.append(TimelineEvent(note.created_at, _("Note"), note.text))
    for recipient in pushes:
        events.append(TimelineEvent(recipient.created_at, _("Sent"), recipient.push.title))
    for at, text in segmentation_history:
        events.append(TimelineEvent(at, _("Track"), text))
    events.sort(key=lambda e: e.at, reverse=True)
    return events


# --- Population ----------------------------------------------------------------------------------

UNEMPLOYED_BUCKETS = [(0, 4), (4, 13), (13, 26), (26, 52), (52, None)]


def _bucket_label(low: int, high: int | None) -> str:
    if high is None:
        return _("%(weeks)s weeks or more") % {"weeks": low}
    return _("%(low)s–%(high)s weeks") % {"low": low, "high": high - 1}


@dataclass
class Population:
    total: int
    by_track: list[tuple[str, int]]
    by_time_unemployed: list[tuple[str, int]]
    by_occupation: list[tuple[str, int]]
    supply_demand: list[dict]
    by_area: list[dict]


def population(*, municipality, today: datetime.date | None = None, top: int = 12) -> Population:
    """Citizens by track, time unemployed and occupation sought; supply against demand by area.

    Aggregates in the database (a handful of GROUP BY queries), never a loop over citizens.
    """
    from jobunivers.jobs.selectors import active_postings

    today = today or timezone.localdate()
    citizens = Citizen.objects.all()
    total = citizens.count()
    # Time unemployed: one conditional aggregate.
    aggregates = {}
    for low, high in UNEMPLOYED_BUCKETS:
        condition = Q(registered_on__lte=today - datetime.timedelta(weeks=low))
        if high is not None:
            condition &= Q(registered_on__gt=today - datetime.timedelta(weeks=high))
        aggregates[f"b{low}"] = Count("id", filter=condition)
    aggregates["unknown"] = Count("id", filter=Q(registered_on__isnull=True))
    bucket_counts = citizens.aggregate(**aggregates)
    by_time = [(_bucket_label(low, high), bucket_counts[f"b{low}"]) for low, high in UNEMPLOYED_BUCKETS]
    if bucket_counts["unknown"]:
        by_time.append((_("Not known"), bucket_counts["unknown"]))
    # Track: the newest decision per citizen.
    track_counter: Counter[str] = Counter()
    decided = adapters.decided_track_counts()
    for name, count in decided:
        track_counter[name] += count
    undecided = total - sum(track_counter.values())
    by_track = sorted(track_counter.items(), key=lambda kv: -kv[1])
    if undecided > 0:
        by_track.append((_("No decided track yet"), undecided))
    # Occupations sought, and postings within reach for the same occupations.
    sought = adapters.occupations_sought_counts(top=top)
    reach_codes = _municipality_codes_within(municipality, km=30)
    postings = active_postings().filter(municipality_code__in=reach_codes)
    posting_counts: dict[Any, int] = dict(postings.filter(occupation_id__in=[o for o, _label, _n in sought])
                          .values_list("occupation_id").annotate(n=Count("id")).values_list("occupation_id", "n"))
    supply_demand = [{"label": label, "citizens": n, "postings": posting_counts.get(occupation_id, 0),
                      "per_citizen": round(posting_counts.get(occupation_id, 0) / n, 2) if n else 0.0}
                     for occupation_id, label, n in sought]
    by_occupation = [(label, n) for _id, label, n in sought]
    # Areas: citizens by home postcode (grouped on the key alone, names looked up for the top rows)
    # against active postings in the same postcode.
    from jobunivers.taxonomy.models import Postcode

    area_rows = list(citizens.filter(postcode__isnull=False).values("postcode_id").annotate(n=Count("id"))
                     .order_by("-n")[:top])
    postcodes = Postcode.objects.in_bulk([row["postcode_id"] for row in area_rows])
    codes = [postcodes[row["postcode_id"]].code for row in area_rows if row["postcode_id"] in postcodes]
    area_postings = dict(active_postings().filter(postcode__in=codes).values_list("postcode")
                         .annotate(n=Count("id")).values_list("postcode", "n"))
    by_area = [{"label": str(postcodes[row["postcode_id"]]), "citizens": row["n"],
                "postings": area_postings.get(postcodes[row["postcode_id"]].code, 0)}
               for row in area_rows if row["postcode_id"] in postcodes]
    return Population(total=total, by_track=by_track, by_time_unemployed=by_time, by_occupation=by_occupation,
                      supply_demand=supply_demand, by_area=by_area)


def _municipality_codes_within(municipality, *, km: float) -> list[str]:
    """The municipality's own code and those of municipalities whose centre is within `km`."""
    from jobunivers.tenancy.models import Municipality

    codes = [municipality.code]
    if municipality.latitude is None or municipality.longitude is None:
        return codes
    for code, lat, lon in Municipality.objects.exclude(latitude__isnull=True).values_list("code", "latitude",
                                                                                            "longitude"):
        if code != municipality.code and _distance_km(municipality.latitude, municipality.longitude,
                                                      float(lat or 0.0), float(lon or 0.0)) <= km:
            codes.append(code)
    return codes


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (lat1, lon1, lat2, lon2))
    a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


# --- Finding citizens ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FindQuery:
    occupation_id: int | None = None
    postcode_prefix: str = ""
    track_id: int | None = None
    min_weeks_unemployed: int | None = None
    max_weeks_unemployed: int | None = None
    skill_text: str = ""

    def as_criteria(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}

    def describe(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in sorted(self.as_criteria().items())) or "all"


@dataclass
class FindResult:
    citizens: list  # Citizen rows, best first, capped
    total: int  # how many match in all
    reasons: dict[int, str] = field(default_factory=dict)
    already_received: set[int] = field(default_factory=set)


def find_citizens(*, query: FindQuery, limit: int, today: datetime.date | None = None, within=None) -> FindResult:
    """Citizens matching a query: occupation sought, area, track, time unemployed, skills; `within` (a
    subquery of citizen ids, e.g. an offer's audience) limits them further.

    Filters in the database; counts once and returns at most `limit` rows (newest registered last).
    """
    today = today or timezone.localdate()
    queryset = Citizen.objects.all()
    if within is not None:
        queryset = queryset.filter(pk__in=within)
    if query.occupation_id:
        queryset = queryset.filter(pk__in=adapters.citizens_seeking(occupation_ids=[query.occupation_id]))
    if query.postcode_prefix:
        queryset = queryset.filter(postcode__code__startswith=query.postcode_prefix)
    if query.track_id:
        queryset = queryset.filter(pk__in=adapters.citizens_on_track(track_id=query.track_id))
    if query.min_weeks_unemployed is not None:
        queryset = queryset.filter(registered_on__lte=today - datetime.timedelta(weeks=query.min_weeks_unemployed))
    if query.max_weeks_unemployed is not None:
        queryset = queryset.filter(registered_on__gt=today - datetime.timedelta(weeks=query.max_weeks_unemployed))
    if query.skill_text:
        queryset = queryset.filter(pk__in=adapters.citizens_with_skill_text(text=query.skill_text))
    total = queryset.count()
    rows = list(queryset.select_related("user", "postcode").order_by("registered_on", "id")[:limit])
    return FindResult(citizens=rows, total=total)


def find_for_posting(*, posting, limit: int, municipality) -> FindResult:
    """Best citizens for a posting: same occupation (or ISCO group) sought, nearest home first,
    within the citizen's own search radius."""
    candidates = adapters.citizens_seeking_for_posting(occupation_id=posting.occupation_id, isco_code=posting.isco_code)
    queryset = Citizen.objects.filter(pk__in=candidates).select_related("user", "postcode")
    rows: list[tuple[float, int, Any]] = []
    reasons: dict[int, str] = {}
    radius = adapters.search_radii(citizen_ids=None)
    for citizen in queryset.iterator(chunk_size=2000):
        distance = None
        if citizen.postcode and posting.latitude is not None:
            distance = _distance_km(citizen.postcode.latitude, citizen.postcode.longitude, posting.latitude,
                                    posting.longitude)
            if distance > radius.get(citizen.pk, 30):
                continue
        rows.append((distance if distance is not None else 9999.0, citizen.pk, citizen))
        label = candidates.get(citizen.pk, "")
        reasons[citizen.pk] = (_("Seeks %(occupation)s") % {"occupation": label}) + (
            _(", %(km)s km from home") % {"km": round(distance)} if distance is not None else "")
    rows.sort()
    return FindResult(citizens=[r[2] for r in rows[:limit]], total=len(rows), reasons=reasons)


def pushes(*, limit: int = 50) -> list[Push]:
    return list(Push.objects.select_related("sent_by").order_by("-created_at", "-id")[:limit])


@transaction.atomic
def access_push(*, actor, id: int, purpose: str = "help") -> Push:
    """A push record and (through push_recipients) whom it reached: a search over citizens,
    access-logged with the push as its criterion in the same transaction."""
    push = Push.objects.select_related("sent_by").filter(pk=_int(id)).first()
    if push is None or not permissions.can_view_push(actor, push):
        raise NotFound
    citizen_access_record(actor=actor, municipality_id=push.municipality_id, citizen_id=None, action="search",
                          purpose=purpose, what="push record", criterion=f"push {push.pk}")
    return push


def push_recipients(*, push: Push, limit: int = 500) -> list[PushRecipient]:
    return list(push.recipients.select_related("citizen__user").order_by("id")[:limit])


def job_log_weeks(*, citizen_id: int):
    return citizen_selectors.weekly_job_log_counts(citizen_id=citizen_id, weeks=8)



# --- The job adviser's day and the job-journey assistant's overview --------------------------------


@dataclass
class ConversationDay:
    day: datetime.date
    conversations: list[Conversation]  # today's, by time
    move_requests: list[Conversation]  # upcoming conversations the citizen asked to move
    contact_requests: list  # adapters.ContactRequest: wishes for more contact, disagreements

    @property
    def request_count(self) -> int:
        return len(self.move_requests) + len(self.contact_requests)


def conversation_day(*, today: datetime.date | None = None) -> ConversationDay:
    """Today's conversations in the municipality and the citizens' open requests (three queries)."""
    today = today or timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    end = start + datetime.timedelta(days=1)
    conversations = list(Conversation.objects.filter(starts_at__gte=start, starts_at__lt=end)
                         .select_related("citizen__user", "summoned_by").order_by("starts_at", "id"))
    move_requests = list(Conversation.objects.filter(
        status=ConversationStatus.PLANNED, citizen_response=CitizenResponse.ASKED_TO_MOVE, starts_at__gte=timezone.now(),
    ).select_related("citizen__user").order_by("starts_at", "id")[:100])
    return ConversationDay(day=today, conversations=conversations, move_requests=move_requests,
                           contact_requests=adapters.open_contact_requests())


@dataclass
class DaySummary:
    """Counts only (the start page shows no citizen's data)."""

    conversations: int
    next_at: datetime.datetime | None
    requests: int


def conversation_day_summary(*, today: datetime.date | None = None) -> DaySummary:
    day = conversation_day(today=today)
    now = timezone.now()
    upcoming = [c.starts_at for c in day.conversations if c.starts_at >= now and c.status == ConversationStatus.PLANNED]
    return DaySummary(conversations=len(day.conversations), next_at=min(upcoming) if upcoming else None,
                      requests=day.request_count)


@dataclass
class PushSummary:
    sent_last_week: int
    citizens_reached_last_week: int
    latest: list[Push]


def push_summary(*, now: datetime.datetime | None = None, latest: int = 5) -> PushSummary:
    """What the job centre pushed in the last seven days, and the latest pushes."""
    now = now or timezone.now()
    week = Push.objects.filter(created_at__gte=now - datetime.timedelta(days=7))
    reached = PushRecipient.objects.filter(push__in=week).values("citizen_id").distinct().count()
    return PushSummary(sent_last_week=week.count(), citizens_reached_last_week=reached,
                       latest=pushes(limit=latest))


def population_total() -> int:
    return Citizen.objects.count()


# --- Lists and searches over citizens: checked, read and access-logged in one transaction ----------
#
# Each writes one "search" entry with its criterion inside the transaction of the read, so an entry
# exists exactly when the read happened (a failing read rolls the entry back with it).


@transaction.atomic
def access_citizen_search(*, actor, municipality_id: int, text: str, purpose: str = "help",
                          limit: int = 25) -> list[Citizen]:
    """Staff look a citizen up by name (never by CPR); the criterion is logged."""
    if not permissions.can_search_citizens(actor, municipality_id):
        raise NotFound
    text = (text or "").strip()
    if not text:
        return []
    results = search_citizens(text=text, limit=limit)
    citizen_access_record(actor=actor, municipality_id=municipality_id, citizen_id=None, action="search",
                          purpose=purpose, what="citizen search", criterion=f"name: {text}")
    return results


def _worklist_criterion(*, alert_keys, inactive_days, sort, consultant_id, text) -> str:
    pairs = [("alert", key) for key in alert_keys]
    pairs += [(name, value) for name, value in (("days", inactive_days), ("sort", None if sort == "alerts" else sort),
                                                ("consultant", consultant_id), ("q", (text or "").strip()))
              if value not in (None, "")]
    return urlencode(pairs)[:400] or "caseload"


@transaction.atomic
def access_worklist(*, actor, membership, alert_keys: list[str], inactive_days: int | None, sort: str,
                    consultant_id: int | None = None, text: str = "") -> Worklist:
    """"Mine borgere" (worklist) for the consultant whose membership it is, logged with its filters."""
    if (membership is None or membership.user_id != getattr(actor, "pk", None)
            or not permissions.can_view_caseload(membership, membership.municipality)):
        raise NotFound
    data = worklist(membership=membership, alert_keys=alert_keys, inactive_days=inactive_days, sort=sort,
                    consultant_id=consultant_id, text=text)
    citizen_access_record(actor=actor, municipality_id=membership.municipality_id, citizen_id=None, action="search",
                          purpose="help", what="worklist (Mine borgere)",
                          criterion=_worklist_criterion(alert_keys=alert_keys, inactive_days=inactive_days, sort=sort,
                                                        consultant_id=consultant_id, text=text))
    return data


@transaction.atomic
def access_conversation_day(*, actor, membership, today: datetime.date | None = None) -> ConversationDay:
    """The job adviser's day (today's conversations and open requests), logged as a search."""
    if (membership is None or membership.user_id != getattr(actor, "pk", None)
            or not permissions.can_view_conversation_day(membership, membership.municipality)):
        raise PermissionDenied
    day = conversation_day(today=today)
    citizen_access_record(actor=actor, municipality_id=membership.municipality_id, citizen_id=None, action="search",
                          purpose="help", what="conversation day",
                          criterion=f"conversations on {day.day.isoformat()} and open requests")
    return day


@transaction.atomic
def access_find(*, actor, municipality_id: int, limit: int, query: FindQuery | None = None,
                posting=None) -> FindResult:
    """"Find citizens" for a group send (a query, or the best citizens for a posting), logged with
    its criteria. The send itself is logged by `services.push_send`."""
    if not permissions.can_send_to_group(actor, municipality_id):
        raise NotFound
    if posting is not None:
        result = find_for_posting(posting=posting, limit=limit, municipality=None)
        criteria: dict = {"posting_id": posting.id}
    else:
        query = query or FindQuery()
        result = find_citizens(query=query, limit=limit)
        criteria = query.as_criteria()
    criteria["cap"] = limit
    citizen_access_record(actor=actor, municipality_id=municipality_id, citizen_id=None, action="search",
                          purpose="help", what="find citizens", criterion=urlencode(sorted(criteria.items())))
    return result


@transaction.atomic
def access_offer_segment(*, actor, municipality_id: int, offer, query: FindQuery, limit: int) -> FindResult:
    """The citizens a marketplace offer would be pushed to: those in the offer's audience (the marketplace
    decides who that is) who match the segment, at most `limit`; the search is access-logged. Only the
    municipality's administrators, who curate its offers, push them."""
    from jobunivers.marketplace import permissions as marketplace_permissions
    from jobunivers.marketplace import selectors as marketplace_selectors

    if not marketplace_permissions.can_curate(actor, municipality_id) or offer.municipality_id != municipality_id:
        raise NotFound
    within = marketplace_selectors.audience_citizen_ids(municipality_id=municipality_id, curated_id=offer.curated_id)
    result = find_citizens(query=query, limit=limit, within=within)
    criteria = {**query.as_criteria(), "offer": offer.curated_id, "cap": limit}
    citizen_access_record(actor=actor, municipality_id=municipality_id, citizen_id=None, action="search",
                          purpose="help", what="find citizens for an offer",
                          criterion=urlencode(sorted(criteria.items())))
    return result
