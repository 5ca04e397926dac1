"""Forms parse and label input; the services decide what is allowed (and say why, translated)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import (
    CHOSEN_STATUSES,
    Barrier,
    ContactChannel,
    DigitalSkills,
    DrivingLicence,
    EducationLevel,
    EmployerVisibility,
    EmploymentType,
    HowApplied,
    IntroPackageItem,
    JobLogKind,
    JobLogStatus,
    PlanItemStatus,
    PlanItemType,
    PlanTemplate,
    PreferredContact,
)

DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y"]
SCALE = [(str(n), str(n)) for n in range(1, 6)]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label, *, required: bool = False, help_text: Any = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, input_formats=DATE_FORMATS, widget=DateInput(),
                           help_text=help_text)


class StyledMixin:
    """Optional fields say so ("(valgfrit)"). The design system's classes, hints and errors tied to the
    field (aria-describedby, aria-invalid) come from Django's form rendering: FORM_RENDERER, core/forms.py."""

    mark_optional = True


def apply_errors(form: forms.Form, error) -> None:
    """Put a service's ValidationFailed messages on the form (unknown fields go to the top)."""
    for field, messages in error.messages.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


class QuestionnaireForm(StyledMixin, forms.Form):
    self_assessed_chances = forms.TypedChoiceField(
        label=_("How do you see your chances of getting a job? (1 = small, 5 = very good)"), choices=SCALE,
        coerce=int, widget=forms.RadioSelect,
    )
    expected_weeks_to_job = forms.IntegerField(
        label=_("How many weeks do you expect it will take before you have a job?"), min_value=0, max_value=520,
    )
    barriers = forms.MultipleChoiceField(
        label=_("What may stand in the way of a job? (choose any)"), choices=Barrier.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    job_search_confidence = forms.TypedChoiceField(
        label=_("How confident are you searching for jobs on your own? (1 = not at all, 5 = very)"), choices=SCALE,
        coerce=int, widget=forms.RadioSelect,
    )
    digital_skills = forms.ChoiceField(
        label=_("Can you use Jobunivers on your own?"), choices=DigitalSkills.choices, widget=forms.RadioSelect,
    )
    wants_personal_contact = forms.BooleanField(
        label=_("I would like a personal conversation with the job centre"), required=False,
    )
    preferred_contact = forms.ChoiceField(
        label=_("How would you prefer to meet the job centre?"), choices=PreferredContact.choices,
        widget=forms.RadioSelect,
    )
    contact_channels = forms.MultipleChoiceField(
        label=_("How may we contact you? (choose any)"), choices=ContactChannel.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    education_level = forms.ChoiceField(label=_("Your highest education"), choices=EducationLevel.choices,
                                        required=False)
    work_history_summary = forms.CharField(
        label=_("Your work history in short"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ProfileForm(StyledMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    postcode = forms.CharField(label=_("Home postcode"), max_length=4, required=False,
                               help_text=_("The search radius is measured from here."))
    radius_km = forms.IntegerField(label=_("Search radius (km)"), min_value=1, max_value=500)
    remote_ok = forms.BooleanField(label=_("I am open to remote work"), required=False)
    hours_per_week = forms.IntegerField(label=_("Hours per week wanted"), min_value=1, max_value=60, required=False)
    employment_types = forms.MultipleChoiceField(
        label=_("Types of employment wanted"), choices=EmploymentType.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    occupation_text = forms.CharField(
        label=_("Other occupations (free text)"), max_length=300, required=False,
        help_text=_("Used when an occupation is not in the list."),
    )
    skills_text = forms.CharField(label=_("Your skills"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("For example: forklift, customer service, Excel."))
    education_level = forms.ChoiceField(label=_("Highest education"), choices=EducationLevel.choices, required=False)
    languages = forms.CharField(label=_("Languages you speak"), max_length=300, required=False,
                                help_text=_("Separate with commas, for example: Danish, English."))
    driving_licences = forms.MultipleChoiceField(
        label=_("Driving licences and certificates"), choices=DrivingLicence.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sectors = forms.CharField(label=_("Sectors and industries you are interested in"), max_length=1000,
                              required=False)
    # Issue 20: following is real now (employers app, "What I follow"); this text is kept as the citizen's note.
    followed_companies = forms.CharField(
        label=_("Your note on companies and industries"), max_length=1000, required=False,
        help_text=_("Only a note for you. To get their new jobs first, follow employers and occupation fields "
                    "under “What I follow”, where this note is shown too."))
    keywords = forms.CharField(label=_("Keywords"), max_length=500, required=False,
                               help_text=_("Separate with commas."))
    summary = forms.CharField(label=_("About me"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))
    employer_visibility = forms.MultipleChoiceField(
        label=_("What employers may see"), choices=EmployerVisibility.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Nothing is shown to employers unless you choose it here."),
    )


class WorkExperienceForm(StyledMixin, forms.Form):
    employer = forms.CharField(label=_("Employer"), max_length=200)
    title = forms.CharField(label=_("Job title"), max_length=200)
    started_on = date_field(_("From"), required=True)
    ended_on = date_field(_("To"), help_text=_("Leave empty if ongoing."))
    tasks = forms.CharField(label=_("Tasks"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class EducationForm(StyledMixin, forms.Form):
    title = forms.CharField(label=_("Education"), max_length=200)
    institution = forms.CharField(label=_("Institution"), max_length=200, required=False)
    level = forms.ChoiceField(label=_("Level"), choices=EducationLevel.choices, required=False)
    completed_year = forms.IntegerField(label=_("Year completed"), required=False, min_value=1940, max_value=2100)


class CvUploadForm(StyledMixin, forms.Form):
    file = forms.FileField(label=_("CV (PDF or Word, at most 5 MB)"))


class PlanItemForm(StyledMixin, forms.Form):
    # Search agreements are made with the job centre, not by the citizen alone.
    item_type = forms.ChoiceField(label=_("Type"), choices=[
        c for c in PlanItemType.choices if c[0] != PlanItemType.SEARCH_AGREEMENT])
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), max_length=4000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(label=_("Status"), choices=CHOSEN_STATUSES, initial=PlanItemStatus.PLANNED)
    starts_on = date_field(_("Starts"))
    due_on = date_field(_("Due"))
    weekly_target = forms.IntegerField(label=_("Applications per week (search agreement)"), required=False,
                                       min_value=1, max_value=50)
    link = forms.URLField(label=_("Link"), max_length=500, required=False, assume_scheme="https")
    location = forms.CharField(label=_("Place"), max_length=300, required=False)


class PlanItemStatusForm(StyledMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=CHOSEN_STATUSES)


class PlanItemEditForm(PlanItemForm):
    item_type = forms.ChoiceField(label=_("Type"), choices=PlanItemType.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class PlanItemCommentForm(StyledMixin, forms.Form):
    text = forms.CharField(label=_("Your answer or comment to the job centre"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class PlanGoalForm(StyledMixin, forms.Form):
    text = forms.CharField(label=_("Goal"), max_length=300)
    target_on = date_field(_("Reach it by"))


class JobLogEntryForm(StyledMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What did you do?"), choices=JobLogKind.choices, initial=JobLogKind.APPLICATION)
    employer = forms.CharField(label=_("Employer or organiser"), max_length=200)
    job_title = forms.CharField(label=_("Job title or subject"), max_length=200)
    occurred_on = date_field(_("Date"), required=True)
    how_applied = forms.ChoiceField(label=_("How"), choices=[("", _("Not stated"))] + HowApplied.choices,
                                    required=False)
    status = forms.ChoiceField(label=_("Follow-up"), choices=JobLogStatus.choices, required=False,
                               help_text=_("For an application: where it stands now."))
    notes = forms.CharField(label=_("Notes"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class JobLogEntryEditForm(JobLogEntryForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class WelcomeContentForm(StyledMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    intro_da = forms.CharField(label=_("What Jobunivers is (Danish)"), required=False, max_length=5000,
                               widget=forms.Textarea(attrs={"rows": 4}))
    intro_en = forms.CharField(label=_("What Jobunivers is (English)"), required=False, max_length=5000,
                               widget=forms.Textarea(attrs={"rows": 4}))
    rights_and_duties_da = forms.CharField(label=_("Rights and duties (Danish)"), required=False, max_length=5000,
                                           widget=forms.Textarea(attrs={"rows": 6}))
    rights_and_duties_en = forms.CharField(label=_("Rights and duties (English)"), required=False, max_length=5000,
                                           widget=forms.Textarea(attrs={"rows": 6}))
    next_steps_da = forms.CharField(label=_("What happens next (Danish)"), required=False, max_length=5000,
                                    widget=forms.Textarea(attrs={"rows": 4}))
    next_steps_en = forms.CharField(label=_("What happens next (English)"), required=False, max_length=5000,
                                    widget=forms.Textarea(attrs={"rows": 4}))
    help_da = forms.CharField(label=_("Where to get help (Danish)"), required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    help_en = forms.CharField(label=_("Where to get help (English)"), required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class IntroPackageItemForm(StyledMixin, forms.ModelForm):
    url = forms.URLField(label=_("Address"), max_length=500, assume_scheme="https")

    class Meta:
        model = IntroPackageItem
        fields = ["title", "kind", "url", "description", "position", "is_active"]


class PlanTemplateForm(StyledMixin, forms.ModelForm):
    class Meta:
        model = PlanTemplate
        fields = ["title", "item_type", "description", "weekly_target", "duration_weeks", "is_active"]
