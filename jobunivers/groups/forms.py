"""Forms of courses and job clubs: fields only; the rules (a meeting in the past, places below those taken,
a cross-municipal club without a video link) are the services' and come back as their Danish errors."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CAPACITY_MAX, GroupKind, GroupStatus


class GroupForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=GroupKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), max_length=4000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    capacity = forms.IntegerField(label=_("Number of places"), min_value=1, max_value=CAPACITY_MAX, initial=12)
    is_cross_municipal = forms.BooleanField(
        label=_("Open to citizens of other municipalities (a job club that meets online)"), required=False)
    partners = forms.TypedMultipleChoiceField(label=_("Partner municipalities"), coerce=int, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    vendor = forms.TypedChoiceField(label=_("Vendor who teaches"), coerce=int, required=False, empty_value=None,
                                    help_text=_("Optional: a vendor with an offer in the municipality. Its staff "
                                                "see the participants' names and record attendance."))

    def __init__(self, *args, partner_choices=(), vendor_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].choices = list(partner_choices)
        self.fields["vendor"].choices = [("", _("No vendor"))] + list(vendor_choices)


class GroupEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), max_length=4000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    capacity = forms.IntegerField(label=_("Number of places"), min_value=1, max_value=CAPACITY_MAX)
    status = forms.ChoiceField(label=_("Status"), choices=GroupStatus.choices)
    vendor = forms.TypedChoiceField(label=_("Vendor who teaches"), coerce=int, required=False, empty_value=None,
                                    help_text=_("Optional: a vendor with an offer in the municipality. Its staff "
                                                "see the participants' names and record attendance."))

    def __init__(self, *args, vendor_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].choices = [("", _("No vendor"))] + list(vendor_choices)


class SessionForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    starts = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("To"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Place"), max_length=200, required=False,
                            help_text=_("Address and room. Leave it empty for an online meeting."))
    video_link = forms.CharField(label=_("Video link"), max_length=500, required=False, widget=forms.URLInput())
    agenda = forms.CharField(label=_("What happens"), max_length=500, required=False)


class TaskForm(forms.Form):
    module = forms.ChoiceField(label=_("Learning module"), required=False,
                               help_text=_("Choose a module, or write a task of your own below."))
    title = forms.CharField(label=_("Task"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    due_on = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, modules=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].choices = [("", _("No module: a task of my own"))] + [(m.pk, m.title) for m in modules]
