"""Second review (issue 21, human oversight): each month a sample of the previous month's
decisions is drawn for a second staff member, who records whether they agree and why not."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobunivers.audit.services import citizen_access_record
from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.tenancy.roles import STAFF_ROLES

from ..models import Decision, SecondReview
from .decisions import COMMENT_MAX_LENGTH, _membership

SAMPLE_SHARE = 0.05  # of last month's decisions
SAMPLE_MINIMUM = 5
SAMPLE_MAXIMUM = 40


def _previous_month(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    first_of_this = today.replace(day=1)
    last_of_previous = first_of_this - datetime.timedelta(days=1)
    return last_of_previous.replace(day=1), first_of_this


def second_review_sample(*, municipality_id: int, today: datetime.date | None = None,
                         seed: int | None = None) -> list[SecondReview]:
    """Draw the previous month's sample for the municipality (idempotent: once per month)."""
    today = today or timezone.localdate()
    month, next_month = _previous_month(today)
    if SecondReview.all_tenants.filter(municipality_id=municipality_id, month=month).exists():
        return []
    decisions = list(Decision.all_tenants.filter(
        municipality_id=municipality_id, created_at__date__gte=month, created_at__date__lt=next_month)
        .order_by("id").values_list("id", "citizen_id"))
    if not decisions:
        return []
    size = min(len(decisions), max(SAMPLE_MINIMUM, min(SAMPLE_MAXIMUM, round(len(decisions) * SAMPLE_SHARE))))
    chosen = random.Random(seed if seed is not None else month.toordinal() * 1000 + municipality_id).sample(
        decisions, size)
    with transaction.atomic():
        return SecondReview.all_tenants.bulk_create([
            SecondReview(municipality_id=municipality_id, decision_id=decision_id, citizen_id=citizen_id, month=month)
            for decision_id, citizen_id in chosen])


def second_review_record(*, actor, review_id: int, agrees: bool, comment: str = "") -> SecondReview:
    """A second staff member records the review; never the one who decided. Disagreeing needs a
    comment. A review is recorded once."""
    # all_tenants, then the actor's membership of the review's municipality decides (as decision_make)
    review = SecondReview.all_tenants.select_related("decision").filter(pk=review_id).first()
    if review is None or _membership(actor, review.municipality_id, STAFF_ROLES) is None:
        raise NotFound
    if review.decision.decided_by_id == getattr(actor, "pk", None):
        raise ValidationFailed(_("A second review must be made by another staff member than the one who decided."))
    if review.reviewed_at is not None:
        raise ValidationFailed(_("This decision has already been reviewed."))
    comment = (comment or "").strip()
    if not agrees and not comment:
        raise ValidationFailed({"comment": [_("Say why you disagree with the decision.")]})
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationFailed({"comment": [_("Please keep the comment under %(n)s characters.")
                                            % {"n": COMMENT_MAX_LENGTH}]})
    with transaction.atomic():
        SecondReview.all_tenants.filter(pk=review.pk, reviewed_at__isnull=True).update(
            reviewer=actor, reviewed_at=timezone.now(), agrees=agrees, comment=comment)
        citizen_access_record(actor=actor, municipality_id=review.municipality_id, citizen_id=review.citizen_id,
                              action="change", purpose="help", what="segmentation: second review",
                              criterion=f"review {review.pk}")
    review.refresh_from_db()
    return review
