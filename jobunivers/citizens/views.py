"""The citizen's own space ("Min side"), the administrator's content pages, and the staff CV view.

Views are thin: parse with a form, call a service or selector, render. Every form works without
JavaScript; HTMX only enhances (the occupation typeahead).
"""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobunivers.audit.decorators import citizen_data_view
from jobunivers.audit.services import log_staff_access
from jobunivers.core.errors import ConflictError, NotFound, ValidationFailed
from jobunivers.core.redirects import safe_next
from jobunivers.tenancy.decorators import municipal_view
from jobunivers.tenancy.roles import STAFF_ROLES, Role

from . import forms, pdf, selectors, services
from .models import (
    Barrier,
    ContactChannel,
    CreatedByKind,
    DrivingLicence,
    Education,
    IntroPackageItem,
    JobLogKind,
    JobLogStatus,
    PlanGoal,
    PlanItem,
    PlanItemStatus,
    PlanItemType,
    PlanTemplate,
    WorkExperience,
)
from .registry import PLACEHOLDER_KEYS, render_slots


def _conflict_text() -> str:
    return _("Someone else saved this in the meantime (perhaps you, in another tab or window). "
             "Your changes were not saved. Here is the latest version; please make your changes again.")


def _require_role(request, *roles) -> None:
    """Object views look the object up first (404 from another municipality, whatever the role),
    then check the role (403), so a URL never reveals another municipality's objects."""
    if request.role not in roles:
        raise PermissionDenied


def _citizen(request):
    citizen = selectors.citizen_for_user(user=request.user)
    if citizen is None:
        raise Http404
    return citizen


def _back(request, default: str) -> str:
    return safe_next(request, default)


def _split(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


# --- Start page --------------------------------------------------------------------------


@municipal_view(Role.CITIZEN)
def home(request):
    citizen = _citizen(request)
    if citizen.welcome_seen_at is None and citizen.onboarding_completed_at is None:
        return redirect("citizens:welcome")
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
    return render(request, "citizens/home.html", {
        "citizen": citizen,
        "simple": simple,
        "next_steps": next_steps,
        "due_items": selectors.due_plan_items(citizen_id=citizen.pk)[:5],
        "overdue_count": selectors.overdue_plan_items(citizen_id=citizen.pk).count(),
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
    _require_role(request, Role.CITIZEN)
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


# --- Profile ---------------------------------------------------------------------------------


def _profile_initial(citizen, profile) -> dict:
    return {
        "version": profile.version, "postcode": citizen.postcode.code if citizen.postcode else "",
        "radius_km": profile.radius_km, "remote_ok": profile.remote_ok, "hours_per_week": profile.hours_per_week,
        "employment_types": profile.employment_types, "occupation_text": profile.occupation_text,
        "skills_text": profile.skills_text, "education_level": profile.education_level,
        "languages": ", ".join(profile.languages or []), "driving_licences": profile.driving_licences,
        "sectors": profile.sectors, "followed_companies": profile.followed_companies, "keywords": profile.keywords,
        "summary": profile.summary, "employer_visibility": profile.employer_visibility,
    }


@municipal_view(Role.CITIZEN)
def profile(request):
    citizen = _citizen(request)
    profile = services.profile_get_or_create(citizen=citizen)
    form = forms.ProfileForm(initial=_profile_initial(citizen, profile))
    if request.method == "POST":
        form = forms.ProfileForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            postcode = data.pop("postcode")
            data["languages"] = _split(data["languages"])
            try:
                services.profile_update(actor=request.user, citizen=citizen, data=data, expected_version=version,
                                        postcode_code=postcode)
            except ValidationFailed as error:
                forms.apply_errors(form, error)
            except ConflictError:
                messages.error(request, _conflict_text())
                return redirect("citizens:profile")
            else:
                messages.success(request, _("Your profile has been saved."))
                return redirect("citizens:profile")
        messages.error(request, _("Please correct the errors below."))
    percent, missing = selectors.profile_completeness(citizen=citizen, profile=profile)
    query = request.GET.get("occupation_query", "")
    skill_query = request.GET.get("skill_query", "")
    return render(request, "citizens/profile.html", {
        "skills": selectors.skills_of(profile=profile), "skill_query": skill_query,
        "skill_results": selectors.skill_choices(query=skill_query) if skill_query else None,
        "citizen": citizen, "profile": profile, "form": form,
        "occupations": list(profile.occupations.all()),
        "occupation_query": query,
        "occupation_results": selectors.occupation_choices(query=query) if query else None,
        "experience": citizen.work_experience.all(), "educations": citizen.educations.all(),
        "experience_form": forms.WorkExperienceForm(prefix="experience"),
        "education_form": forms.EducationForm(prefix="education"),
        "cv": selectors.cv_for(citizen=citizen), "cv_form": forms.CvUploadForm(),
        "completeness": percent, "missing": missing,
    })


@municipal_view(Role.CITIZEN)
def occupation_search(request):
    """The typeahead's results: an HTMX fragment, or (without JavaScript) the profile page."""
    query = request.GET.get("occupation_query", "")
    if not request.htmx:
        return redirect(reverse("citizens:profile") + f"?{request.GET.urlencode()}#occupations")
    return render(request, "citizens/_occupation_results.html", {
        "occupation_query": query, "occupation_results": selectors.occupation_choices(query=query),
    })


@municipal_view(Role.CITIZEN)
def skill_search(request):
    """The skills typeahead: an HTMX fragment, or (without JavaScript) the profile page."""
    query = request.GET.get("skill_query", "")
    if not request.htmx:
        return redirect(reverse("citizens:profile") + f"?{request.GET.urlencode()}#skills")
    return render(request, "citizens/_skill_results.html", {
        "skill_query": query, "skill_results": selectors.skill_choices(query=query),
    })


@municipal_view(Role.CITIZEN)
@require_POST
def skill_add(request):
    citizen = _citizen(request)
    try:
        services.profile_skill_add(actor=request.user, citizen=citizen, skill_uri=request.POST.get("skill_uri", ""))
    except ValidationFailed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The skill was added."))
    return redirect(reverse("citizens:profile") + "#skills")


@municipal_view(Role.CITIZEN)
@require_POST
def skill_remove(request):
    citizen = _citizen(request)
    services.profile_skill_remove(actor=request.user, citizen=citizen, skill_uri=request.POST.get("skill_uri", ""))
    messages.success(request, _("The skill was removed."))
    return redirect(reverse("citizens:profile") + "#skills")


@municipal_view(Role.CITIZEN)
@require_POST
def occupation_add(request):
    citizen = _citizen(request)
    try:
        services.profile_occupation_add(actor=request.user, citizen=citizen,
                                        occupation_id=request.POST.get("occupation_id"))
    except ValidationFailed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The occupation was added."))
    return redirect(reverse("citizens:profile") + "#occupations")


@municipal_view(Role.CITIZEN)
@require_POST
def occupation_remove(request, occupation_id: int):
    citizen = _citizen(request)
    services.profile_occupation_remove(actor=request.user, citizen=citizen, occupation_id=occupation_id)
    messages.success(request, _("The occupation was removed."))
    return redirect(reverse("citizens:profile") + "#occupations")


def _add_profile_entry(request, *, form_class, prefix: str, add, message: str):
    """Shared body of the profile's add forms: validate, call the service, or show the errors."""
    citizen = _citizen(request)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            add(actor=request.user, citizen=citizen, **form.cleaned_data)
        except ValidationFailed as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, message)
            return redirect(reverse("citizens:profile") + f"#{prefix}")
    return _profile_with_errors(request, citizen, **{f"{prefix}_form": form})


def _delete_profile_entry(request, *, model, entry_id: int, delete, id_argument: str, anchor: str, message: str):
    """Shared body of the profile's delete buttons. Object first: another municipality's entry is 404."""
    if not model.objects.filter(pk=entry_id).exists():
        raise NotFound
    _require_role(request, Role.CITIZEN)
    citizen = _citizen(request)
    delete(actor=request.user, citizen=citizen, **{id_argument: entry_id})
    messages.success(request, message)
    return redirect(reverse("citizens:profile") + f"#{anchor}")


@municipal_view(Role.CITIZEN)
@require_POST
def experience_add(request):
    return _add_profile_entry(request, form_class=forms.WorkExperienceForm, prefix="experience",
                              add=services.work_experience_add, message=_("The work experience was added."))


@municipal_view()
@require_POST
def experience_delete(request, experience_id: int):
    return _delete_profile_entry(request, model=WorkExperience, entry_id=experience_id,
                                 delete=services.work_experience_delete, id_argument="experience_id",
                                 anchor="experience", message=_("The work experience was removed."))


@municipal_view(Role.CITIZEN)
@require_POST
def education_add(request):
    return _add_profile_entry(request, form_class=forms.EducationForm, prefix="education",
                              add=services.education_add, message=_("The education was added."))


@municipal_view()
@require_POST
def education_delete(request, education_id: int):
    return _delete_profile_entry(request, model=Education, entry_id=education_id,
                                 delete=services.education_delete, id_argument="education_id",
                                 anchor="education", message=_("The education was removed."))


def _profile_with_errors(request, citizen, **forms_with_errors):
    profile = services.profile_get_or_create(citizen=citizen)
    percent, missing = selectors.profile_completeness(citizen=citizen, profile=profile)
    messages.error(request, _("Please correct the errors below."))
    context = {
        "citizen": citizen, "profile": profile, "form": forms.ProfileForm(initial=_profile_initial(citizen, profile)),
        "occupations": list(profile.occupations.all()), "occupation_query": "", "occupation_results": None,
        "skills": selectors.skills_of(profile=profile), "skill_query": "", "skill_results": None,
        "experience": citizen.work_experience.all(), "educations": citizen.educations.all(),
        "experience_form": forms.WorkExperienceForm(prefix="experience"),
        "education_form": forms.EducationForm(prefix="education"),
        "cv": selectors.cv_for(citizen=citizen), "cv_form": forms.CvUploadForm(),
        "completeness": percent, "missing": missing,
    }
    context.update(forms_with_errors)
    return render(request, "citizens/profile.html", context, status=400)


@municipal_view(Role.CITIZEN)
def cv(request):
    """GET: the citizen's own CV file. POST: upload (replaces the earlier one) or delete."""
    citizen = _citizen(request)
    if request.method == "POST":
        if request.POST.get("action") == "delete":
            services.cv_delete(actor=request.user, citizen=citizen)
            messages.success(request, _("Your CV was deleted."))
            return redirect(reverse("citizens:profile") + "#cv")
        form = forms.CvUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.cv_upload(actor=request.user, citizen=citizen, uploaded_file=form.cleaned_data["file"])
            except ValidationFailed as error:
                forms.apply_errors(form, error)
            else:
                messages.success(request, _("Your CV was uploaded."))
                return redirect(reverse("citizens:profile") + "#cv")
        return _profile_with_errors(request, citizen, cv_form=form)
    return _cv_response(selectors.cv_for(citizen=citizen))


def _cv_response(document):
    if document is None:
        raise Http404
    path = services.cv_directory() / document.storage_name
    if not path.exists():
        raise Http404
    response = FileResponse(path.open("rb"), content_type=document.content_type, as_attachment=True,
                            filename=document.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@municipal_view()
@citizen_data_view
def staff_cv(request, citizen_id: int):
    """Staff of the citizen's municipality download the citizen's CV; the read is access-logged."""
    citizen = selectors.access_citizen(actor=request.user, citizen_id=citizen_id)
    _require_role(request, *STAFF_ROLES)
    document = selectors.cv_for(citizen=citizen)
    if document is None:
        raise Http404
    log_staff_access(request, citizen_id=citizen.pk, what="citizens.cv")
    return _cv_response(document)


@municipal_view(Role.CITIZEN)
def cv_print(request):
    """A printable CV generated from the profile (the browser's print or "save as PDF")."""
    citizen = _citizen(request)
    profile = services.profile_get_or_create(citizen=citizen)
    licences = dict(DrivingLicence.choices)
    return render(request, "citizens/cv_print.html", {
        "licence_labels": [str(licences.get(code, code)) for code in profile.driving_licences or []],
        "citizen": citizen, "profile": profile, "occupations": list(profile.occupations.all()),
        "experience": citizen.work_experience.all(), "educations": citizen.educations.all(),
    })


# --- Plan ------------------------------------------------------------------------------------


@municipal_view(Role.CITIZEN)
def plan(request):
    citizen = _citizen(request)
    form = forms.PlanItemForm(initial={"item_type": PlanItemType.OWN_ACTIVITY})
    goal_form = forms.PlanGoalForm(prefix="goal")
    status = 200
    if request.method == "POST":
        form = forms.PlanItemForm(request.POST)
        if form.is_valid():
            try:
                services.plan_item_create(actor=request.user, citizen=citizen, created_by_kind=CreatedByKind.CITIZEN,
                                          **form.cleaned_data)
            except ValidationFailed as error:
                forms.apply_errors(form, error)
            else:
                messages.success(request, _("The activity was added to your plan."))
                return redirect("citizens:plan")
        messages.error(request, _("Please correct the errors below."))
        status = 400
    items = list(selectors.plan_items_for(citizen_id=citizen.pk))
    return render(request, "citizens/plan.html", {
        "citizen": citizen, "form": form, "goal_form": goal_form,
        "open_items": [i for i in items if i.status in (PlanItemStatus.PLANNED, PlanItemStatus.IN_PROGRESS)],
        "closed_items": [i for i in items if i.status not in (PlanItemStatus.PLANNED, PlanItemStatus.IN_PROGRESS)],
        "goals": selectors.plan_goals_for(citizen_id=citizen.pk), "templates": selectors.plan_templates(),
        "today": timezone.localdate(),
    }, status=status)


@municipal_view()
def plan_item(request, plan_item_id: int):
    item = selectors.access_plan_item(actor=request.user, plan_item_id=plan_item_id)
    _require_role(request, Role.CITIZEN)
    citizen = _citizen(request)
    if item.citizen_id != citizen.pk:
        raise NotFound
    agreed = item.agreed_with_job_centre
    form_class = forms.PlanItemStatusForm if agreed else forms.PlanItemEditForm
    fields = ["status", "version"] if agreed else list(forms.PlanItemEditForm.base_fields)
    form = form_class(initial={f: getattr(item, f) for f in fields})
    status = 200
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            if not agreed and item.item_type != PlanItemType.SEARCH_AGREEMENT:
                data.setdefault("weekly_target", None)
            try:
                services.plan_item_update(actor=request.user, plan_item=item, expected_version=version,
                                          changed_by_kind=CreatedByKind.CITIZEN, **data)
            except ConflictError:
                messages.error(request, _conflict_text())
                return redirect("citizens:plan_item", plan_item_id=item.pk)
            except ValidationFailed as error:
                forms.apply_errors(form, error)
            else:
                messages.success(request, _("The activity was saved."))
                return redirect("citizens:plan_item", plan_item_id=item.pk)
        messages.error(request, _("Please correct the errors below."))
        status = 400
    return render(request, "citizens/plan_item.html", {
        "item": item, "form": form, "agreed": agreed,
        "versions": [(version, _describe_changes(version)) for version in
                     selectors.plan_item_versions(plan_item_id=item.pk)],
    }, status=status)


def _describe_changes(version) -> list[str]:
    """Readable "field: old → new" lines, with the fields' and choices' translated labels."""
    lines = []
    for name, (old, new) in (version.changes or {}).items():
        try:
            field: Any = PlanItem._meta.get_field(name)
        except Exception:  # a field removed since: show its name
            lines.append(f"{name}: {old} → {new}")
            continue
        choices = dict(field.choices or [])

        def show(value, choices=choices):
            if value in (None, ""):
                return "—"
            if isinstance(value, bool):
                return _("Yes") if value else _("No")
            return str(choices.get(value, value))

        lines.append(f"{str(field.verbose_name).capitalize()}: {show(old)} → {show(new)}")
    return lines


@municipal_view(Role.CITIZEN)
@require_POST
def plan_from_template(request):
    citizen = _citizen(request)
    template = selectors.plan_templates().filter(pk=request.POST.get("template_id") or 0).first()
    if template is None:
        messages.error(request, _("Choose one of the templates."))
        return redirect("citizens:plan")
    try:
        services.plan_item_from_template(actor=request.user, citizen=citizen, template=template)
    except ValidationFailed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The activity was added to your plan."))
    return redirect("citizens:plan")


@municipal_view(Role.CITIZEN)
@require_POST
def plan_goal_add(request):
    citizen = _citizen(request)
    form = forms.PlanGoalForm(request.POST, prefix="goal")
    if form.is_valid():
        try:
            services.plan_goal_add(actor=request.user, citizen=citizen, **form.cleaned_data)
        except ValidationFailed as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("The goal was added."))
            return redirect(reverse("citizens:plan") + "#goals")
    for field_errors in form.errors.values():
        for message in field_errors:
            messages.error(request, message)
    return redirect(reverse("citizens:plan") + "#goals")


@municipal_view()
@require_POST
def plan_goal_toggle(request, goal_id: int):
    if not PlanGoal.objects.filter(pk=goal_id).exists():
        raise NotFound
    _require_role(request, Role.CITIZEN)
    citizen = _citizen(request)
    services.plan_goal_set_achieved(actor=request.user, citizen=citizen, goal_id=goal_id,
                                    achieved=request.POST.get("achieved") == "1")
    return redirect(reverse("citizens:plan") + "#goals")


@municipal_view(Role.CITIZEN)
def plan_pdf(request):
    citizen = _citizen(request)
    content = pdf.plan_pdf(citizen=citizen, municipality_name=request.municipality.name,
                           items=selectors.plan_items_for(citizen_id=citizen.pk),
                           goals=selectors.plan_goals_for(citizen_id=citizen.pk))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="min-plan.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Job log ----------------------------------------------------------------------------------


WEEKS_SHOWN = 8


@municipal_view(Role.CITIZEN)
def job_log(request):
    citizen = _citizen(request)
    form = forms.JobLogEntryForm(initial={"occurred_on": timezone.localdate(), "kind": JobLogKind.APPLICATION,
                                          "status": JobLogStatus.SENT})
    status = 200
    if request.method == "POST":
        form = forms.JobLogEntryForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["status"] = data.get("status") or None
            if data["kind"] != JobLogKind.APPLICATION and data["status"] == JobLogStatus.SENT:
                data["status"] = JobLogStatus.DONE
            try:
                services.job_log_entry_add(actor=request.user, citizen=citizen, **data)
            except ValidationFailed as error:
                forms.apply_errors(form, error)
            else:
                messages.success(request, _("The entry was added to your job log."))
                return redirect("citizens:job_log")
        messages.error(request, _("Please correct the errors below."))
        status = 400
    weeks = selectors.weekly_job_log_counts(citizen_id=citizen.pk, weeks=WEEKS_SHOWN)
    return render(request, "citizens/job_log.html", {
        "citizen": citizen, "form": form, "entries": selectors.job_log_for(citizen_id=citizen.pk),
        "weeks": list(reversed(weeks)), "this_week": weeks[-1],
    }, status=status)


@municipal_view()
def job_log_entry(request, entry_id: int):
    entry = selectors.access_job_log_entry(actor=request.user, entry_id=entry_id)
    _require_role(request, Role.CITIZEN)
    citizen = _citizen(request)
    if entry.citizen_id != citizen.pk:
        raise NotFound
    fields = list(forms.JobLogEntryEditForm.base_fields)
    form = forms.JobLogEntryEditForm(initial={f: getattr(entry, f) for f in fields})
    status = 200
    if request.method == "POST":
        form = forms.JobLogEntryEditForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            data["status"] = data.get("status") or entry.status
            try:
                services.job_log_entry_update(actor=request.user, entry=entry, expected_version=version, **data)
            except ConflictError:
                messages.error(request, _conflict_text())
                return redirect("citizens:job_log_entry", entry_id=entry.pk)
            except ValidationFailed as error:
                forms.apply_errors(form, error)
            else:
                messages.success(request, _("The entry was saved."))
                return redirect("citizens:job_log")
        messages.error(request, _("Please correct the errors below."))
        status = 400
    return render(request, "citizens/job_log_entry.html", {"entry": entry, "form": form}, status=status)


@municipal_view(Role.CITIZEN)
def job_log_export(request, file_format: str):
    citizen = _citizen(request)
    entries = selectors.job_log_for(citizen_id=citizen.pk)
    if file_format == "pdf":
        weeks = selectors.weekly_job_log_counts(citizen_id=citizen.pk, weeks=13)
        response = HttpResponse(pdf.job_log_pdf(citizen=citizen, municipality_name=request.municipality.name,
                                                entries=entries, weeks=reversed(weeks)),
                                content_type="application/pdf")
        response["Content-Disposition"] = 'attachment; filename="joblog.pdf"'
    elif file_format == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="joblog.csv"'
        response.write("\ufeff")  # so spreadsheet programs read the Danish letters right
        writer = csv.writer(response, delimiter=";")
        writer.writerow([_("Date"), _("What"), _("Employer"), _("Job title or subject"), _("How"), _("Follow-up"),
                         _("Notes"), _("Registered")])
        for entry in entries:
            writer.writerow([entry.occurred_on.isoformat(), entry.get_kind_display(), _safe_cell(entry.employer),
                             _safe_cell(entry.job_title),
                             entry.get_how_applied_display() if entry.how_applied else "",
                             entry.get_status_display(), _safe_cell(entry.notes),
                             timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M")])
    else:
        raise Http404
    response["Cache-Control"] = "private, no-store"
    return response


def _safe_cell(value: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


# --- From a job ad (the jobs app's detail page posts here) ---------------------------------------


def _posting_action(request, posting_id: int, action, success: str):
    citizen = _citizen(request)
    try:
        action(actor=request.user, citizen=citizen, posting_id=posting_id)
    except ValidationFailed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect(_back(request, reverse("citizens:home")))


@municipal_view(Role.CITIZEN)
@require_POST
def job_save(request, posting_id: int):
    if request.POST.get("action") == "unsave":
        return _posting_action(request, posting_id, services.job_unsave, _("The job was removed from your saved jobs."))
    return _posting_action(request, posting_id, services.job_save, _("The job was saved."))


@municipal_view(Role.CITIZEN)
@require_POST
def job_add_to_plan(request, posting_id: int):
    return _posting_action(request, posting_id, services.job_add_to_plan, _("The job was added to your plan."))


@municipal_view(Role.CITIZEN)
@require_POST
def job_applied(request, posting_id: int):
    return _posting_action(request, posting_id, services.job_applied,
                           _("Your application was added to your job log."))


# --- The administrator's content --------------------------------------------------------------


@municipal_view(Role.MUNICIPALITY_ADMIN)
def admin_welcome(request):
    record = selectors.welcome_content_record(municipality_id=request.municipality_id)
    initial = {f: getattr(record, f) for f in services.WELCOME_FIELDS} if record else {}
    initial["version"] = record.version if record else 0
    form = forms.WelcomeContentForm(initial=initial)
    status = 200
    if request.method == "POST":
        form = forms.WelcomeContentForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.welcome_content_update(actor=request.user, municipality_id=request.municipality_id,
                                                data=data, expected_version=version or 0)
            except ConflictError:
                messages.error(request, _conflict_text())
                return redirect("citizens:admin_welcome")
            except ValidationFailed as error:
                forms.apply_errors(form, error)
            else:
                messages.success(request, _("The welcome texts were saved."))
                return redirect("citizens:admin_welcome")
        messages.error(request, _("Please correct the errors below."))
        status = 400
    return render(request, "citizens/admin_welcome.html", {
        "form": form, "intro_items": selectors.intro_package_items(municipality_id=request.municipality_id),
        "templates": selectors.plan_templates(active_only=False),
        "intro_form": forms.IntroPackageItemForm(prefix="intro"),
        "template_form": forms.PlanTemplateForm(prefix="template"),
    }, status=status)


def _admin_object_form(request, *, model, form_class, prefix, object_id, save, instance_kwarg, success,
                       template_name):
    instance = None
    if object_id is not None:
        instance = model.objects.filter(pk=object_id).first()
        if instance is None:
            raise NotFound
    _require_role(request, Role.MUNICIPALITY_ADMIN)
    form = form_class(instance=instance, prefix=prefix)
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, instance=instance, prefix=prefix)
        if form.is_valid():
            try:
                save(actor=request.user, municipality_id=request.municipality_id, data=form.cleaned_data,
                     **{instance_kwarg: instance})
            except ValidationFailed as error:
                forms.apply_errors(form, error)
            else:
                messages.success(request, success)
                return redirect("citizens:admin_welcome")
        messages.error(request, _("Please correct the errors below."))
        status = 400
    return render(request, template_name, {"form": form, "instance": instance}, status=status)


@municipal_view()
def admin_intro_item(request, item_id: int | None = None):
    return _admin_object_form(request, model=IntroPackageItem, form_class=forms.IntroPackageItemForm, prefix="intro",
                              object_id=item_id, save=services.intro_package_item_save, instance_kwarg="item",
                              success=_("The intro package was saved."), template_name="citizens/admin_intro_item.html")


@municipal_view()
def admin_plan_template(request, template_id: int | None = None):
    return _admin_object_form(request, model=PlanTemplate, form_class=forms.PlanTemplateForm, prefix="template",
                              object_id=template_id, save=services.plan_template_save, instance_kwarg="template",
                              success=_("The plan template was saved."),
                              template_name="citizens/admin_plan_template.html")

