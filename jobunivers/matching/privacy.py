"""Personal data held by matching: the feeds shown to a citizen and their interaction log."""

from django.utils.translation import gettext_lazy as _

from jobunivers.audit.privacy import register_access_subject, register_personal_data, shown_as

from .models import Feed, Interaction


def _citizen_ids(user):
    from jobunivers.citizens.models import Citizen

    return list(Citizen.all_tenants.filter(user=user).values_list("id", flat=True))


def _export_feeds(user):
    return [{"shown": f.created_at.isoformat(), "model_version": f.model_version, "job_ads": f.posting_ids,
             "scores": f.scores} for f in Feed.all_tenants.filter(citizen_id__in=_citizen_ids(user)).order_by("created_at")]


def _export_interactions(user):
    return [{"when": i.created_at.isoformat(), "job_ad": i.posting_id, "what": i.kind, "reason": i.reason,
             "position": i.position} for i in
            Interaction.all_tenants.filter(citizen_id__in=_citizen_ids(user)).order_by("created_at")]


def _erase_feeds(user):
    Feed.all_tenants.filter(citizen_id__in=_citizen_ids(user)).delete()


def _erase_interactions(user):
    Interaction.all_tenants.filter(citizen_id__in=_citizen_ids(user)).delete()


register_personal_data(Feed, category=_("Jobs recommended to you"), purpose="help", export=_export_feeds,
                       erase=_erase_feeds,
                       fields={"shown": _("Shown"), "job_ads": _("Job ads shown (numbers)"),
                               "scores": _("How well each job ad matched")})
register_personal_data(Interaction, category=_("What you did with recommended jobs"), purpose="help",
                       export=_export_interactions, erase=_erase_interactions,
                       fields={"when": _("When"), "job_ad": _("Job ad (number)"),
                               "what": shown_as(Interaction, "kind")})
register_access_subject("matching: job feed with reasons", _("the jobs suggested to you and why"))
