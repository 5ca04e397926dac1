"""Personal data held by availability checks. All of it is labelled availability control."""

from django.utils.translation import gettext_lazy as _

from jobunivers.audit.privacy import register_access_subject, register_personal_data, shown_as

from .models import AvailabilityConfirmation, AvailabilityNotice, AvailabilityStatus

KEEP = _("Kept for the retention period of job-centre cases: it documents whether you were available for work "
         "and that you were told before each step (Active Employment Act, availability rules).")


def _export_status(user):
    return [{"state": s.state, "last_action": s.last_action_at.isoformat(), "kind_of_last_action": s.last_action_kind,
             "deadline": s.deadline_on.isoformat(), "grace_period_ends": s.grace_until.isoformat()}
            for s in AvailabilityStatus.all_tenants.filter(citizen__user=user)]


def _export_confirmations(user):
    return [{"confirmed": c.confirmed_at.isoformat(), "comment": c.comment}
            for c in AvailabilityConfirmation.all_tenants.filter(citizen__user=user).order_by("confirmed_at")]


def _export_notices(user):
    return [{"sent": n.sent_at.isoformat(), "step": n.state, "counted_from": n.counted_from.isoformat()}
            for n in AvailabilityNotice.all_tenants.filter(citizen__user=user).order_by("sent_at")]


def _erase_status(user):
    AvailabilityStatus.all_tenants.filter(citizen__user=user).delete()


register_personal_data(AvailabilityStatus, category=_("Your availability state"), purpose="availability",
                       export=_export_status, erase=_erase_status,
                       fields={"last_action": shown_as(AvailabilityStatus, "last_action_at"),
                               "kind_of_last_action": shown_as(AvailabilityStatus, "last_action_kind"),
                               "deadline": shown_as(AvailabilityStatus, "deadline_on"),
                               "grace_period_ends": shown_as(AvailabilityStatus, "grace_until")})
register_personal_data(AvailabilityConfirmation, category=_("Your confirmations of availability"),
                       purpose="availability", export=_export_confirmations, erase=None, keep_reason=KEEP,
                       fields={"confirmed": shown_as(AvailabilityConfirmation, "confirmed_at")})
register_personal_data(AvailabilityNotice, category=_("Notices about your availability"), purpose="availability",
                       export=_export_notices, erase=None, keep_reason=KEEP,
                       fields={"sent": shown_as(AvailabilityNotice, "sent_at"),
                               "step": shown_as(AvailabilityNotice, "state")})
register_access_subject("availability worklist", _("the availability worklist"))
