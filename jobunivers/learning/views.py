"""The citizen's learning pages: the catalogue, a module, a lesson with its quiz, leaving and sharing.
Thin: parse, call a selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jobunivers.audit.decorators import citizen_data_view
from jobunivers.citizens.selectors import own_citizen
from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.tenancy.decorators import municipal_view
from jobunivers.tenancy.selectors import settings_for

from . import interview_bank, interview_selectors, interview_services, permissions, selectors, services
from .models import InterviewStatus


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
        "can_listen": permissions.can_listen_to_interview_recordings(request.user, citizen),
        "practices": interview_selectors.shared_practices(actor=request.user, citizen=citizen),
        "general_errors": errors.get("__all__", []),
        "posted": request.POST if errors else {}}, status=422 if errors else 200)


# --- Interview practice (ADR 0114) -------------------------------------------------------------------

def _own_interview(request, session_id: int):
    citizen = own_citizen(user=request.user)
    try:
        return interview_selectors.own_interview(actor=request.user, citizen=citizen, session_id=session_id)
    except NotFound:
        raise Http404 from None


@municipal_view()
@require_http_methods(["GET", "POST"])
def interviews(request):
    """Choose a job and start a practice; the citizen's earlier practices below."""
    citizen = own_citizen(user=request.user)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        job = request.POST.get("job", "")
        if not job and request.POST.get("occupation", "").strip():
            job = "occupation"  # a job title written without ticking "a job I write myself" (no JavaScript)
        try:
            session = interview_services.interview_start(
                actor=request.user, citizen=citizen, job=job,
                occupation=request.POST.get("occupation", ""), count=request.POST.get("count", ""))
        except ValidationFailed as error:
            errors = error.messages
        else:
            return redirect("learning:interview", session_id=session.pk)
    try:
        options = interview_selectors.interview_job_options(actor=request.user, citizen=citizen)
    except NotFound:
        raise Http404 from None
    posted = request.POST if errors else {}
    return render(request, "learning/interviews.html", {
        "options": options, "sessions": interview_selectors.own_interviews(actor=request.user, citizen=citizen),
        "errors": errors, "posted_job": posted.get("job", ""), "posted_occupation": posted.get("occupation", ""),
        "posted_count": posted.get("count", "6"), "counts": range(interview_bank.SESSION_MIN,
                                                                  interview_bank.SESSION_MAX + 1),
    }, status=422 if errors else 200)


@municipal_view()
@require_http_methods(["GET", "POST"])
def interview(request, session_id: int):
    """The questions of a practice, answered by text or aloud (a recording stays in the browser)."""
    session, answers = _own_interview(request, session_id)
    if session.status != InterviewStatus.ANSWERING:
        return redirect("learning:interview_review", session_id=session.pk)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            interview_services.interview_answers_save(actor=request.user, session=session, answers=request.POST)
        except ValidationFailed as error:
            errors = error.messages
        else:
            return redirect("learning:interview_review", session_id=session.pk)
    rows = [{"answer": answer,
             "text": request.POST.get(f"answer-{answer.position}", "") if errors else answer.text,
             "spoken": (request.POST.get(f"spoken-{answer.position}") == "on") if errors else answer.spoken,
             "errors": errors.get(f"answer-{answer.position}", [])} for answer in answers]
    return render(request, "learning/interview.html", {
        "session": session, "rows": rows, "errors": errors, "general_errors": errors.get("__all__", []),
        "answer_max": interview_services.ANSWER_MAX, **_sharing_context(request, session)},
        status=422 if errors else 200)


@municipal_view()
@require_http_methods(["GET", "POST"])
def interview_review(request, session_id: int):
    """The self-review: for each answer, the points a good answer covers and the tip; then what to work on."""
    session, answers = _own_interview(request, session_id)
    if session.status == InterviewStatus.ANSWERING:
        return redirect("learning:interview", session_id=session.pk)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        covered = {answer.position: request.POST.getlist(f"covered-{answer.position}") for answer in answers}
        try:
            interview_services.interview_review(actor=request.user, session=session, covered=covered)
        except ValidationFailed as error:
            errors = error.messages
        else:
            messages.success(request, _("Your practice is done. It is in your plan."))
            return redirect("learning:interview_review", session_id=session.pk)
    rows = []
    for answer in answers:
        ticked = ({str(v) for v in request.POST.getlist(f"covered-{answer.position}")} if errors
                  else {str(v) for v in answer.covered})
        rows.append({"answer": answer, "errors": errors.get(f"covered-{answer.position}", []),
                     "points": [{"index": n, "text": text, "covered": str(n) in ticked}
                                for n, text in enumerate(answer.points)]})
    return render(request, "learning/interview_review.html", {
        "session": session, "rows": rows, "errors": errors, "general_errors": errors.get("__all__", []),
        "done": session.status == InterviewStatus.DONE,
        "covered_total": sum(len(a.covered) for a in answers), "point_total": sum(len(a.points) for a in answers),
        **_sharing_context(request, session)}, status=422 if errors else 200)


@municipal_view()
@require_POST
def interview_delete(request, session_id: int):
    session, _answers = _own_interview(request, session_id)
    try:
        interview_services.interview_delete(actor=request.user, session=session)
    except ValidationFailed as error:
        _errors(request, error)
        return redirect("learning:interview", session_id=session.pk)
    messages.success(request, _("The practice and your answers are deleted."))
    return redirect("learning:interviews")


# --- Sharing a recording with the adviser (ADR 0135) ---------------------------------------------------

def _sharing_context(request, session) -> dict:
    return {"shared": interview_selectors.own_recordings(actor=request.user, citizen=session.citizen, session=session),
            "consent_version": interview_services.RECORDING_CONSENT_VERSION,
            "retention_days": settings_for(session.municipality_id).marketplace_retention_days,
            "recording_max_mb": interview_services.RECORDING_MAX_BYTES // (1024 * 1024)}


def _shared_section(request, session, *, status: int = 200):
    """The list of shared recordings alone, for the recorder's script and HTMX (the page is not reloaded, so
    other recordings and unsaved answers stay)."""
    return render(request, "learning/_interview_shared.html", {"session": session,
                                                               **_sharing_context(request, session)}, status=status)


def _recording_response(recording, *, download: bool = False):
    path = interview_services.recording_path(recording)
    if not path.exists():
        raise Http404
    extension = interview_services.RECORDING_TYPES.get(recording.content_type, "")
    response = FileResponse(path.open("rb"), content_type=recording.content_type, as_attachment=download,
                            filename=f"jobsamtale-optagelse-{recording.pk}{extension}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@municipal_view()
@require_POST
def interview_share(request, session_id: int, position: int):
    """The recorder's script sends one recording here when the citizen chooses to share it (never otherwise)."""
    session, _answers = _own_interview(request, session_id)
    try:
        interview_services.recording_share(actor=request.user, session=session, position=position,
                                           uploaded_file=request.FILES.get("recording"),
                                           consent=request.POST.get("consent", ""))
    except NotFound:
        raise Http404 from None
    except ValidationFailed as error:
        text = " ".join(t for texts in error.messages.values() for t in texts)
        if request.htmx:
            return HttpResponse(text, status=422, content_type="text/plain; charset=utf-8")
        messages.error(request, text)
        return redirect("learning:interview", session_id=session.pk)
    if request.htmx:
        return _shared_section(request, session)
    messages.success(request, _("Your adviser can now listen to the recording."))
    return redirect("learning:interview", session_id=session.pk)


@municipal_view()
@require_POST
def interview_withdraw(request, session_id: int, position: int):
    """The citizen withdraws a shared recording: it is deleted at once."""
    session, _answers = _own_interview(request, session_id)
    try:
        interview_services.recording_withdraw(actor=request.user, session=session, position=position)
    except NotFound:
        raise Http404 from None
    if request.htmx:
        return _shared_section(request, session)
    messages.success(request, _("The recording is no longer shared, and it is deleted."))
    back = "learning:interview" if session.status == InterviewStatus.ANSWERING else "learning:interview_review"
    return redirect(back, session_id=session.pk)


@municipal_view()
@require_http_methods(["GET"])
def interview_recording(request, recording_id: int):
    """A recording the citizen shared, played or downloaded by the citizen (not logged: it is their own)."""
    citizen = own_citizen(user=request.user)
    try:
        recording = interview_selectors.own_recording(actor=request.user, citizen=citizen, recording_id=recording_id)
    except NotFound:
        raise Http404 from None
    return _recording_response(recording, download=request.GET.get("hent") == "1")


@citizen_data_view
@municipal_view()
@require_http_methods(["GET"])
def staff_recording(request, recording_id: int):
    """An adviser plays a recording the citizen shared; every request is an entry in the access log."""
    try:
        recording = interview_selectors.access_recording(actor=request.user, recording_id=recording_id,
                                                         municipality_id=request.municipality_id)
    except NotFound:
        raise Http404 from None
    return _recording_response(recording)
