"""Pages of coffee meetings: the employer's invitations and candidates (national, /employer/...), the
employer's candidates for a posting, the citizen's cards and visibility, and staff's answer on a citizen's
behalf and the municipality's funnel. Thin: parse, call a selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobunivers.audit.decorators import citizen_data_view
from jobunivers.citizens.selectors import own_citizen
from jobunivers.core.errors import ConflictError, NotFound, ValidationFailed
from jobunivers.tenancy.decorators import municipal_view, national_view
from jobunivers.tenancy.roles import Role

from . import selectors, services
from .forms import InvitationForm, VisibilityForm


def _language() -> str:
    return get_language() or "da"



# --- employer --------------------------------------------------------------------------------------------

@national_view(Role.EMPLOYER)
@require_GET
def employer_list(request):
    invitations = list(selectors.own_invitations(membership=request.membership))
    postings = list(selectors.own_open_postings(membership=request.membership))
    return render(request, "coffee/employer_list.html", {"invitations": invitations, "postings": postings})


@national_view(Role.EMPLOYER)
@require_http_methods(["GET", "POST"])
def employer_create(request):
    form = InvitationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                invitation = services.invitation_publish(actor=request.user, membership=request.membership,
                                                         data=form.cleaned_data)
            except ValidationFailed as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("The invitation is published. People who fit and have said employers "
                                            "may see them get it as a card."))
                return redirect("coffee:employer_invitation", invitation_id=invitation.pk)
        status = 422
    return render(request, "coffee/employer_form.html", {"form": form}, status=status)


@national_view(Role.EMPLOYER)
@require_GET
def employer_invitation(request, invitation_id: int):
    invitation = selectors.access_own_invitation(membership=request.membership, invitation_id=invitation_id)
    candidates = selectors.invitation_candidates(actor=request.user, invitation=invitation, language=_language())
    booked = selectors.booked_count(invitation=invitation)
    return render(request, "coffee/employer_invitation.html", {
        "invitation": invitation, "candidates": candidates, "funnel": selectors.invitation_funnel(invitation=invitation),
        "free_times": selectors.free_times(invitation=invitation)[:200], "booked": booked,
        "room": booked < invitation.meetings, "occupation": selectors.occupation_label(invitation.occupation)})


def _employer_post(request, invitation_id: int, action, success: str):
    selectors.access_own_invitation(membership=request.membership, invitation_id=invitation_id)
    try:
        action()
    except ValidationFailed as error:
        error.flash(request)
    except ConflictError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("coffee:employer_invitation", invitation_id=invitation_id)


@national_view(Role.EMPLOYER)
@require_POST
def employer_accept(request, invitation_id: int, offer_id: int):
    return _employer_post(request, invitation_id, lambda: services.offer_accept(
        actor=request.user, membership=request.membership, offer_id=offer_id, slot=request.POST.get("slot"),
        invitation_id=invitation_id),
        _("The meeting is booked. The candidate has been told."))


@national_view(Role.EMPLOYER)
@require_POST
def employer_attendance(request, invitation_id: int, offer_id: int):
    return _employer_post(request, invitation_id, lambda: services.attendance_by_employer(
        actor=request.user, membership=request.membership, offer_id=offer_id, value=request.POST.get("attendance"),
        invitation_id=invitation_id),
        _("Thank you. Your answer is recorded."))


@national_view(Role.EMPLOYER)
@require_POST
def employer_outcome(request, invitation_id: int, offer_id: int):
    return _employer_post(request, invitation_id, lambda: services.outcome_record(
        actor=request.user, membership=request.membership, offer_id=offer_id, outcome=request.POST.get("outcome"),
        invitation_id=invitation_id),
        _("Thank you. The outcome is recorded."))


@national_view(Role.EMPLOYER)
@require_POST
def employer_close(request, invitation_id: int):
    invitation = selectors.access_own_invitation(membership=request.membership, invitation_id=invitation_id)
    services.invitation_close(actor=request.user, membership=request.membership, invitation=invitation)
    messages.success(request, _("The invitation is closed. No one new can answer it."))
    return redirect("coffee:employer_invitation", invitation_id=invitation.pk)


@national_view(Role.EMPLOYER)
@require_GET
def posting_candidates(request, posting_id: int):
    posting, candidates = selectors.posting_candidates(actor=request.user, membership=request.membership,
                                                       posting_id=posting_id, language=_language())
    return render(request, "coffee/posting_candidates.html", {"posting": posting, "candidates": candidates})


# --- citizen ---------------------------------------------------------------------------------------------

@municipal_view()
@require_GET
def cards(request):
    citizen = own_citizen(user=request.user)
    found = selectors.cards_for(citizen=citizen, language=_language())
    current = selectors.visibility_of(citizen=citizen)
    return render(request, "coffee/cards.html", {
        "waiting": selectors.waiting_cards(found), "answered": [c for c in found if c.answer is not None],
        "visibility": current, "shares": selectors.shares_text(current)})


@municipal_view()
@require_POST
def answer(request, offer_id: int):
    citizen = own_citizen(user=request.user)
    try:
        given = services.answer_give(actor=request.user, citizen=citizen, offer_id=offer_id,
                                     choice=request.POST.get("choice", ""))
    except ValidationFailed as error:
        error.flash(request)
    except ConflictError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You said yes. The employer can now see what you chose to share, and will "
                                    "choose a time.") if given.choice == "yes" else _("You said no. Thank you."))
    return redirect("coffee:cards")


@municipal_view()
@require_POST
def attendance(request, offer_id: int):
    citizen = own_citizen(user=request.user)
    try:
        services.attendance_by_citizen(actor=request.user, citizen=citizen, offer_id=offer_id,
                                       value=request.POST.get("attendance", ""))
    except ValidationFailed as error:
        error.flash(request)
    except ConflictError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Thank you. Your answer is recorded."))
    return redirect("coffee:cards")


@municipal_view()
@require_http_methods(["GET", "POST"])
def visibility(request):
    citizen = own_citizen(user=request.user)
    current = selectors.visibility_of(citizen=citizen)
    initial = {"is_open": "yes" if current is not None and current.is_open else "no",
               "job_kinds": current.job_kinds if current else [], "shares": current.fields if current else []}
    form = VisibilityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            services.visibility_set(actor=request.user, citizen=citizen, is_open=data["is_open"],
                                    job_kinds=data["job_kinds"], fields=data["shares"])
        except ValidationFailed as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("Your choice is saved."))
            return redirect("coffee:cards")
    return render(request, "coffee/visibility.html", {"form": form}, status=422 if form.errors else 200)


# --- staff -----------------------------------------------------------------------------------------------

@citizen_data_view
@municipal_view()
@require_http_methods(["GET", "POST"])
def staff_citizen(request, citizen_id: int):
    """A citizen's cards for the job centre, and answering on the citizen's behalf with a reason."""
    try:
        citizen, found = selectors.access_cards(actor=request.user, citizen_id=citizen_id, language=_language())
    except NotFound:
        raise Http404 from None
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            services.answer_give(actor=request.user, citizen=citizen, offer_id=request.POST.get("offer"),
                                 choice=request.POST.get("choice", ""), reason=request.POST.get("reason", ""))
        except ValidationFailed as error:
            errors = error.messages
        except ConflictError as error:
            errors = {"__all__": [str(error)]}
        else:
            messages.success(request, _("The answer is recorded on the citizen's behalf, with your reason."))
            return redirect("coffee:staff_citizen", citizen_id=citizen.pk)
    return render(request, "coffee/staff_citizen.html", {
        "citizen": citizen, "waiting": selectors.waiting_cards(found),
        "answered": [c for c in found if c.answer is not None], "errors": errors,
        "posted": request.POST if errors else {}}, status=422 if errors else 200)


@municipal_view()
@require_GET
def funnel(request):
    try:
        result = selectors.municipality_funnel(actor=request.user, municipality_id=request.municipality_id)
    except NotFound:
        raise Http404 from None
    return render(request, "coffee/funnel.html", {"funnel": result})



