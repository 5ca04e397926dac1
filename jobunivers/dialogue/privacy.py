"""Personal data held by the dialogue app: the citizen's threads with the job centre (messages,
attachments' names and types), drafts, the messages a person wrote, and the staff digest marks."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jobunivers.audit.privacy import register_access_subject, register_personal_data, shown_as

from .models import Attachment, Draft, Message, StaffDigest, Thread


def _iso(value):
    return value.isoformat() if value else None


def _export_threads(user):
    threads = Thread.all_tenants.filter(citizen__user=user).order_by("created_at", "id")
    messages: dict[int, list] = {}
    for m in (Message.all_tenants.filter(thread__in=threads).prefetch_related("attachments")
              .order_by("created_at", "id")):
        messages.setdefault(m.thread_id, []).append({
            "sent": _iso(m.created_at), "from": m.sender_side, "text": m.text, "important": m.important,
            "files": [f"{a.original_name} ({a.content_type}, {a.size_bytes} bytes)" for a in m.attachments.all()]})
    return [{"subject": t.subject, "started": _iso(t.created_at), "waiting_for": t.waiting_for,
             "read_by_you": _iso(t.citizen_read_at), "read_by_the_job_centre": _iso(t.job_centre_read_at),
             "archived": _iso(t.archived_at), "messages": messages.get(t.pk, [])} for t in threads]


def _erase_threads(user):
    from .services import attachment_directory

    threads = Thread.all_tenants.filter(citizen__user=user)
    paths = [attachment_directory() / name for name in
             Attachment.all_tenants.filter(message__thread__in=threads).values_list("storage_name", flat=True)]
    threads.delete()

    def _unlink(paths=paths):
        for path in paths:
            path.unlink(missing_ok=True)

    # The files go only when the erasure as a whole has been committed.
    transaction.on_commit(_unlink)


register_personal_data(
    Thread, category=_("Your messages with the job centre"), purpose="help", export=_export_threads,
    erase=_erase_threads,
    fields={"subject": shown_as(Thread, "subject"), "started": shown_as(Thread, "created_at", label=_("started")),
            "waiting_for": shown_as(Thread, "waiting_for"),
            "read_by_you": shown_as(Thread, "citizen_read_at", label=_("read by you")),
            "read_by_the_job_centre": shown_as(Thread, "job_centre_read_at"),
            "archived": shown_as(Thread, "archived_at"), "messages": _("messages"),
            "sent": _("sent"), "from": shown_as(Message, "sender_side"), "text": shown_as(Message, "text"),
            "important": shown_as(Message, "important"), "files": _("files")})


def _export_written(user):
    return [{"sent": _iso(m.created_at), "text": m.text}
            for m in Message.all_tenants.filter(sender=user).exclude(thread__citizen__user=user)
            .order_by("created_at", "id")]


def _erase_written(user):
    # A message a staff member wrote to a citizen belongs to the citizen's thread: it stays, without
    # the link to its writer. The citizen's own messages go with their threads (above).
    Message.all_tenants.filter(sender=user).exclude(thread__citizen__user=user).update(sender=None)


register_personal_data(
    Message, category=_("Messages you wrote to citizens for the job centre"), purpose="help",
    export=_export_written, erase=_erase_written,
    fields={"sent": _("sent"), "text": shown_as(Message, "text")},
    keep_reason=_("The messages stay in the citizens' threads; only the link to you is removed."))


def _export_drafts(user):
    return [{"changed": _iso(d.updated_at), "text": d.text}
            for d in Draft.all_tenants.filter(author=user).order_by("updated_at", "id")]


register_personal_data(
    Draft, category=_("Messages you have started writing"), purpose="help", export=_export_drafts,
    erase=lambda user: Draft.all_tenants.filter(author=user).delete(),
    fields={"changed": shown_as(Draft, "updated_at", label=_("changed")), "text": shown_as(Draft, "text")})


def _export_digests(user):
    return [{"day": d.day.isoformat(), "waiting": d.waiting}
            for d in StaffDigest.all_tenants.filter(staff_user=user).order_by("day")]


register_personal_data(
    StaffDigest, category=_("Daily message digests sent to you"), purpose="help", export=_export_digests,
    erase=lambda user: StaffDigest.all_tenants.filter(staff_user=user).delete(),
    fields={"day": shown_as(StaffDigest, "day"), "waiting": shown_as(StaffDigest, "waiting")})

register_access_subject("dialogue thread", _("your messages with the job centre"))
register_access_subject("dialogue attachment", _("a file you sent to the job centre"))
register_access_subject("dialogue team inbox", _("the job centre's list of message threads"))
