"""Writes of the dialogue app: open a thread, send a message (with attachments), mark read, archive,
assign, drafts, notices to the citizen (throttled per thread), the staff digest and retention.

Thread state follows NAV's dialogue rules:
- a citizen's message makes the thread wait for the job centre (since the oldest unanswered message);
- a job-centre message clears that; it makes the thread wait for the citizen only when staff ask
  for an answer (`wants_answer`), otherwise nobody is waited for;
- marking read is idempotent (a second read without new messages writes nothing);
- archiving closes every open wait; a new message re-opens the thread.

Every function checks `permissions` first and writes nothing when it refuses or the input is bad
(a clear Danish `ValidationFailed`). A staff change is access-logged in the same transaction.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import filetype
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from jobunivers.audit.services import citizen_access_record
from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.core.events import publish_on_commit

from . import permissions
from .contracts import ABOUT_KINDS, About, MessageAnswered, Side, WaitingFor
from .models import Attachment, Draft, Message, StaffDigest, Thread

logger = logging.getLogger(__name__)

MAX_SUBJECT = 200
MAX_TEXT = 5000
MAX_ATTACHMENTS = 3
# The type is decided from the content (magic bytes), never from the name or the browser's claim.
ATTACHMENT_TYPES = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}


def attachment_max_bytes() -> int:
    return int(getattr(settings, "DIALOGUE_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))


def notice_interval() -> datetime.timedelta:
    return datetime.timedelta(minutes=int(getattr(settings, "DIALOGUE_NOTICE_INTERVAL_MINUTES", 30)))


def attachment_directory() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "dialogue"


# --- Input checks (before anything is written) -------------------------------------------------


def _clean_text(text: str | None) -> str:
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise ValidationFailed({"text": [_("Write a message before you send it.")]})
    if len(text) > MAX_TEXT:
        raise ValidationFailed({"text": [_("The message is too long. Write at most %(limit)s characters.")
                                         % {"limit": MAX_TEXT}]})
    return text


def _clean_subject(subject: str | None) -> str:
    subject = " ".join((subject or "").replace("\x00", "").split())
    if not subject:
        raise ValidationFailed({"subject": [_("Write what the message is about.")]})
    if len(subject) > MAX_SUBJECT:
        raise ValidationFailed({"subject": [_("The subject is too long. Write at most %(limit)s characters.")
                                            % {"limit": MAX_SUBJECT}]})
    return subject


def _clean_about(about: About | None) -> About | None:
    if about is None:
        return None
    if about.kind not in ABOUT_KINDS or not isinstance(about.id, int) or about.id <= 0:
        raise ValidationFailed({"about": [_("The message cannot be linked to that.")]})
    return about


@dataclass(frozen=True)
class _File:
    name: str
    content_type: str
    data: bytes


def _too_large() -> ValidationFailed:
    mb = attachment_max_bytes() / (1024 * 1024)
    return ValidationFailed({"attachment": [_("The file is too large. A file may be at most %(mb)s MB.")
                                            % {"mb": f"{mb:g}".replace(".", ",")}]})


def _read_files(uploaded_files) -> list[_File]:
    files = [f for f in (uploaded_files or ()) if f is not None]
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationFailed({"attachment": [_("Attach at most %(count)s files.") % {"count": MAX_ATTACHMENTS}]})
    limit = attachment_max_bytes()
    result = []
    for uploaded in files:
        size = getattr(uploaded, "size", None)
        if size is not None and size > limit:
            raise _too_large()
        data = uploaded.read(limit + 1)
        if len(data) > limit:
            raise _too_large()
        if not data:
            raise ValidationFailed({"attachment": [_("The file is empty.")]})
        kind = filetype.guess(data[:8192])
        content_type = kind.mime if kind is not None else ""
        if content_type not in ATTACHMENT_TYPES:
            raise ValidationFailed({"attachment": [
                _("The file must be a PDF, PNG or JPEG. The content of this file is not one of them.")]})
        extension = ATTACHMENT_TYPES[content_type]
        name = Path(getattr(uploaded, "name", "") or "fil").name[:200] or "fil"
        if not name.lower().endswith((extension, ".jpeg") if extension == ".jpg" else extension):
            name = Path(name).stem[:190] + extension
        result.append(_File(name=name, content_type=content_type, data=data))
    return result


def _write_files(files: list[_File]) -> list[tuple[_File, str, Path]]:
    """Write each file under a random name (temporary name first, so a half-written file is never served)."""
    directory = attachment_directory()
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    try:
        for file in files:
            storage_name = f"{uuid.uuid4().hex}{ATTACHMENT_TYPES[file.content_type]}"
            path = directory / storage_name
            temporary = directory / f".{storage_name}.part"
            temporary.write_bytes(file.data)
            temporary.replace(path)
            written.append((file, storage_name, path))
    except OSError:
        for _file, _name, path in written:
            path.unlink(missing_ok=True)
        raise
    return written


# --- Who is writing ------------------------------------------------------------------------------


def _side_of(actor, thread_or_citizen) -> str:
    return Side.CITIZEN if permissions.is_owner(actor, thread_or_citizen) else Side.JOB_CENTRE


def _apply_message_to_state(thread: Thread, *, side: str, now: datetime.datetime, wants_answer: bool) -> None:
    thread.last_message_at = now
    thread.archived_at = None
    if side == Side.CITIZEN:
        if thread.waiting_for != WaitingFor.JOB_CENTRE:
            thread.waiting_for, thread.waiting_since = WaitingFor.JOB_CENTRE, now
        thread.citizen_read_at = now
    else:
        if wants_answer:
            thread.waiting_for, thread.waiting_since = WaitingFor.CITIZEN, now
        else:
            thread.waiting_for, thread.waiting_since = WaitingFor.NOBODY, None
        thread.job_centre_read_at = now


def _add_message(*, actor, thread: Thread, side: str, text: str, important: bool,
                 written: list[tuple[_File, str, Path]], now: datetime.datetime) -> Message:
    message = Message.all_tenants.create(municipality_id=thread.municipality_id, thread=thread, sender_side=side,
                                         sender=actor, text=text, important=bool(important))
    Attachment.all_tenants.bulk_create([
        Attachment(municipality_id=thread.municipality_id, message=message, storage_name=storage_name,
                   original_name=file.name, content_type=file.content_type, size_bytes=len(file.data))
        for file, storage_name, _path in written])
    Draft.all_tenants.filter(thread=thread, author=actor).delete()
    return message


def _log_staff_change(actor, thread: Thread, what: str = "dialogue thread") -> None:
    citizen_access_record(actor=actor, municipality_id=thread.municipality_id, citizen_id=thread.citizen_id,
                          what=what, purpose="help", action="change")


def _with_files(uploaded_files, write):
    """Check the files, write them, run `write(written)` in a transaction; remove the files if it fails."""
    files = _read_files(uploaded_files)
    written = _write_files(files) if files else []
    try:
        with transaction.atomic():
            return write(written)
    except BaseException:
        for _file, _name, path in written:
            path.unlink(missing_ok=True)
        raise


# --- Threads and messages ------------------------------------------------------------------------


def thread_open(*, actor, citizen, subject: str, text: str, about: About | None = None, important: bool = False,
                attachments=(), wants_answer: bool = False) -> Thread:
    """Open a thread between `citizen` and their job centre with a first message from `actor`
    (the citizen, or staff of the citizen's municipality)."""
    if not permissions.can_open_thread(actor, citizen):
        raise ValidationFailed(_("You may not write to this citizen."))
    subject, text, about = _clean_subject(subject), _clean_text(text), _clean_about(about)
    side = _side_of(actor, citizen)

    def write(written):
        now = timezone.now()
        thread = Thread(municipality_id=citizen.municipality_id, citizen=citizen, subject=subject,
                        about_kind=about.kind if about else "", about_id=about.id if about else None)
        _apply_message_to_state(thread, side=side, now=now, wants_answer=wants_answer)
        thread.save(force_insert=True)
        _add_message(actor=actor, thread=thread, side=side, text=text, important=important, written=written, now=now)
        if side == Side.JOB_CENTRE:
            _log_staff_change(actor, thread)
            _notify_citizen(thread, now=now)
        return thread

    return _with_files(attachments, write)


def message_send(*, actor, thread: Thread, text: str, important: bool = False, attachments=(),
                 wants_answer: bool = False) -> Message:
    """A new message in `thread` from the citizen or the job centre; the thread's wait follows the rules above."""
    if not permissions.can_write_in_thread(actor, thread):
        raise NotFound
    text = _clean_text(text)
    side = _side_of(actor, thread)

    def write(written):
        now = timezone.now()
        locked = Thread.all_tenants.select_for_update().get(pk=thread.pk)
        answers_citizen = side == Side.JOB_CENTRE and locked.waiting_for == WaitingFor.JOB_CENTRE
        _apply_message_to_state(locked, side=side, now=now, wants_answer=wants_answer)
        locked.save(update_fields=["last_message_at", "archived_at", "waiting_for", "waiting_since",
                                   "citizen_read_at", "job_centre_read_at", "updated_at"])
        message = _add_message(actor=actor, thread=locked, side=side, text=text, important=important,
                               written=written, now=now)
        if side == Side.JOB_CENTRE:
            _log_staff_change(actor, locked)
            _notify_citizen(locked, now=now)
        if answers_citizen:
            publish_on_commit(MessageAnswered(municipality_id=locked.municipality_id, citizen_id=locked.citizen_id,
                                              thread_id=locked.pk, message_id=message.pk,
                                              about_kind=locked.about_kind, answered_at=now))
        _copy_state(locked, thread)
        return message

    return _with_files(attachments, write)


def _copy_state(source: Thread, target: Thread) -> None:
    if source is not target:
        for field in ("last_message_at", "archived_at", "waiting_for", "waiting_since", "citizen_read_at",
                      "job_centre_read_at", "citizen_notified_at", "assigned_to_id"):
            setattr(target, field, getattr(source, field))


@transaction.atomic
def thread_mark_read(*, actor, thread: Thread) -> bool:
    """The actor's side has read everything in the thread. Idempotent: True only when something changed."""
    if not permissions.can_view_thread(actor, thread):
        raise NotFound
    side = _side_of(actor, thread)
    field = "citizen_read_at" if side == Side.CITIZEN else "job_centre_read_at"
    now = timezone.now()
    changed = (Thread.all_tenants.filter(pk=thread.pk, last_message_at__isnull=False)
               .exclude(**{f"{field}__gte": thread.last_message_at or now})
               .update(**{field: now}))
    if changed:
        setattr(thread, field, now)
    return bool(changed)


@transaction.atomic
def thread_archive(*, actor, thread: Thread) -> Thread:
    """Staff archive a thread: nobody is waited for any more (a new message re-opens it)."""
    if not permissions.can_archive_thread(actor, thread):
        raise NotFound
    now = timezone.now()
    Thread.all_tenants.filter(pk=thread.pk).update(archived_at=now, waiting_for=WaitingFor.NOBODY,
                                                   waiting_since=None, updated_at=now)
    thread.archived_at, thread.waiting_for, thread.waiting_since = now, WaitingFor.NOBODY, None
    _log_staff_change(actor, thread)
    return thread


@transaction.atomic
def thread_assign(*, actor, thread: Thread, assignee=None) -> Thread:
    """Staff assign a thread to a colleague of the municipality (or themselves), or clear the assignment."""
    if not permissions.can_assign_thread(actor, thread):
        raise NotFound
    if assignee is not None and not permissions.can_be_assigned(assignee, thread.municipality_id):
        raise ValidationFailed({"assignee": [_("Choose a member of the job centre's staff.")]})
    Thread.all_tenants.filter(pk=thread.pk).update(assigned_to=assignee, updated_at=timezone.now())
    thread.assigned_to = assignee
    _log_staff_change(actor, thread)
    return thread


@transaction.atomic
def draft_save(*, actor, thread: Thread, text: str) -> Draft | None:
    """Keep what the actor is writing on the server; an empty text removes the draft."""
    if not permissions.can_write_in_thread(actor, thread):
        raise NotFound
    text = (text or "").replace("\x00", "")
    if len(text) > MAX_TEXT:
        raise ValidationFailed({"text": [_("The message is too long. Write at most %(limit)s characters.")
                                         % {"limit": MAX_TEXT}]})
    if not text.strip():
        Draft.all_tenants.filter(thread=thread, author=actor).delete()
        return None
    draft, _created = Draft.all_tenants.update_or_create(
        thread=thread, author=actor, defaults={"text": text, "municipality_id": thread.municipality_id})
    return draft


# --- Notices -------------------------------------------------------------------------------------


def _thread_link(thread: Thread) -> str:
    from jobunivers.tenancy.routing import municipal_reverse
    from jobunivers.tenancy.selectors import get_municipality

    slug = get_municipality(municipality_id=thread.municipality_id).slug
    return municipal_reverse(slug, "dialogue:thread", kwargs={"thread_id": thread.pk})


def _notify_citizen(thread: Thread, *, now: datetime.datetime) -> None:
    """At most one notice per thread per DIALOGUE_NOTICE_INTERVAL_MINUTES (30); the notifications app
    applies the citizen's preferences and quiet hours, and sends only a neutral text outside the platform."""
    from jobunivers.notifications.contracts import Kind
    from jobunivers.notifications.services import notify

    if thread.citizen_notified_at is not None and now - thread.citizen_notified_at < notice_interval():
        return
    try:
        with transaction.atomic():
            notify(municipality_id=thread.municipality_id, citizen_id=thread.citizen_id, kind=Kind.MESSAGE,
                   subject_key=f"dialogue:{thread.pk}:{int(now.timestamp())}",
                   title=_("New message from the job centre"), body=thread.subject, link=_thread_link(thread))
    except ValidationFailed:
        logger.warning("dialogue notice not queued", extra={"thread": thread.pk})
        return
    Thread.all_tenants.filter(pk=thread.pk).update(citizen_notified_at=now)
    thread.citizen_notified_at = now


def staff_digest_send(*, municipality_id: int, day: datetime.date | None = None) -> int:
    """One e-mail a day to each staff member with threads waiting for the job centre that are theirs
    or nobody's. It says how many and links to the team inbox; no citizen's data leaves the platform.
    Idempotent per (staff member, day). Returns the number of digests sent."""
    from jobunivers.tenancy.routing import municipal_reverse
    from jobunivers.tenancy.selectors import get_municipality, staff_of

    day = day or timezone.localdate()
    municipality = get_municipality(municipality_id=municipality_id)
    waiting = Thread.all_tenants.filter(municipality_id=municipality_id, waiting_for=WaitingFor.JOB_CENTRE)
    unassigned = waiting.filter(assigned_to__isnull=True).count()
    mine = dict(waiting.filter(assigned_to__isnull=False).values("assigned_to_id").order_by()
                .annotate(n=Count("id")).values_list("assigned_to_id", "n"))
    done = set(StaffDigest.all_tenants.filter(municipality_id=municipality_id, day=day)
               .values_list("staff_user_id", flat=True))
    link = settings.SITE_URL.rstrip("/") + municipal_reverse(municipality.slug, "dialogue:team_inbox")
    sent = 0
    seen: set[int] = set()
    for membership in staff_of(municipality_id=municipality_id):
        user = membership.user
        if user.pk in seen or user.pk in done or not (user.email or "").strip():
            continue
        seen.add(user.pk)
        count = mine.get(user.pk, 0) + unassigned
        if count == 0:
            continue
        with transaction.atomic():
            StaffDigest.all_tenants.create(municipality_id=municipality_id, staff_user=user, day=day, waiting=count)
            body = _("%(count)s message threads are waiting for an answer from the job centre (yours or not yet "
                     "assigned). Open the team inbox: %(link)s") % {"count": count, "link": link}
            message = EmailMessage(subject=_("Messages waiting for an answer"), body=body, to=[user.email])
            transaction.on_commit(partial(message.send, fail_silently=True))
        sent += 1
    return sent


# --- Retention -----------------------------------------------------------------------------------


def threads_purge(*, municipality_id: int, retention_days: int, now=None) -> int:
    """Threads with no message for `retention_days` go with their messages, attachments (files too)
    and drafts. A thread still waiting for the job centre stays until it is answered or archived."""
    from jobunivers.core.services import delete_in_chunks

    cutoff = (now or timezone.now()) - datetime.timedelta(days=retention_days)
    old = (Thread.all_tenants.filter(municipality_id=municipality_id, last_message_at__lt=cutoff)
           .exclude(waiting_for=WaitingFor.JOB_CENTRE))
    paths = [attachment_directory() / name for name in
             Attachment.all_tenants.filter(message__thread__in=old).values_list("storage_name", flat=True)]
    deleted = delete_in_chunks(old)
    for path in paths:
        path.unlink(missing_ok=True)
    return deleted
