"""The start page, welcome page, intro package and questionnaire."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.tenancy.decorators import municipal_view
from jobunivers.tenancy.roles import Role

from .. import forms, selectors, services
from ..models import Barrier, ContactChannel, IntroPackageItem
from ..registry import PLACEHOLDER_KEYS, render_slots
from ._common import _back, _citizen

# --- Start page --------------------------------------------------------------------------


@municipal_view(Role.CITIZEN)
def home(request):
    citizen = _citizen(request)
    if citizen.welcome_seen_at is None and citizen.onboarding_completed_at is None:
        return redirect("citizens:welcome")
    with selectors.profiles_read_once():  # the completeness and several slots read the profile: once
        return _home(request, citizen)


def _home(request, citizen):
    simple = selectors.wants_more_support(citizen=citizen)
    percent, missing = selectors.profile_completeness(citizen=citizen)
    weeks = selectors.weekly_job_log_counts(citizen_id=citizen.pk, weeks=1)
    next_steps = []
    if citizen.onboarding_completed_at is None:
        next_steps.append((reverse("citizens:questionnaire"), _("Answer the start questionnaire")))
    if missing:
        next_steps.append((reverse("citizens:profile"), missing[0]))
    this_week = weeks[-1]
    if this_week.target and this_week.count < this_week.target:
        next_steps.append((reverse("citizens:job_log"),
                           _("Log your applications: %(count)s of %(target)s this week") % {
                               "count": this_week.count, "target": this_week.target}))
    slots = render_slots(request, citizen, simple=simple)
    filled = {slot["key"] for slot in slots}
    today = timezone.localdate()
    due = list(selectors.due_plan_items(citizen_id=citizen.pk, today=today))
    return render(request, "citizens/home.html", {
        "citizen": citizen,
        "simple": simple,
        "next_steps": next_steps,
        "due_items": due[:5],
        "overdue_count": sum(1 for item in due if item.due_on < today),  # overdue items are among the due
        "saved_jobs": selectors.saved_jobs_for(citizen_id=citizen.pk)[:5],
        "recent_entries": selectors.job_log_for(citizen_id=citizen.pk)[:5],
        "this_week": this_week,
        "completeness": percent,
        "slots": slots,
        "placeholders": [key for key in PLACEHOLDER_KEYS if key not in filled],
    })


# --- Welcome, intro package, questionnaire ---------------------------------------------------


@municipal_view(Role.CITIZEN)
def welcome(request):
    citizen = _citizen(request)
    if request.method == "POST":
        services.welcome_mark_seen(actor=request.user, citizen=citizen)
        if citizen.onboarding_completed_at is None:
            return redirect("citizens:questionnaire")
        return redirect("citizens:home")
    content = selectors.welcome_content_for(municipality_id=request.municipality_id, language=get_language() or "da")
    return render(request, "citizens/welcome.html", {
        "citizen": citizen, "content": content, "intro_package": selectors.intro_package_for(citizen=citizen),
    })


@municipal_view()
@require_POST
def intro_tick(request, item_id: int):
    if not IntroPackageItem.objects.filter(pk=item_id).exists():
        raise NotFound
    citizen = _citizen(request)
    try:
        services.intro_item_tick(actor=request.user, citizen=citizen, item_id=item_id,
                                 done=request.POST.get("done", "1") == "1")
    except ValidationFailed as error:
        messages.error(request, str(error))
    return redirect(_back(request, reverse("citizens:welcome")) + "#intro-package")


@municipal_view(Role.CITIZEN)
def questionnaire(request):
    citizen = _citizen(request)
    answers = selectors.onboarding_answers_for(citizen_id=citizen.pk)
    editing = request.method == "POST" or answers is None or request.GET.get("edit") == "1"
    if request.method == "POST":
        form = forms.QuestionnaireForm(request.POST)
        if form.is_valid():
            try:
                first = answers is None
                services.onboarding_answers_submit(actor=request.user, citizen=citizen, data=form.cleaned_data)
            except ValidationFailed as error:
                forms.apply_errors(form, error)
            else:
                if first:
                    messages.success(request, _("Thank you. Your answers are saved, and an intro meeting with a "
                                                "job adviser has been added to your plan."))
                else:
                    messages.success(request, _("Your answers have been updated."))
                return redirect("citizens:questionnaire")
        messages.error(request, _("Please correct the errors below."))
    else:
        initial = {}
        if answers is not None:
            initial = {f: getattr(answers, f) for f in forms.QuestionnaireForm.base_fields}
            initial["self_assessed_chances"] = str(answers.self_assessed_chances)
            initial["job_search_confidence"] = str(answers.job_search_confidence)
        form = forms.QuestionnaireForm(initial=initial)
    barrier_labels = dict(Barrier.choices)
    channel_labels = dict(ContactChannel.choices)
    return render(request, "citizens/questionnaire.html", {
        "form": form, "answers": answers, "editing": editing,
        "barrier_labels": [barrier_labels.get(b, b) for b in (answers.barriers if answers else [])],
        "channel_labels": [channel_labels.get(c, c) for c in (answers.contact_channels if answers else [])],
    })


