"""Forms of coffee meetings: the employer's invitation and the citizen's visibility. Fields only; the rules
(window in the past, number of meetings, ...) are the services' and come back as their Danish errors."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jobunivers.taxonomy import selectors as taxonomy

from .models import JobKind, SharedField
from .services import MEETING_LENGTHS


class InvitationForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("job offered", "Role"), max_length=200,
                            help_text=_("For example: Carpenter for renovation jobs."))
    occupation = forms.CharField(label=pgettext_lazy("job offered", "Occupation"), max_length=200,
                                 help_text=_("The occupation as it is called, for example tømrer. We use it to find "
                                             "people who seek this kind of work."))
    needs = forms.CharField(label=_("What we are looking for"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("Experience, skills, hours, start date: what matters to you."))
    place = forms.CharField(label=_("Meeting place"), max_length=300, required=False,
                            help_text=_("Address where you meet. Leave it empty for a video meeting."))
    postcode = forms.CharField(label=_("Postcode of the meeting place"), max_length=4, required=False,
                               widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}))
    video_link = forms.CharField(label=_("Video meeting link"), max_length=500, required=False,
                                 widget=forms.URLInput())
    first_day = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    day_starts = forms.TimeField(label=_("Meetings from (time of day)"), widget=forms.TimeInput(attrs={"type": "time"}))
    day_ends = forms.TimeField(label=_("Meetings until (time of day)"), widget=forms.TimeInput(attrs={"type": "time"}))
    meeting_minutes = forms.TypedChoiceField(
        label=_("Minutes per meeting"), coerce=int, initial=30,
        choices=[(m, _("%(minutes)d minutes") % {"minutes": m}) for m in MEETING_LENGTHS])
    meetings = forms.IntegerField(label=_("Number of meetings"), min_value=None, initial=5)

    def clean_occupation(self):
        text = self.cleaned_data.get("occupation", "").strip()
        matches = taxonomy.search_occupations(text, limit=1, semantic=False) if text else []
        if not matches:
            raise forms.ValidationError(_("No occupation matches '%(text)s'."), params={"text": text})
        return matches[0].id


class VisibilityForm(forms.Form):
    is_open = forms.TypedChoiceField(
        label=_("May employers see you and invite you to coffee meetings?"), widget=forms.RadioSelect,
        coerce=lambda value: value == "yes", choices=[("yes", _("Yes, for the kinds of job I choose")),
                                                      ("no", _("No"))])
    job_kinds = forms.MultipleChoiceField(label=_("Kinds of job"), choices=JobKind.choices, required=False,
                                          widget=forms.CheckboxSelectMultiple)
    shares = forms.MultipleChoiceField(
        label=_("What employers may see"), choices=SharedField.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("When you say yes to a coffee meeting, the employer gets exactly this, as it is at that "
                    "moment. Employers never see your address, CPR number or contact details."))
