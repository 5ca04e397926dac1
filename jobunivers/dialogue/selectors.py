"""Reads of the dialogue app. Staff reads of a citizen's threads and attachments are access-logged
inside the selector's transaction (ADR 0064); the citizen reading their own is not logged.
Missing, another municipality's and forbidden look the same: NotFound."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch

from jobunivers.audit.services import citizen_access_record
from jobunivers.core.errors import NotFound

from . import permissions
from .contracts import About, Side, ThreadSummary, WaitingFor
from .models import Attachment, Draft, Message, Thread

INBOX_PAGE_SIZE = 50


# --- The citizen ---------------------------------------------------------------------------------


def own_threads(*, actor, citizen, limit: int = 200) -> list[Thread]:
    """The citizen's own threads, newest first (the citizen reading their own: not logged)."""
    if not permissions.is_owner(actor, citizen):
        raise NotFound
    return list(Thread.all_tenants.filter(municipality_id=citizen.municipality_id, citizen=citizen)
                .order_by("-last_message_at", "-id")[:limit])


def own_unread_count(*, actor, citizen) -> int:
    if not permissions.is_owner(actor, citizen):
        return 0
    return sum(1 for t in Thread.all_tenants.filter(municipality_id=citizen.municipality_id, citizen=citizen)
               .only("last_message_at", "citizen_read_at") if t.unread_for(Side.CITIZEN))


def access_own_thread(*, actor, id: int, municipality_id: int) -> Thread:
    thread = (Thread.all_tenants.select_related("citizen").filter(pk=id, municipality_id=municipality_id).first())
    if thread is None or not permissions.is_owner(actor, thread):
        raise NotFound
    return thread


# --- Staff ---------------------------------------------------------------------------------------


@transaction.atomic
def access_thread(*, actor, id: int, municipality_id: int, purpose: str = "help") -> Thread:
    """One thread for staff of its municipality, access-logged in the same transaction."""
    thread = (Thread.all_tenants.select_related("citizen__user", "assigned_to")
              .filter(pk=id, municipality_id=municipality_id).first())
    if thread is None or permissions.is_owner(actor, thread) or not permissions.can_view_thread(actor, thread):
        raise NotFound
    citizen_access_record(actor=actor, municipality_id=thread.municipality_id, citizen_id=thread.citizen_id,
                          what="dialogue thread", purpose=purpose)
    return thread


def access_own_attachment(*, actor, id: int, municipality_id: int) -> Attachment:
    """A file in the citizen's own thread (not logged); anyone else gets NotFound."""
    attachment = (Attachment.all_tenants.select_related("message__thread__citizen")
                  .filter(pk=id, municipality_id=municipality_id).first())
    if attachment is None or not permissions.is_owner(actor, attachment.message.thread):
        raise NotFound
    return attachment


@transaction.atomic
def access_attachment(*, actor, id: int, municipality_id: int, purpose: str = "help") -> Attachment:
    """A file in a citizen's thread for staff of its municipality, access-logged in the same transaction."""
    attachment = (Attachment.all_tenants.select_related("message__thread__citizen")
                  .filter(pk=id, municipality_id=municipality_id).first())
    if attachment is None:
        raise NotFound
    thread = attachment.message.thread
    if permissions.is_owner(actor, thread) or not permissions.can_view_thread(actor, thread):
        raise NotFound
    citizen_access_record(actor=actor, municipality_id=thread.municipality_id, citizen_id=thread.citizen_id,
                          what="dialogue attachment", purpose=purpose)
    return attachment


def messages_of(*, thread: Thread) -> list[Message]:
    """The thread's messages, oldest first, with attachments and sender (call after an access_* selector)."""
    return list(Message.all_tenants.filter(thread=thread).select_related("sender")
                .prefetch_related(Prefetch("attachments", queryset=Attachment.all_tenants.order_by("id")))
                .order_by("created_at", "id"))


def draft_text(*, actor, thread: Thread) -> str:
    return Draft.all_tenants.filter(thread=thread, author=actor).values_list("text", flat=True).first() or ""


@dataclass(frozen=True)
class InboxFilter:
    waiting: bool = False      # waiting for an answer from us
    mine: bool = False         # assigned to me
    unassigned: bool = False   # assigned to nobody
    oldest: bool = False       # oldest first (the longest wait first when filtering on waiting)
    archived: bool = False     # archived threads instead of open ones
    page: int = 1

    def describe(self) -> str:
        parts = [name for name in ("waiting", "mine", "unassigned", "oldest", "archived") if getattr(self, name)]
        return "team inbox" + (": " + ", ".join(parts) if parts else "")


@dataclass
class InboxPage:
    threads: list[Thread]
    total: int
    page: int
    pages: int
    waiting_count: int
    unassigned_waiting_count: int
    mine_waiting_count: int


@transaction.atomic
def access_team_inbox(*, actor, municipality_id: int, filters: InboxFilter, purpose: str = "help") -> InboxPage:
    """The municipality's threads for its staff, filtered and paged; the search is access-logged."""
    if not permissions.can_view_inbox(actor, municipality_id):
        raise NotFound
    base = Thread.all_tenants.filter(municipality_id=municipality_id)
    rows = base.filter(archived_at__isnull=not filters.archived)
    if filters.waiting:
        rows = rows.filter(waiting_for=WaitingFor.JOB_CENTRE)
    if filters.mine:
        rows = rows.filter(assigned_to_id=actor.pk)
    if filters.unassigned:
        rows = rows.filter(assigned_to__isnull=True)
    if filters.waiting:
        order = ("waiting_since", "id") if filters.oldest else ("-waiting_since", "-id")
    else:
        order = ("last_message_at", "id") if filters.oldest else ("-last_message_at", "-id")
    total = rows.count()
    pages = max(1, -(-total // INBOX_PAGE_SIZE))
    page = min(max(1, filters.page), pages)
    start = (page - 1) * INBOX_PAGE_SIZE
    threads = list(rows.select_related("citizen__user", "assigned_to").order_by(*order)[start:start + INBOX_PAGE_SIZE])
    waiting = base.filter(waiting_for=WaitingFor.JOB_CENTRE)
    citizen_access_record(actor=actor, municipality_id=municipality_id, citizen_id=None, what="dialogue team inbox",
                          purpose=purpose, action="search", criterion=filters.describe())
    return InboxPage(threads=threads, total=total, page=page, pages=pages, waiting_count=waiting.count(),
                     unassigned_waiting_count=waiting.filter(assigned_to__isnull=True).count(),
                     mine_waiting_count=waiting.filter(assigned_to_id=actor.pk).count())


def assignable_staff(*, municipality_id: int) -> list[tuple[int, str]]:
    """(user id, name) of the job centre's staff, for the assignment choice."""
    from jobunivers.tenancy.selectors import staff_of

    seen: dict[int, str] = {}
    for membership in staff_of(municipality_id=municipality_id).order_by("user__first_name", "user__last_name"):
        seen.setdefault(membership.user_id, membership.user.get_full_name() or membership.user.email)
    return list(seen.items())


# --- For other apps (the staff workspace's alerts, booking) --------------------------------------


def citizen_ids_waiting_for_job_centre(*, municipality_id: int, citizen_ids) -> set[int]:
    """Which of these citizens have a thread waiting for an answer from the job centre (one query).
    The caller (the staff workspace's worklist) logs its own list read."""
    return set(Thread.all_tenants.filter(municipality_id=municipality_id, citizen_id__in=list(citizen_ids),
                                         waiting_for=WaitingFor.JOB_CENTRE).values_list("citizen_id", flat=True))


def _summary(thread: Thread) -> ThreadSummary:
    return ThreadSummary(thread_id=thread.pk, municipality_id=thread.municipality_id, citizen_id=thread.citizen_id,
                         subject=thread.subject, waiting_for=thread.waiting_for,
                         about=About(thread.about_kind, thread.about_id) if thread.about_kind and thread.about_id else None,
                         last_message_at=thread.last_message_at, archived=thread.archived_at is not None)


def threads_about(*, municipality_id: int, about: About) -> list[ThreadSummary]:
    """Threads about another app's object (e.g. a booking), newest first. Contains no message text."""
    return [_summary(t) for t in Thread.all_tenants.filter(
        municipality_id=municipality_id, about_kind=about.kind, about_id=about.id).order_by("-last_message_at", "-id")]


def thread_counts(*, municipality_ids: list[int] | None = None) -> dict[int, int]:
    """Municipality id -> message threads, one grouped query (analytics' monitoring)."""
    from django.db.models import Count

    rows = Thread.all_tenants.all()
    if municipality_ids is not None:
        rows = rows.filter(municipality_id__in=municipality_ids)
    return dict(rows.values("municipality_id").annotate(n=Count("id")).values_list("municipality_id", "n"))
