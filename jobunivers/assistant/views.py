"""The assistant page (works without JavaScript by form post, and with HTMX), "Fik du svar?",
hand-off to a person, and the staff pages: questions waiting for a person, unanswered questions
per week with one click to draft a card, and local cards with a review by a second person."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobunivers.audit.decorators import citizen_data_view
from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.tenancy.decorators import municipal_view

from . import permissions, selectors, services
from .forms import FeedbackForm, HandoffForm, LocalCardForm, QuestionForm
from .models import Outcome


def _language() -> str:
    return "en" if (get_language() or "da").startswith("en") else "da"


def _municipality_id(request) -> int:
    if getattr(request, "municipality", None) is None:
        raise Http404
    return request.municipality_id


def _render(request, context: dict):
    template = "assistant/_answer.html" if getattr(request, "htmx", False) else "assistant/ask.html"
    return render(request, template, context)


def _base_context(request) -> dict:
    return {"can_hand_off": permissions.can_open_handoff(request.user, request.municipality_id),
            "signed_in": request.user.is_authenticated,
            "login_url": f"{reverse('accounts:login')}?next={reverse('assistant:ask')}"}


def ask(request):
    municipality_id = _municipality_id(request)
    language = _language()
    context = _base_context(request)
    if request.method == "POST":
        form = QuestionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            attempt = data.get("attempt") or 0
            result, question = services.ask(actor=request.user, municipality_id=municipality_id, text=data["q"],
                                             language=language, attempt=attempt)
            tried = ",".join(k for k in [*data.get("tried", "").split(","), *result.ranked[:3]] if k)[:900]
            previous = " / ".join(p for p in [data.get("previous", ""), data["q"]] if p)[-2000:]
            context.update({"result": result, "question": question, "asked": data["q"], "tried": tried,
                            "previous": previous, "attempt": attempt})
            if result.kind == Outcome.CRISIS and context["can_hand_off"]:
                context["receipt"] = services.handoff_open(
                    actor=request.user, municipality_id=municipality_id, reason=Outcome.CRISIS,
                    transcript=[{"who": "citizen", "text": data["q"]}], cards_tried=())
            form = QuestionForm(initial={"attempt": 1 if result.kind == Outcome.CLARIFY else 0,
                                         "previous": previous if result.kind == Outcome.CLARIFY else "",
                                         "tried": tried if result.kind == Outcome.CLARIFY else ""})
        context["form"] = form
        return _render(request, context)
    key = request.GET.get("kort", "")[:80]
    if key:
        try:
            context["result"] = selectors.answer_with_card(municipality_id=municipality_id, key=key,
                                                           language=language)
        except NotFound:
            context["unknown_card"] = True
    context["form"] = QuestionForm(initial={"attempt": 0})
    return render(request, "assistant/ask.html", context)


@require_POST
def feedback(request):
    municipality_id = _municipality_id(request)
    form = FeedbackForm(request.POST)
    helpful = None
    if form.is_valid():
        helpful = form.cleaned_data["helpful"] == "yes"
        try:
            services.feedback_record(municipality_id=municipality_id, token=form.cleaned_data["token"],
                                     helpful=helpful)
        except NotFound:
            helpful = None
    context = {"helpful": helpful, **_base_context(request)}
    if getattr(request, "htmx", False):
        return render(request, "assistant/_feedback_thanks.html", context)
    if helpful is None:
        messages.error(request, _("We could not save your answer. Please try again."))
    else:
        messages.success(request, _("Thank you for your answer."))
    return redirect("assistant:ask")


@require_POST
def handoff(request):
    municipality_id = _municipality_id(request)
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("assistant:ask"))
    form = HandoffForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("We could not send your question. Please try again."))
        return redirect("assistant:ask")
    data = form.cleaned_data
    transcript = [{"who": "citizen", "text": part.strip()} for part in data.get("previous", "").split(" / ")
                  if part.strip()]
    if data.get("q") and (not transcript or transcript[-1]["text"] != data["q"].strip()):
        transcript.append({"who": "citizen", "text": data["q"]})
    try:
        receipt = services.handoff_open(actor=request.user, municipality_id=municipality_id, reason=data["reason"],
                                        transcript=transcript, cards_tried=[k for k in data["tried"].split(",") if k])
    except NotFound as error:
        raise Http404 from error
    context = {"receipt": receipt, **_base_context(request)}
    return render(request, "assistant/_handoff_sent.html" if getattr(request, "htmx", False)
                  else "assistant/handoff_sent.html", context)


# Staff -----------------------------------------------------------------------------------------------

@municipal_view()
@citizen_data_view
def staff_handoffs(request):
    try:
        handoffs = selectors.access_handoffs(actor=request.user, municipality_id=request.municipality_id)
    except NotFound as error:
        raise Http404 from error
    return render(request, "assistant/staff_handoffs.html", {"handoffs": handoffs})


@municipal_view()
@citizen_data_view
@require_POST
def staff_handoff_answered(request, handoff_id: int):
    try:
        services.handoff_close(actor=request.user, municipality_id=request.municipality_id, handoff_id=handoff_id)
    except NotFound as error:
        raise Http404 from error
    messages.success(request, _("Marked as answered."))
    return redirect("assistant:staff_handoffs")


@municipal_view()
def unanswered(request):
    try:
        weeks = selectors.unanswered_by_week(actor=request.user, municipality_id=request.municipality_id)
        questions = selectors.unanswered_questions(actor=request.user, municipality_id=request.municipality_id)
    except NotFound as error:
        raise Http404 from error
    return render(request, "assistant/unanswered.html", {"weeks": weeks, "questions": questions})


@municipal_view()
@require_POST
def draft_card(request, question_id: int):
    try:
        card = services.card_draft_from_question(actor=request.user, municipality_id=request.municipality_id,
                                                 question_id=question_id)
    except NotFound as error:
        raise Http404 from error
    messages.success(request, _("A draft card was made from the question. Write the answer and its sources."))
    return redirect("assistant:local_card_edit", card_id=card.pk)


@municipal_view()
def local_cards(request):
    try:
        cards = selectors.local_cards(actor=request.user, municipality_id=request.municipality_id)
    except NotFound as error:
        raise Http404 from error
    return render(request, "assistant/local_cards.html", {"cards": cards})


@municipal_view()
def local_card_edit(request, card_id: int | None = None):
    card = None
    if not permissions.can_view_unanswered(request.user, request.municipality_id):
        raise Http404
    if card_id is not None:
        try:
            card = selectors.get_local_card(actor=request.user, municipality_id=request.municipality_id,
                                            card_id=card_id)
        except NotFound as error:
            raise Http404 from error
    form = LocalCardForm(request.POST or None, initial=LocalCardForm.initial_for(card) if card else None)
    if request.method == "POST" and form.is_valid():
        try:
            card = services.local_card_save(actor=request.user, municipality_id=request.municipality_id, card=card,
                                            data=form.cleaned_data)
        except ValidationFailed as error:
            for field, texts in error.messages.items():
                for text in texts:
                    form.add_error(None if field == "__all__" else field, text)
        except NotFound as error:
            raise Http404 from error
        else:
            messages.success(request, _("Saved as a draft. Send it for review when it is ready."))
            return redirect("assistant:local_card_edit", card_id=card.pk)
    return render(request, "assistant/local_card_edit.html", {
        "form": form, "card": card, "national_keys": selectors.national_keys(),
        "can_publish": card is not None and permissions.can_publish_local_card(request.user, card)})


def _card_step(request, card_id: int, step, done: str):
    try:
        step(actor=request.user, municipality_id=request.municipality_id, card_id=card_id)
    except NotFound as error:
        raise Http404 from error
    except ValidationFailed as error:
        for texts in error.messages.values():
            for text in texts:
                messages.error(request, text)
    else:
        messages.success(request, done)
    return redirect("assistant:local_card_edit", card_id=card_id)


@municipal_view()
@require_POST
def local_card_submit(request, card_id: int):
    return _card_step(request, card_id, services.local_card_submit, _("Sent for review."))


@municipal_view()
@require_POST
def local_card_publish(request, card_id: int):
    return _card_step(request, card_id, services.local_card_publish, _("Published. Citizens see the card now."))

