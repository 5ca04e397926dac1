"""The answer page (by the signed link, signed in or not), the staff ratings page and the comment search.
Thin: parse, call a selector or service, render."""

from __future__ import annotations

import datetime

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.tenancy.decorators import municipal_view
from jobunivers.tenancy.roles import STAFF_ROLES, Role

from . import selectors, services
from .models import TEXT_MAX, InteractionKind, Scale

SCORE_CHOICES = (1, 2, 3, 4, 5)


def _score_labels() -> dict[int, str]:
    from django.utils.translation import gettext as _

    return {1: _("Very bad"), 2: _("Bad"), 3: _("Neither good nor bad"), 4: _("Good"), 5: _("Very good")}


@require_http_methods(["GET", "POST"])
def answer(request, token: str):
    """No sign-in needed: the signed token is the proof. The page shows the question only, nothing about
    the citizen or the interaction beyond its type."""
    municipality_id = getattr(request, "municipality_id", None)
    if municipality_id is None:
        raise Http404
    try:
        lookup = selectors.request_for_token(token=token, municipality_id=municipality_id)
    except NotFound:
        raise Http404 from None
    question = lookup.request
    context = {"question_text": services.questions()[question.kind], "scale": question.scale,
               "state": lookup.state, "scores": [(n, _score_labels()[n]) for n in SCORE_CHOICES],
               "text_max": TEXT_MAX, "errors": {}, "values": {}, "answer": None}
    status = 200
    if request.method == "POST":
        values = {"score": request.POST.get("score", ""), "yes": request.POST.get("yes", ""),
                  "text": request.POST.get("text", ""), "wants_contact": request.POST.get("wants_contact") == "1"}
        context["values"] = values
        if lookup.state == selectors.LinkState.ANSWERED:
            context["already"] = services.already_answered_message()
            status = 409
        elif lookup.state == selectors.LinkState.EXPIRED:
            status = 410
        else:
            try:
                context["answer"] = services.pulse_answer(
                    request=question, score=values["score"] if question.scale == Scale.SCORE else None,
                    yes=values["yes"] if question.scale == Scale.YES_NO else None, text=values["text"],
                    wants_contact=values["wants_contact"])
                context["state"] = selectors.LinkState.ANSWERED
            except services.AlreadyAnswered:
                context["already"] = services.already_answered_message()
                context["state"] = selectors.LinkState.ANSWERED
                status = 409
            except services.LinkExpired:
                context["state"] = selectors.LinkState.EXPIRED
                status = 410
            except ValidationFailed as error:
                context["errors"] = error.messages
                status = 400
    elif lookup.state == selectors.LinkState.EXPIRED:
        status = 410
    if context["state"] == selectors.LinkState.EXPIRED:
        context["expired"] = services.expired_message()
    response = render(request, "feedback/answer.html", context, status=status)
    # The token is in the path: never pass it to another site ("no-referrer" would make the browser send
    # "Origin: null" with the form, which the CSRF check refuses).
    response["Referrer-Policy"] = "same-origin"
    return response


def _month(value: str) -> datetime.date:
    try:
        parsed = datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        return timezone.localdate().replace(day=1)
    return parsed if parsed.year >= 2000 else timezone.localdate().replace(day=1)


@municipal_view(*STAFF_ROLES, Role.MUNICIPALITY_ADMIN)
@require_GET
def ratings(request):
    month = _month(request.GET.get("maaned", ""))
    try:
        found = selectors.ratings(actor=request.user, municipality_id=request.municipality_id, month=month)
    except NotFound:
        raise Http404 from None
    kinds = dict(InteractionKind.choices)
    return render(request, "feedback/ratings.html", {
        "ratings": found, "kinds": kinds, "months": selectors.recent_months(), "month": found.month,
        "can_search": request.membership.role in STAFF_ROLES})


@municipal_view(*STAFF_ROLES)
@require_GET
def comments(request):
    query = request.GET.get("q", "")[:200]
    kind = request.GET.get("type", "")
    try:
        found = selectors.search_comments(actor=request.user, municipality_id=request.municipality_id,
                                          query=query, kind=kind)
    except NotFound:
        raise Http404 from None
    return render(request, "feedback/comments.html", {
        "query": query, "kind": kind, "kinds": InteractionKind.choices, "comments": found,
        "searched": selectors.QUERY_MIN <= len(" ".join(query.split())) <= selectors.QUERY_MAX,
        "kind_labels": dict(InteractionKind.choices)})
