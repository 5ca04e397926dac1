"""The citizen's learning pages: the catalogue, a module, a lesson with its quiz, leaving and sharing.
Thin: parse, call a selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jobunivers.audit.decorators import citizen_data_view
from jobunivers.citizens.selectors import own_citizen
from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.tenancy.decorators import municipal_view

from . import permissions, selectors, services


def _errors(request, error: ValidationFailed) -> None:
    for texts in error.messages.values():
        for text in texts:
            messages.error(request, text)


@municipal_view()
@require_http_methods(["GET"])
def catalogue(request):
    citizen = own_citizen(user=request.user)
    cards = selectors.catalogue(actor=request.user, citizen=citizen)
    return render(request, "learning/catalogue.html", {
        "mine": [c for c in cards if c.status and c.status != "withdrawn"],
        "others": [c for c in cards if not c.status or c.status == "withdrawn"]})


@municipal_view()
@require_http_methods(["GET", "POST"])
def module(request, module_id: int):
    citizen = own_citizen(user=request.user)
    try:
        page = selectors.own_module(actor=request.user, citizen=citizen, module_id=module_id)
    except NotFound:
        raise Http404 from None
    if request.method == "POST":
        try:
            services.enrol(actor=request.user, citizen=citizen, module_id=module_id,
                           share_progress=request.POST.get("share_progress") == "on")
        except ValidationFailed as error:
            _errors(request, error)
        else:
            messages.success(request, _("You are enrolled. Start with the first lesson."))
        return redirect("learning:module", module_id=module_id)
    return render(request, "learning/module.html", {"page": page})


@municipal_view()
@require_http_methods(["GET", "POST"])
def lesson(request, module_id: int, lesson_id: int):
    citizen = own_citizen(user=request.user)
    try:
        page, found = selectors.own_lesson(actor=request.user, citizen=citizen, module_id=module_id,
                                           lesson_id=lesson_id)
    except NotFound:
        raise Http404 from None
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if page.enrolment is None or not page.enrolment.is_started:
            messages.error(request, _("Enrol in the module before you answer the quiz."))
            return redirect("learning:module", module_id=module_id)
        try:
            result = services.quiz_answer(actor=request.user, enrolment=page.enrolment, lesson_id=lesson_id,
                                          answers=request.POST)
        except ValidationFailed as error:
            errors = error.messages
        else:
            if result.module_completed:
                messages.success(request, _("You have completed the module. Well done!"))
            return redirect(f"{request.path}#resultat")
    line = next(line for line in page.lessons if line.lesson.pk == found.pk)
    progress = line.progress
    questions = []
    for number, question in enumerate(found.quiz):  # type: ignore[attr-defined]
        chosen = None
        if progress is not None and not errors and number < len(progress.last_answers):
            chosen = progress.last_answers[number]
        posted = request.POST.get(f"question-{question.pk}") if errors else None
        questions.append({"question": question, "chosen": chosen, "posted": posted,
                          "errors": errors.get(f"question-{question.pk}", [])})
    index = [line.lesson.pk for line in page.lessons].index(found.pk)
    following = page.lessons[index + 1].lesson if index + 1 < len(page.lessons) else None
    return render(request, "learning/lesson.html", {
        "page": page, "lesson": found, "progress": progress, "questions": questions, "errors": errors,
        "needed": services.pass_mark(len(found.quiz)), "number": index + 1,  # type: ignore[attr-defined]
        "following": following}, status=422 if errors else 200)


@municipal_view()
@require_POST
def leave(request, module_id: int):
    citizen = own_citizen(user=request.user)
    try:
        enrolment = selectors.own_active_enrolment(actor=request.user, citizen=citizen, module_id=module_id)
        was_suggested = enrolment.status == "suggested"
        services.enrolment_withdraw(actor=request.user, enrolment=enrolment)
    except NotFound:
        raise Http404 from None
    except ValidationFailed as error:
        _errors(request, error)
    else:
        messages.success(request, _("You said no to the suggestion. Your plan shows it as cancelled.") if was_suggested
                         else _("You have left the module. Your progress is kept if you come back."))
    return redirect("learning:module", module_id=module_id)


@municipal_view()
@require_POST
def sharing(request, module_id: int):
    citizen = own_citizen(user=request.user)
    try:
        enrolment = selectors.own_active_enrolment(actor=request.user, citizen=citizen, module_id=module_id)
        share = request.POST.get("share_progress") == "on"
        services.sharing_set(actor=request.user, enrolment=enrolment, share=share)
    except NotFound:
        raise Http404 from None
    except ValidationFailed as error:
        _errors(request, error)
    else:
        messages.success(request, _("The job centre can now see your lessons and quiz results in this module.")
                         if share else _("The job centre can no longer see your lessons and quiz results."))
    return redirect("learning:module", module_id=module_id)


# --- Staff ------------------------------------------------------------------------------------------

@citizen_data_view
@municipal_view()
@require_http_methods(["GET", "POST"])
def staff_citizen(request, citizen_id: int):
    """A citizen's modules for the job centre (lessons and quiz results only where the citizen shares them),
    and suggesting a module (it lands in the citizen's plan as a suggestion)."""
    try:
        citizen, lines = selectors.access_learning(actor=request.user, citizen_id=citizen_id)
    except NotFound:
        raise Http404 from None
    can_suggest = permissions.can_suggest_module(request.user, citizen)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            services.module_suggest(actor=request.user, citizen=citizen, module_id=request.POST.get("module"),
                                    note=request.POST.get("note", ""))
        except ValidationFailed as error:
            errors = error.messages
        else:
            messages.success(request, _("The module is in the citizen's plan as a suggestion."))
            return redirect("learning:staff_citizen", citizen_id=citizen.pk)
    taken = {line.enrolment.module_id for line in lines if line.enrolment.status != "withdrawn"}
    modules = [m for m in selectors.modules_for(municipality_id=citizen.municipality_id) if m.pk not in taken]
    return render(request, "learning/staff_citizen.html", {
        "citizen": citizen, "lines": lines, "can_suggest": can_suggest, "modules": modules, "errors": errors,
        "general_errors": errors.get("__all__", []),
        "posted": request.POST if errors else {}}, status=422 if errors else 200)
