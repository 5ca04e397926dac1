"""Personal data held by the staff workspace, what the citizen gets in an export, and what erasure does."""

from django.utils.translation import gettext_lazy as _

from jobunivers.audit.privacy import (
    exempt_from_personal_data,
    register_access_subject,
    register_personal_data,
    shown_as,
)

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
                       export=_export_notes, erase=_erase(CaseNote, "citizen__user"),
                       fields={"written": _("Written"), "reminder": shown_as(CaseNote, "due_on")})
register_personal_data(
    Conversation, category=_("Summonses to conversations and their outcome"), purpose="help",
    export=_export_conversations, erase=None,
    fields={"when": shown_as(Conversation, "starts_at"), "form": shown_as(Conversation, "mode"),
            "your_answer": shown_as(Conversation, "citizen_response", label=_("Your answer")),
            "your_message": _("Your message")},
    keep_reason=_("Kept while your case is open and for the retention period of job-centre cases: a summons and its "
                  "outcome document the case (the duty to take notes, Public Administration Act § 13) and may "
                  "underlie a decision about your availability."),
)
register_personal_data(PushRecipient, category=_("Jobs and offers the job centre sent you"), purpose="help",
                       export=_export_pushes, erase=_erase(PushRecipient, "citizen__user"),
                       fields={"sent": _("Sent"), "title": shown_as(Push, "title"),
                               "why": shown_as(PushRecipient, "reason")})
register_personal_data(CitizenOpened, category=_("When staff last opened your page"), purpose="help",
                       export=_export_opened, erase=_erase(CitizenOpened, "citizen__user"),
                       fields={"staff_member_user_id": _("Staff member (number)"),
                               "last_opened": shown_as(CitizenOpened, "opened_at")})
register_personal_data(AvailabilityMirror, category=_("Your availability state on the staff worklist"),
                       purpose="availability", export=_export_availability_copy,
                       erase=_erase(AvailabilityMirror, "citizen__user"),
                       fields={"deadline": shown_as(AvailabilityMirror, "deadline_on"),
                               "state": shown_as(AvailabilityMirror, "state", choices=AvailabilityMirror.STATE_LABELS)})
register_personal_data(SavedFilter, category=_("Worklist filters you saved (staff)"), purpose="help",
                       export=_export_filters, erase=_erase(SavedFilter, "owner"),
                       fields={"filter": shown_as(SavedFilter, "query")})
exempt_from_personal_data(Push, reason="Records which staff member sent a job or offer to a group; the citizens "
                                       "reached are in PushRecipient, which is registered.")

# What staff looked at, in the citizen's words (the access log on "Mine data").
for _what, _description in {
    "citizen overview": _("your case"),
    "cue card": _("the summary of your case"),
    "action form": _("your case"),  # entries written before each form had its own name
    "note form": _("your case, to write a note"),
    "activity form": _("your plan, to add an activity"),
    "summons form": _("your case, to summon you to a conversation"),
    "outcome form": _("your conversation, to record its outcome"),
    "send form": _("your case, to send you a job or an offer"),
    "note": _("the notes on your case"),
    "note (bulk)": _("the notes on your case"),
    "reminder done": _("a reminder on your case"),
    "consultant assignment": _("who your personal job consultant is"),
    "plan: agreed activity": _("your plan"),
    "summons": _("your summons to a conversation"),
    "conversation outcome": _("the outcome of your conversation"),
    "job or service sent": _("the jobs and offers sent to you"),
    "citizen search": _("a search for citizens"),
    "worklist": _("the worklist"),
    "conversation day": _("the list of today's conversations and requests"),
    "find citizens": _("a search for citizens to send a job or an offer to"),
    "find citizens for an offer": _("a search for citizens to send an offer to"),
    "push to citizens": _("a job or an offer sent to a group of citizens"),
    "push record": _("the record of a job or an offer sent to a group"),
}.items():
    register_access_subject(_what, _description)
