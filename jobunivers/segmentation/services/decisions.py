"""A person decides: the citizen disagrees or asks for contact, staff accept or change the track."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobunivers.audit.services import citizen_access_record
from jobunivers.citizens.models import Citizen
from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.core.events import publish_on_commit
from jobunivers.tenancy.models import Membership
from jobunivers.tenancy.roles import STAFF_ROLES

from ..contracts import TrackDecided
from ..models import Decision, Disagreement, Suggestion, Track
from .notices import _notice

COMMENT_MAX_LENGTH = 2000


def _citizen_of(actor) -> Citizen:
    citizen = Citizen.objects.filter(user_id=getattr(actor, "pk", None)).first()
    if citizen is None:
        raise NotFound
    return citizen


def suggestion_disagree(*, actor, suggestion_id: int, comment: str,
                        kind: str = Disagreement.Kind.DISAGREEMENT) -> Disagreement:
    """The citizen disagrees with their suggestion (or asks for more contact): a task for staff."""
    citizen = _citizen_of(actor)
    suggestion = Suggestion.objects.filter(pk=suggestion_id, citizen_id=citizen.pk).first()
    if suggestion is None:
        raise NotFound
    comment = (comment or "").strip()
    if kind not in Disagreement.Kind.values:
        raise ValidationFailed(_("Unknown kind of request."))
    if kind == Disagreement.Kind.DISAGREEMENT and not comment:
        raise ValidationFailed({"comment": [_("Please tell us why you disagree.")]})
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationFailed({"comment": [_("Please keep the comment under %(n)s characters.")
                                            % {"n": COMMENT_MAX_LENGTH}]})
    if Disagreement.objects.filter(suggestion=suggestion, kind=kind, status=Disagreement.Status.OPEN).exists():
        raise ValidationFailed(_("You have already told us. A staff member will look at it."))
    with transaction.atomic():
        disagreement = Disagreement.objects.create(
            municipality_id=citizen.municipality_id, suggestion=suggestion, citizen=citizen, kind=kind,
            comment=comment or str(_("I would like more contact.")))
    return disagreement


def _membership(actor, municipality_id: int, roles: Iterable[str]) -> Membership | None:
    user_id = getattr(actor, "pk", None)
    if user_id is None:
        return None
    return Membership.objects.filter(user_id=user_id, municipality_id=municipality_id,
                                     role__in=list(roles), is_active=True).first()


def decision_make(*, actor, suggestion_id: int, track_id: int, reason: str = "") -> Decision:
    """A staff member accepts or changes the suggested track; a change needs a reason. Resolves
    the citizen's open disagreements on the suggestion and tells the citizen. The access-log
    entry for the change is written in the same transaction."""
    suggestion = Suggestion.objects.select_related("citizen", "track").filter(pk=suggestion_id).first()
    if suggestion is None:
        raise NotFound
    if _membership(actor, suggestion.municipality_id, STAFF_ROLES) is None:
        raise NotFound
    if suggestion.status == Suggestion.Status.SUPERSEDED:
        raise ValidationFailed(_("A newer suggestion has replaced this one. Decide on the newest."))
    track = Track.objects.filter(pk=track_id, is_active=True).first()
    if track is None:
        raise ValidationFailed({"track": [_("Choose one of the tracks offered.")]})
    reason = (reason or "").strip()
    changed = track.pk != suggestion.track_id
    if changed and not reason:
        raise ValidationFailed({"reason": [_("Give a reason when you change the suggested track.")]})
    if len(reason) > COMMENT_MAX_LENGTH:
        raise ValidationFailed({"reason": [_("Please keep the reason under %(n)s characters.")
                                           % {"n": COMMENT_MAX_LENGTH}]})
    now = timezone.now()
    with transaction.atomic():
        decision = Decision.objects.create(
            municipality_id=suggestion.municipality_id, suggestion=suggestion, citizen=suggestion.citizen,
            track=track, changed=changed, reason=reason, decided_by=actor)
        Suggestion.objects.filter(pk=suggestion.pk).update(status=Suggestion.Status.DECIDED)
        Disagreement.objects.filter(suggestion__citizen_id=suggestion.citizen_id,
                                    status=Disagreement.Status.OPEN).update(
            status=Disagreement.Status.RESOLVED, resolved_at=now)
        citizen_access_record(actor=actor, municipality_id=suggestion.municipality_id,
                              citizen_id=suggestion.citizen_id, action="change", purpose="help",
                              what="segmentation: decided the track", criterion=f"decision {decision.pk}")
        publish_on_commit(TrackDecided(
            municipality_id=suggestion.municipality_id, citizen_id=suggestion.citizen_id,
            decision_id=decision.pk, track_key=track.key, support_level=track.support_level, changed=changed))
        _notice(suggestion.citizen, f"segmentation-decision:{decision.pk}",
                lambda: (_("Your track has been decided: %(track)s") % {"track": track.name_da},
                         _("A staff member has decided your track. See why on your page.")),
                "segmentation:my_track")
    return decision
