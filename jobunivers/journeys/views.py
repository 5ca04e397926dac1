"""Pages of journeys: the citizen's "Mit forløb" (with opt-out and the step links), the administrators' journey
builder (journeys, steps, an experiment with two to four arms, publishing), and the experiments' results. Thin: parse, call a
selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobunivers.citizens.selectors import own_citizen
from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.tenancy.decorators import municipal_view
from jobunivers.tenancy.roles import STAFF_ROLES, Role

from . import results, selectors, services, snapshots
from .forms import ADD_ARM, REMOVE_ARM, ExperimentForm, JourneyForm, StepForm
from .models import END, Condition, StepKind, VersionStatus

# --- The citizen ------------------------------------------------------------------------------------------


@municipal_view(Role.CITIZEN)
@require_GET
def mine(request):
    citizen = own_citizen(user=request.user)
    return render(request, "journeys/mine.html", {"journeys": selectors.own_journeys(actor=request.user,
                                                                                     citizen=citizen)})


@municipal_view()  # object first: another municipality's object is 404 for every role
@require_POST
def opt_out(request, journey_id: int):
    citizen = own_citizen(user=request.user)
    opted_out = request.POST.get("fravalg") == "1"
    try:
        services.opt_out_set(actor=request.user, citizen=citizen, journey_id=journey_id, opted_out=opted_out)
    except NotFound:
        raise Http404 from None
    messages.success(request, _("You will no longer get the journey's optional steps. Mandatory steps still come.")
                     if opted_out else _("You will get all the journey's steps again."))
    return redirect("journeys:mine")


def _destination(request, step) -> str:
    from django.urls import reverse

    if step.kind == StepKind.OFFER and step.target.isdigit():
        return reverse("marketplace:detail", kwargs={"entry_id": int(step.target)})
    if step.kind == StepKind.LESSON and step.target.isdigit():
        return reverse("learning:module", kwargs={"module_id": int(step.target)})
    if step.kind == StepKind.JOBS:
        return reverse("matching:feed")
    if step.kind == StepKind.BOOKING:
        return reverse("booking:book")
    return reverse("journeys:mine") + f"#trin-{step.pk}"


@municipal_view()  # object first: another municipality's object is 404 for every role
@require_GET
def follow(request, enrolment_id: int, step_id: int):
    """The link in a step's notice: records "followed the link" and goes on to what the step is about."""
    citizen = own_citizen(user=request.user)
    try:
        run = selectors.own_step_run(citizen=citizen, enrolment_id=enrolment_id, step_id=step_id)
        services.link_followed(actor=request.user, citizen=citizen, run_id=run.pk)
    except NotFound:
        raise Http404 from None
    return redirect(_destination(request, run.step))


# --- Administrators ---------------------------------------------------------------------------------------


def _or_404(function, **kwargs):
    try:
        return function(**kwargs)
    except NotFound:
        raise Http404 from None


@municipal_view(Role.MUNICIPALITY_ADMIN)
@require_GET
def admin_list(request):
    rows = _or_404(selectors.journeys_for, actor=request.user, municipality_id=request.municipality_id)
    return render(request, "journeys/admin_list.html", {"rows": rows})


@municipal_view(Role.MUNICIPALITY_ADMIN)
@require_http_methods(["GET", "POST"])
def journey_new(request):
    form = JourneyForm(request.POST or None, municipality_id=request.municipality_id)
    if request.method == "POST" and form.is_valid():
        try:
            journey = services.journey_create(actor=request.user, municipality_id=request.municipality_id,
                                              **form.cleaned_data)
        except ValidationFailed as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("The journey was created. Add its steps."))
            return redirect("journeys:journey_detail", journey_id=journey.pk)
    return render(request, "journeys/journey_form.html", {"form": form}, status=400 if form.errors else 200)


@municipal_view()  # object first: another municipality's object is 404 for every role
@require_http_methods(["GET", "POST"])
def journey_detail(request, journey_id: int):
    journey = _or_404(selectors.access_journey, actor=request.user, municipality_id=request.municipality_id,
                      journey_id=journey_id)
    form = JourneyForm(request.POST or None, municipality_id=request.municipality_id, instance=journey)
    if request.method == "POST" and form.is_valid():
        try:
            services.journey_update(actor=request.user, journey=journey, **form.cleaned_data)
        except ValidationFailed as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("The journey was saved."))
            return redirect("journeys:journey_detail", journey_id=journey.pk)
    versions = selectors.versions_of(journey=journey)
    shown = [{"version": v, "steps": selectors.steps_of(version=v), "experiment": selectors.experiment_of(version=v)}
             for v in versions]
    return render(request, "journeys/journey_detail.html", {
        "journey": journey, "form": form, "versions": shown, "end": END,
        "track_name": selectors.track_names(request.municipality_id).get(journey.track_key, journey.track_key),
        "has_draft": any(v.status == VersionStatus.DRAFT for v in versions)}, status=400 if form.errors else 200)


@municipal_view()  # object first: another municipality's object is 404 for every role
@require_POST
def draft_new(request, journey_id: int):
    journey = _or_404(selectors.access_journey, actor=request.user, municipality_id=request.municipality_id,
                      journey_id=journey_id)
    services.draft_create(actor=request.user, journey=journey)
    messages.success(request, _("A new draft was made from the newest version. Citizens on earlier versions "
                                "keep their version."))
    return redirect("journeys:journey_detail", journey_id=journey.pk)


def _step_page(request, *, version, step=None):
    form = StepForm(request.POST or None, instance=step)
    if request.method == "POST" and form.is_valid():
        try:
            services.step_save(actor=request.user, version=version, data=form.cleaned_data, step=step)
        except ValidationFailed as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("The step was saved."))
            return redirect("journeys:journey_detail", journey_id=version.journey_id)
    return render(request, "journeys/step_form.html", {
        "form": form, "version": version, "journey": version.journey, "step": step,
        "steps": selectors.steps_of(version=version), "conditions": Condition.choices},
        status=400 if form.errors else 200)


@municipal_view()  # object first: another municipality's object is 404 for every role
@require_http_methods(["GET", "POST"])
def step_new(request, version_id: int):
    version = _or_404(selectors.access_version, actor=request.user, municipality_id=request.municipality_id,
                      version_id=version_id)
    if version.status != VersionStatus.DRAFT:
        raise Http404
    return _step_page(request, version=version)


@municipal_view()  # object first: another municipality's object is 404 for every role
@require_http_methods(["GET", "POST"])
def step_edit(request, step_id: int):
    step = _or_404(selectors.access_step, actor=request.user, municipality_id=request.municipality_id,
                   step_id=step_id)
    if step.version.status != VersionStatus.DRAFT:
        raise Http404
    return _step_page(request, version=step.version, step=step)


@municipal_view()  # object first: another municipality's object is 404 for every role
@require_http_methods(["GET", "POST"])
def step_delete(request, step_id: int):
    """Remove a step. When arms of the experiment word the step their own way, those texts go with it: the
    administrator is asked first, with how many (a page, so it works without JavaScript)."""
    step = _or_404(selectors.access_step, actor=request.user, municipality_id=request.municipality_id,
                   step_id=step_id)
    if request.method == "GET" and step.version.status != VersionStatus.DRAFT:
        raise Http404
    texts = selectors.arm_texts_of_step(step=step)
    confirmed = request.POST.get("arm_texts", "")
    if request.method == "GET" or (texts and confirmed != str(len(texts))):
        return render(request, "journeys/step_delete.html", {
            "step": step, "journey": step.version.journey, "texts": texts})
    try:
        services.step_delete(actor=request.user, step=step, arm_texts_confirmed=len(texts))
    except ValidationFailed as error:
        error.flash(request)
    else:
        messages.success(request, _("The step was removed."))
    return redirect("journeys:journey_detail", journey_id=step.version.journey_id)


@municipal_view()  # object first: another municipality's object is 404 for every role
@require_http_methods(["GET", "POST"])
def experiment_edit(request, version_id: int):
    version = _or_404(selectors.access_version, actor=request.user, municipality_id=request.municipality_id,
                      version_id=version_id)
    if version.status != VersionStatus.DRAFT:
        raise Http404
    steps = selectors.steps_of(version=version)
    experiment = selectors.experiment_of(version=version)
    action = request.POST.get("arm_action") if request.method == "POST" else None
    if action in (ADD_ARM, REMOVE_ARM):
        # "Add an arm" / "Remove arm N": the same page with one arm more or less, what was typed kept; no save.
        form = ExperimentForm.resized(request.POST, action=action, steps=steps, experiment=experiment)
        return render(request, "journeys/experiment_form.html", {"form": form, "version": version,
                                                                 "journey": version.journey})
    form = ExperimentForm(request.POST or None, steps=steps, experiment=experiment)
    if request.method == "POST" and form.is_valid():
        try:
            services.experiment_save(actor=request.user, version=version, **form.service_arguments())
        except ValidationFailed as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("The experiment was saved. It starts when the version is published."))
            return redirect("journeys:journey_detail", journey_id=version.journey_id)
    return render(request, "journeys/experiment_form.html", {"form": form, "version": version,
                                                             "journey": version.journey},
                  status=400 if form.errors else 200)


@municipal_view()  # object first: another municipality's object is 404 for every role
@require_POST
def publish(request, version_id: int):
    version = _or_404(selectors.access_version, actor=request.user, municipality_id=request.municipality_id,
                      version_id=version_id)
    try:
        services.version_publish(actor=request.user, version=version)
    except ValidationFailed as error:
        for texts in error.messages.values():
            for text in texts:
                messages.error(request, text)
    else:
        messages.success(request, _("Version %(number)s is published. New citizens on the track start on it.")
                         % {"number": version.number})
    return redirect("journeys:journey_detail", journey_id=version.journey_id)


# --- Experiments ------------------------------------------------------------------------------------------


@municipal_view(*STAFF_ROLES, Role.MUNICIPALITY_ADMIN)
@require_GET
def experiments(request):
    found = _or_404(selectors.experiments_for, actor=request.user, municipality_id=request.municipality_id)
    return render(request, "journeys/experiments.html", {"experiments": found})


@municipal_view()  # object first: another municipality's object is 404 for every role
@require_GET
def experiment_result(request, experiment_id: int):
    experiment = _or_404(selectors.access_experiment, actor=request.user, municipality_id=request.municipality_id,
                         experiment_id=experiment_id)
    return render(request, "journeys/experiment_result.html", results.page(experiment=experiment))


@municipal_view()  # object first: another municipality's object is 404 for every role
@require_POST
def experiment_refresh(request, experiment_id: int):
    """"Beregn igen": the result is computed again in the background (snapshots.result_refresh_request)."""
    queued = _or_404(snapshots.result_refresh_request, actor=request.user, municipality_id=request.municipality_id,
                     experiment_id=experiment_id)
    if queued:
        messages.success(request, _("The result is being computed again. Reload the page in a minute to see it."))
    else:
        messages.info(request, _("The result is already being computed. Reload the page in a minute to see it."))
    return redirect("journeys:experiment_result", experiment_id=experiment_id)
