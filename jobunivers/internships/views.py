"""Pages of internships: the employer's places and applicants (national, /employer/praktik/...), the citizen's
cards, application and status (/<kommune>/min-side/praktik/), and the job centre's worklist, decision and
outcome (/<kommune>/medarbejder/praktik/). Thin: parse, call a selector or service, render."""

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
from .forms import ApplicationForm, PlaceForm
from .models import Outcome


def _language() -> str:
    return get_language() or "da"



# --- employer --------------------------------------------------------------------------------------------

@national_view(Role.EMPLOYER)
@require_GET
def employer_list(request):
    return render(request, "internships/employer_list.html",
                  {"places": list(selectors.own_places(membership=request.membership))})


@national_view(Role.EMPLOYER)
@require_http_methods(["GET", "POST"])
def employer_create(request):
    form = PlaceForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                place = services.place_publish(actor=request.user, membership=request.membership,
                                               data=form.cleaned_data)
            except ValidationFailed as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("The internship place is published. People who fit it see it in their "
                                            "list of internships."))
                return redirect("internships:employer_place", place_id=place.pk)
    return render(request, "internships/employer_form.html", {"form": form, "place": None},
                  status=422 if form.errors else 200)


@national_view(Role.EMPLOYER)
@require_http_methods(["GET", "POST"])
def employer_edit(request, place_id: int):
    place = selectors.access_own_place(membership=request.membership, place_id=place_id)
    initial = {"title": place.title, "occupation": str(place.occupation_id), "starts_on": place.starts_on,
               "ends_on": place.ends_on, "hours_per_week": place.hours_per_week, "address": place.address,
               "postcode": place.postcode, "description": place.description, "places": place.places}
    form = PlaceForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.place_update(actor=request.user, membership=request.membership, place_id=place.pk,
                                      data=form.cleaned_data)
            except ValidationFailed as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("The internship place is saved."))
                return redirect("internships:employer_place", place_id=place.pk)
    return render(request, "internships/employer_form.html", {"form": form, "place": place},
                  status=422 if form.errors else 200)


@national_view(Role.EMPLOYER)
@require_GET
def employer_place(request, place_id: int):
    place = selectors.access_own_place(membership=request.membership, place_id=place_id)
    return render(request, "internships/employer_place.html", {
        "place": place, "applicants": selectors.place_applicants(actor=request.user, place=place),
        "funnel": selectors.place_funnel(place=place), "occupation": selectors.occupation_label(place.occupation),
        "outcomes": Outcome.choices})


@national_view(Role.EMPLOYER)
@require_POST
def employer_withdraw(request, place_id: int):
    place = selectors.access_own_place(membership=request.membership, place_id=place_id)
    try:
        services.place_withdraw(actor=request.user, membership=request.membership, place_id=place.pk)
    except ConflictError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The internship place is withdrawn. No one new can apply."))
    return redirect("internships:employer_place", place_id=place.pk)


@national_view(Role.EMPLOYER)
@require_POST
def employer_outcome(request, place_id: int, application_id: int):
    place = selectors.access_own_place(membership=request.membership, place_id=place_id)
    try:
        services.outcome_by_employer(actor=request.user, membership=request.membership, place_id=place.pk,
                                     application_id=application_id, outcome=request.POST.get("outcome", ""))
    except ValidationFailed as error:
        error.flash(request)
    except ConflictError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Thank you. The outcome is recorded."))
    return redirect("internships:employer_place", place_id=place.pk)


# --- citizen ---------------------------------------------------------------------------------------------

@municipal_view()
@require_GET
def cards(request):
    citizen = own_citizen(user=request.user)
    found = selectors.cards_for(citizen=citizen, language=_language())
    return render(request, "internships/cards.html", {
        "open": [c for c in found if c.application is None and c.is_open],
        "applied": [c for c in found if c.application is not None],
        "jobs_around": selectors.jobs_around(cards=found)})


@municipal_view()
@require_http_methods(["GET", "POST"])
def apply(request, suggestion_id: int):
    citizen = own_citizen(user=request.user)
    card = selectors.own_card(citizen=citizen, suggestion_id=suggestion_id, language=_language())
    form = ApplicationForm(request.POST or None, initial={"shares": ["name", "occupations", "experience"]})
    if request.method == "POST" and form.is_valid():
        try:
            services.application_submit(actor=request.user, citizen=citizen, suggestion_id=card.suggestion.pk,
                                        motivation=form.cleaned_data["motivation"],
                                        fields=form.cleaned_data["shares"])
        except ValidationFailed as error:
            error.add_to_form(form)
        except ConflictError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your application is sent. The job centre decides, and you are told."))
            return redirect("internships:list")
    return render(request, "internships/apply.html", {"card": card, "form": form},
                  status=422 if form.errors else 200)


@municipal_view()
@require_POST
def withdraw(request, application_id: int):
    citizen = own_citizen(user=request.user)
    try:
        services.application_withdraw(actor=request.user, citizen=citizen, application_id=application_id)
    except ConflictError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your application is withdrawn."))
    return redirect("internships:list")


# --- staff -----------------------------------------------------------------------------------------------

@citizen_data_view
@municipal_view()
@require_GET
def staff_worklist(request):
    try:
        waiting, approved = selectors.worklist(actor=request.user, municipality_id=request.municipality_id)
    except NotFound:
        raise Http404 from None
    return render(request, "internships/staff_worklist.html", {
        "waiting": waiting, "approved": approved,
        "funnel": selectors.municipality_funnel(actor=request.user, municipality_id=request.municipality_id)})


@citizen_data_view
@municipal_view()
@require_http_methods(["GET", "POST"])
def staff_application(request, application_id: int):
    try:
        application = selectors.access_application(actor=request.user, municipality_id=request.municipality_id,
                                                   application_id=application_id)
    except NotFound:
        raise Http404 from None
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        action = request.POST.get("action", "decide")
        try:
            if action == "outcome":
                services.outcome_by_staff(actor=request.user, municipality_id=request.municipality_id,
                                          application_id=application.pk, outcome=request.POST.get("outcome", ""))
                messages.success(request, _("Thank you. The outcome is recorded."))
            else:
                decided = services.application_decide(
                    actor=request.user, municipality_id=request.municipality_id, application_id=application.pk,
                    decision=request.POST.get("decision", ""), reason=request.POST.get("reason", ""))
                messages.success(request, _("The internship is approved and put in the citizen's plan. The citizen "
                                            "and the employer are told.") if decided.status == "approved"
                                 else _("The application is declined. The citizen is told why."))
        except NotFound:
            raise Http404 from None
        except ValidationFailed as error:
            errors = error.messages
        except ConflictError as error:
            errors = {"__all__": [str(error)]}
        else:
            return redirect("internships:staff_application", application_id=application.pk)
    return render(request, "internships/staff_application.html", {
        "application": application, "fields": selectors.shared_fields(application.shared),
        "errors": errors, "posted": request.POST if errors else {}, "outcomes": Outcome.choices},
        status=422 if errors else 200)
