"""Forms of internships: the employer's place and the citizen's application. Fields only; the rules (period in
the past, hours out of range, ...) are the services' and come back as their Danish errors."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jobunivers.taxonomy import selectors as taxonomy


class PlaceForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("internship", "Role"), max_length=200,
                            help_text=_("For example: Warehouse assistant in our goods reception."))
    occupation = forms.CharField(label=_("Occupation"), max_length=200,
                                 help_text=_("The occupation as it is called, for example lagerarbejder. We use it to "
                                             "find people who seek this kind of work."))
    starts_on = forms.DateField(label=pgettext_lazy("internship", "First day"),
                                widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=pgettext_lazy("internship", "Last day"),
                              widget=forms.DateInput(attrs={"type": "date"}),
                              help_text=_("The job centre decides the length of each internship with the citizen."))
    hours_per_week = forms.IntegerField(label=_("Hours a week"), initial=20,
                                        widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    address = forms.CharField(label=pgettext_lazy("internship", "Workplace address"), max_length=300)
    postcode = forms.CharField(label=pgettext_lazy("internship", "Postcode"), max_length=4,
                               widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}))
    description = forms.CharField(label=pgettext_lazy("internship", "Description"), max_length=3000,
                                  widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text=_("The tasks, what the intern learns, and who they work with."))
    places = forms.IntegerField(label=_("Number of interns"), initial=1,
                                widget=forms.NumberInput(attrs={"inputmode": "numeric"}))

    def clean_occupation(self):
        text = self.cleaned_data.get("occupation", "").strip()
        if text.isdigit() and taxonomy.get_occupation(occupation_id=int(text)) is not None:
            return int(text)
        matches = taxonomy.search_occupations(text, limit=1, semantic=False) if text else []
        if not matches:
            raise forms.ValidationError(_("No occupation matches '%(text)s'."), params={"text": text})
        return matches[0].id


class ApplicationForm(forms.Form):
    motivation = forms.CharField(
        label=_("Why do you want this internship?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few lines are enough. The employer reads them."))
    shares = forms.MultipleChoiceField(
        label=_("What the employer may see"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("The employer gets exactly this, as it is now, with your motivation. Employers never see your "
                    "address, CPR number or contact details."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import shared_field_labels

        self.fields["shares"].choices = list(shared_field_labels().items())  # type: ignore[attr-defined]
