from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ConversationMode, ConversationStatus, NoteColour, Purpose, PushKind
from .services import MAX_PUSH_CAP

PLAN_ITEM_TYPES = [
    ("own_activity", _("Own activity")),
    ("search_agreement", _("Search agreement")),
    ("course", _("Course")),
    ("internship", _("Internship")),
    ("external_activity", _("External activity")),
    ("job_application", _("Job application")),
]


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    colour = forms.ChoiceField(label=_("Colour"), choices=NoteColour.choices, required=False)
    due_on = forms.DateField(label=_("Reminder due (optional)"), required=False,
                             widget=forms.DateInput(attrs={"type": "date"}))


class SummonsForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=10, max_value=240, initial=30)
    mode = forms.ChoiceField(label=_("Form"), choices=ConversationMode.choices, widget=forms.RadioSelect)
    place = forms.CharField(label=_("Place (for a meeting in person)"), max_length=300, required=False)
    video_link = forms.CharField(label=_("Video meeting link (for a video meeting)"), max_length=500, required=False)
    agenda = forms.CharField(label=_("Agenda"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices, widget=forms.RadioSelect,
                                initial=Purpose.HELP)


class OutcomeForm(forms.Form):
    status = forms.ChoiceField(label=_("What happened"), widget=forms.RadioSelect, choices=[
        (ConversationStatus.HELD, _("Held")), (ConversationStatus.NO_SHOW, _("The citizen did not come")),
        (ConversationStatus.CANCELLED, _("Cancelled"))])
    outcome = forms.CharField(label=_("Outcome"), max_length=4000, required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))


class ActivityForm(forms.Form):
    item_type = forms.ChoiceField(label=_("Type"), choices=PLAN_ITEM_TYPES)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), max_length=4000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    starts_on = forms.DateField(label=_("Starts (optional)"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    due_on = forms.DateField(label=_("Due (optional)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    weekly_target = forms.IntegerField(label=_("Applications per week (search agreements)"), required=False,
                                       min_value=1, max_value=50)


class SendForm(forms.Form):
    kind = forms.ChoiceField(label=_("What to send"), choices=PushKind.choices, widget=forms.RadioSelect,
                             initial=PushKind.POSTING)
    posting_id = forms.IntegerField(label=_("Job posting number"), required=False, min_value=1)
    title = forms.CharField(label=_("Title (for a service)"), max_length=200, required=False)
    link = forms.CharField(label=_("Link (for a service)"), max_length=500, required=False)
    message = forms.CharField(label=_("Message to the citizen"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


class FindForm(forms.Form):
    posting_id = forms.IntegerField(label=_("Best matches for job posting number"), required=False, min_value=1)
    occupation_id = forms.TypedChoiceField(label=_("Occupation sought"), required=False, coerce=int,
                                           empty_value=None)
    postcode_prefix = forms.CharField(label=_("Area (postcode or its first digits)"), max_length=4, required=False)
    track_id = forms.TypedChoiceField(label=_("Track"), required=False, coerce=int, empty_value=None)
    min_weeks = forms.IntegerField(label=_("Unemployed at least (weeks)"), required=False, min_value=0, max_value=520)
    max_weeks = forms.IntegerField(label=_("Unemployed at most (weeks)"), required=False, min_value=1, max_value=520)
    skill_text = forms.CharField(label=_("Skill or keyword"), max_length=100, required=False)
    cap = forms.IntegerField(label=_("Send to at most"), min_value=1, max_value=MAX_PUSH_CAP, initial=100)

    def __init__(self, *args, occupations=(), tracks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occupation_id"].choices = [("", _("Any"))] + [(o, label) for o, label in occupations if o]
        self.fields["track_id"].choices = [("", _("Any"))] + list(tracks)

    def clean(self):
        data = super().clean()
        low, high = data.get("min_weeks"), data.get("max_weeks")
        if low is not None and high is not None and low >= high:
            self.add_error("max_weeks", _("Must be more than the minimum."))
        prefix = data.get("postcode_prefix") or ""
        if prefix and not prefix.isdigit():
            self.add_error("postcode_prefix", _("Use digits only."))
        return data


class OfferSegmentForm(FindForm):
    """Which of the offer's audience to send an offer to, at most how many, and an optional message."""

    message = forms.CharField(label=_("Message"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Leave empty to send the offer's summary."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["posting_id"]


class PushForm(forms.Form):
    kind = forms.ChoiceField(label=_("What to send"), choices=PushKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=200)
    message = forms.CharField(label=_("Message"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    link = forms.CharField(label=_("Link"), max_length=500, required=False)
