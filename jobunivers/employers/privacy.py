"""Personal data held by employers: what a citizen follows (employers and occupation fields). Erasure
deletes the follows; organisations and their postings are national data about employers, not about
citizens (exempt)."""

from django.utils.translation import gettext_lazy as _

from jobunivers.audit.privacy import register_personal_data, shown_as

from .models import Follow, FollowKind


def _export_follows(user):
    rows = Follow.all_tenants.filter(citizen__user=user).select_related("organisation").order_by("created_at", "id")
    return [{"kind": f.kind,
             "followed": f.organisation.name if f.kind == FollowKind.EMPLOYER else f.isco_code,
             "cvr": f.organisation.cvr if f.kind == FollowKind.EMPLOYER else "",
             "notify": f.notify, "created_at": f.created_at.isoformat()} for f in rows]


def _erase_follows(user):
    Follow.all_tenants.filter(citizen__user=user).delete()


register_personal_data(Follow, category=_("Employers and occupation fields you follow"), purpose="help",
                       export=_export_follows, erase=_erase_follows,
                       fields={"kind": shown_as(Follow, "kind"), "followed": _("Employer or occupation field"),
                               "cvr": _("CVR number"), "notify": shown_as(Follow, "notify"),
                               "created_at": _("Followed since")})
