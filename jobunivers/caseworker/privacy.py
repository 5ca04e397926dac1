"""Personal data held by the staff workspace, what the citizen gets in an export, and what erasure does."""

from django.utils.translation import gettext_lazy as _

from jobunivers.audit.privacy import exempt_from_personal_data, register_personal_data

from .models import (
    AvailabilityMirror,
    CaseNote,
    CitizenOpened,
    Conversation,
    Push,
    PushRecipient,
    SavedFilter,
)


def _citizen_filter(user) -> dict:
    return {"citizen__user": user}


def _export_notes(user):
    return [{"written": n.created_at.isoformat(), "text": n.text, "colour": n.colour,
             "reminder": n.due_on.isoformat() if n.due_on else None}
            for n in CaseNote.all_tenants.filter(**_citizen_filter(user)).order_by("created_at")]


def _export_conversations(user):
    return [{"when": c.starts_at.isoformat(), "purpose": c.purpose, "form": c.mode, "place": c.place,
             "agenda": c.agenda, "status": c.status, "your_answer": c.citizen_response,
             "your_message": c.citizen_message, "outcome": c.outcome}
            for c in Conversation.all_tenants.filter(**_citizen_filter(user)).order_by("starts_at")]


def _export_pushes(user):
    return [{"sent": r.created_at.isoformat(), "title": r.push.title, "why": r.reason}
            for r in PushRecipient.all_tenants.filter(**_citizen_filter(user)).select_related("push")
            .order_by("created_at")]


def _export_opened(user):
    return [{"staff_member_user_id": o.staff_user_id, "last_opened": o.opened_at.isoformat()}
            for o in CitizenOpened.all_tenants.filter(**_citizen_filter(user))]


def _export_availability_copy(user):
    return [{"state": m.state, "deadline": m.deadline_on.isoformat() if m.deadline_on else None}
            for m in AvailabilityMirror.all_tenants.filter(**_citizen_filter(user))]


def _export_filters(user):
    return [{"name": f.name, "filter": f.query} for f in SavedFilter.all_tenants.filter(owner=user)]


def _erase(model, lookup: str):
    def erase(user):
        model.all_tenants.filter(**{lookup: user}).delete()
    return erase


register_personal_data(CaseNote, category=_("Notes the job centre wrote about you"), purpose="help",
                       export=_export_notes, erase=_erase(CaseNote, "citizen__user"))
register_personal_data(
    Conversation, category=_("Summonses to conversations and their outcome"), purpose="help",
    export=_export_conversations, erase=None,
    keep_reason=_("Kept while your case is open and for the retention period of job-centre cases: a summons and its "
                  "outcome document the case (the duty to take notes, Public Administration Act § 13) and may "
                  "underlie a decision about your availability."),
)
register_personal_data(PushRecipient, category=_("Jobs and offers the job centre sent you"), purpose="help",
                       export=_export_pushes, erase=_erase(PushRecipient, "citizen__user"))
register_personal_data(CitizenOpened, category=_("When staff last opened your page"), purpose="help",
                       export=_export_opened, erase=_erase(CitizenOpened, "citizen__user"))
register_personal_data(AvailabilityMirror, category=_("Your availability state on the staff worklist"),
                       purpose="availability", export=_export_availability_copy,
                       erase=_erase(AvailabilityMirror, "citizen__user"))
register_personal_data(SavedFilter, category=_("Worklist filters you saved (staff)"), purpose="help",
                       export=_export_filters, erase=_erase(SavedFilter, "owner"))
exempt_from_personal_data(Push, reason="Records which staff member sent a job or offer to a group; the citizens "
                                       "reached are in PushRecipient, which is registered.")
