"""The profile page and its parts: occupations, skills, experience, education."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobunivers.core.errors import ConflictError, NotFound, ValidationFailed
from jobunivers.tenancy.decorators import municipal_view
from jobunivers.tenancy.roles import Role

from .. import forms, selectors, services
from ..models import Education, WorkExperience
from ._common import _citizen, _conflict_text, _require_role, _split

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


