"""Reads of feedback: the question behind an answer link, ratings per service and interaction type per
month (cells under 5 answers suppressed), staff's search in the comments (access-logged), and the
citizen's own questions and answers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Avg, Count, Max, Q
from django.utils import timezone

from jobunivers.audit.services import citizen_access_record
from jobunivers.core.errors import NotFound

from . import permissions
from .contracts import RatingCell, ScoreSummary
from .models import InteractionKind, PulseAnswer, PulseRequest, RequestStatus
from .tokens import read_token

SMALL_CELL = 5
SEARCH_LIMIT = 50
QUERY_MIN, QUERY_MAX = 2, 100


class LinkState:
    OPEN = "open"
    ANSWERED = "answered"
    EXPIRED = "expired"


@dataclass(frozen=True)
class LinkLookup:
    request: PulseRequest
    state: str


def request_for_token(*, token: str, municipality_id: int, now: datetime.datetime | None = None) -> LinkLookup:
    """The question an answer link names, and whether it can still be answered. NotFound for a forged or
    altered token, another municipality's question, a question that was skipped, or one that is gone."""
    content = read_token(token)
    if content is None:
        raise NotFound
    request = (PulseRequest.all_tenants.filter(pk=content.request_id, municipality_id=municipality_id,
                                               status=RequestStatus.SENT)
               .select_related("answer").first())
    if request is None or not request.nonce or request.nonce != content.nonce:
        raise NotFound
    now = now or timezone.now()
    if hasattr(request, "answer"):
        state = LinkState.ANSWERED
    elif content.expired or request.expires_at is None or request.expires_at <= now:
        state = LinkState.EXPIRED
    else:
        state = LinkState.OPEN
    return LinkLookup(request=request, state=state)


def month_range(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The month's first and the next month's first moment, local time."""
    first = month.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    zone = timezone.get_current_timezone()
    return (datetime.datetime.combine(first, datetime.time.min, tzinfo=zone),
            datetime.datetime.combine(following, datetime.time.min, tzinfo=zone))


def recent_months(*, today: datetime.date | None = None, count: int = 12) -> list[datetime.date]:
    month = (today or timezone.localdate()).replace(day=1)
    months = []
    for _n in range(count):
        months.append(month)
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return months


def _shown(count: int) -> int | None:
    return None if count < SMALL_CELL else count


def _cell(*, kind: str, service_key: str, service_label: str, row: Any) -> RatingCell:
    answers = row["answers"]
    if answers < SMALL_CELL:
        return RatingCell(kind=kind, service_key=service_key, service_label=service_label, answers=None,
                          average_score=None, share_yes=None, unhappy=None)
    yes_no = row["yes_no"]
    return RatingCell(
        kind=kind, service_key=service_key, service_label=service_label, answers=answers,
        average_score=round(row["average"], 1) if row["average"] is not None and row["scored"] >= SMALL_CELL
        else None,
        share_yes=round(row["yes"] / yes_no, 2) if yes_no >= SMALL_CELL else None,
        unhappy=_shown(row["unhappy"]) if row["unhappy"] else 0)


_FIGURES = {"answers": Count("id"), "average": Avg("score"), "scored": Count("score"),
            "yes_no": Count("yes"), "yes": Count("id", filter=Q(yes=True)),
            "unhappy": Count("id", filter=Q(unhappy=True))}


@dataclass(frozen=True)
class Ratings:
    month: datetime.date
    by_kind: list[RatingCell]
    by_service: list[RatingCell]
    sent: int
    skipped: int
    answered: int | None   # suppressed under 5


def ratings(*, actor, municipality_id: int, month: datetime.date) -> Ratings:
    """Answers given in `month` per interaction type and per service. Counts only: every figure of a cell
    with fewer than 5 answers is suppressed, so no single citizen's answer can be read off the page."""
    if not permissions.can_view_ratings(actor, municipality_id):
        raise NotFound
    start, end = month_range(month)
    answers = PulseAnswer.all_tenants.filter(municipality_id=municipality_id, answered_at__gte=start,
                                             answered_at__lt=end)
    by_kind_rows: dict[str, Any] = {row["kind"]: row for row in answers.values("kind").annotate(**_FIGURES).order_by()}
    by_kind = [_cell(kind=kind, service_key="", service_label="", row=by_kind_rows[kind])
               for kind in InteractionKind.values if kind in by_kind_rows]
    by_service = [
        _cell(kind=row["kind"], service_key=row["service_key"], service_label=row["label"], row=row)
        for row in answers.values("kind", "service_key").annotate(label=Max("service_label"), **_FIGURES)
        .order_by("kind", "label", "service_key")]
    requests = PulseRequest.all_tenants.filter(municipality_id=municipality_id, created_at__gte=start,
                                               created_at__lt=end).aggregate(
        sent=Count("id", filter=Q(status=RequestStatus.SENT)), skipped=Count("id", filter=Q(status=RequestStatus.SKIPPED)))
    total = sum(row["answers"] for row in by_kind_rows.values())
    return Ratings(month=month.replace(day=1), by_kind=by_kind, by_service=by_service, sent=requests["sent"],
                   skipped=requests["skipped"], answered=_shown(total) if total else 0)


@dataclass(frozen=True)
class ScoreSummaries:
    by_kind: dict[str, ScoreSummary]       # interaction kind -> every scored answer of that kind
    by_service: dict[str, ScoreSummary]    # service_key ("offer:5", "booking:video") -> its scored answers


def score_summaries(*, municipality_id: int) -> ScoreSummaries:
    """Average 1–5 score per interaction kind and per service over every answer kept, for analytics' use
    and rating table (counts only, aggregated in the database: two grouped queries). Yes/no answers are
    not scores and are left out; so is any cell with fewer than 5 scored answers."""
    scored = PulseAnswer.all_tenants.filter(municipality_id=municipality_id, score__isnull=False)

    def summaries(field: str) -> dict[str, ScoreSummary]:
        rows = scored.values(field).annotate(answers=Count("id"), average=Avg("score")).order_by()
        return {row[field]: ScoreSummary(answers=row["answers"], average=round(float(row["average"]), 2))
                for row in rows if row["answers"] >= SMALL_CELL}

    return ScoreSummaries(by_kind=summaries("kind"), by_service=summaries("service_key"))


@dataclass(frozen=True)
class Comment:
    answered_at: datetime.datetime
    kind: str
    service_label: str
    score: int | None
    yes: bool | None
    text: str
    wants_contact: bool


@transaction.atomic
def search_comments(*, actor, municipality_id: int, query: str, kind: str = "") -> list[Comment]:
    """Comments containing `query` (personal data was removed when they were written), newest first, at
    most SEARCH_LIMIT. Staff only; every search is access-logged with its criterion."""
    if not permissions.can_search_texts(actor, municipality_id):
        raise NotFound
    query = " ".join((query or "").split())
    if not QUERY_MIN <= len(query) <= QUERY_MAX:
        return []
    rows = PulseAnswer.all_tenants.filter(municipality_id=municipality_id, text__icontains=query)
    if kind in InteractionKind.values:
        rows = rows.filter(kind=kind)
    citizen_access_record(actor=actor, municipality_id=municipality_id, citizen_id=None, action="search",
                          what="feedback comments", purpose="help",
                          criterion=f"{query} ({kind})" if kind in InteractionKind.values else query)
    return [Comment(answered_at=a.answered_at, kind=a.kind, service_label=a.service_label, score=a.score,
                    yes=a.yes, text=a.text, wants_contact=a.wants_contact)
            for a in rows.order_by("-answered_at", "-id")[:SEARCH_LIMIT]]

