"""Forms of the booking pages, drawn by Django's own rendering (the design system's form groups)."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .closed_days import OPTIONAL_DAYS
from .models import BookingSettings, BookingStatus, Channel, Purpose


def slot_value(slot) -> str:
    return f"{slot.adviser_id}|{slot.starts_at.isoformat()}"


def slot_label(slot, names: dict[int, str]) -> str:
    local = timezone.localtime(slot.starts_at)
    text = f"{date_format(local, 'l')} {date_format(local, 'DATETIME_FORMAT')} – {names.get(slot.adviser_id, '')}"
    if slot.own_consultant:
        text += f" ({_('your own job consultant')})"
    return text


def parse_slot(value: str) -> tuple[int, datetime.datetime] | None:
    try:
        adviser, starts = value.split("|", 1)
        moment = datetime.datetime.fromisoformat(starts)
        return (int(adviser), moment) if moment.tzinfo else None
    except ValueError:
        return None


class ChannelForm(forms.Form):
    kanal = forms.ChoiceField(label=_("How would you like to meet?"), choices=Channel.choices,
                              widget=forms.RadioSelect, initial=Channel.VIDEO)


class BookForm(forms.Form):
    purpose = forms.ChoiceField(label=_("What would you like to talk about?"), choices=Purpose.choices,
                                widget=forms.RadioSelect)
    posting_id = forms.TypedChoiceField(label=_("Which job?"), coerce=int, required=False, empty_value=None,
                                        help_text=_("Only if you chose a job you have saved."))
    text = forms.CharField(label=_("Tell us a little more"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    slot = forms.ChoiceField(label=_("Choose a time"), widget=forms.RadioSelect)
    channel = forms.CharField(widget=forms.HiddenInput)
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    window = forms.IntegerField(widget=forms.HiddenInput, required=False)
    mark_optional = True

    def __init__(self, *args, saved_jobs=(), slots=(), names=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["posting_id"].choices = [("", _("Choose a job"))] + [(s.posting_id, s.posting.title)
                                                                       for s in saved_jobs]
        self.fields["slot"].choices = [(slot_value(s), slot_label(s, names or {})) for s in slots]


class MoveForm(forms.Form):
    slot = forms.ChoiceField(label=_("Choose a new time"), widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Why do you move the conversation?"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, slots=(), names=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [(slot_value(s), slot_label(s, names or {})) for s in slots]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why do you cancel the conversation?"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))


class AttendanceForm(forms.Form):
    status = forms.ChoiceField(label=_("Did the citizen come?"), widget=forms.RadioSelect,
                               choices=[(BookingStatus.HELD, _("Yes, the conversation was held")),
                                        (BookingStatus.NO_SHOW, _("No, the citizen did not come"))])


class WindowForm(forms.Form):
    opens_on = forms.DateField(label=_("Book from"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("Book by"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("What the conversation is about"), required=False, max_length=300)
    mark_optional = True


class MinutesForm(forms.Form):
    talked_about = forms.CharField(label=_("What we talked about"), max_length=4000,
                                   widget=forms.Textarea(attrs={"rows": 5}))
    agreement_1 = forms.CharField(label=_("Agreed activity 1"), required=False, max_length=200)
    agreement_1_due = forms.DateField(label=_("Deadline for activity 1"), required=False,
                                      widget=forms.DateInput(attrs={"type": "date"}))
    agreement_2 = forms.CharField(label=_("Agreed activity 2"), required=False, max_length=200)
    agreement_2_due = forms.DateField(label=_("Deadline for activity 2"), required=False,
                                      widget=forms.DateInput(attrs={"type": "date"}))
    agreement_3 = forms.CharField(label=_("Agreed activity 3"), required=False, max_length=200)
    agreement_3_due = forms.DateField(label=_("Deadline for activity 3"), required=False,
                                      widget=forms.DateInput(attrs={"type": "date"}))
    jobs_to_apply_for = forms.CharField(label=_("Jobs to apply for"), required=False, max_length=2000,
                                        widget=forms.Textarea(attrs={"rows": 3}),
                                        help_text=_("One job per line, from the search or the citizen's feed."))
    next_conversation = forms.CharField(label=_("Next conversation"), required=False, max_length=300)
    mark_optional = True

    def agreements(self) -> list[tuple[str, datetime.date | None]]:
        data = self.cleaned_data
        return [(data.get(f"agreement_{n}") or "", data.get(f"agreement_{n}_due")) for n in (1, 2, 3)]


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Your comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class AvailabilityForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Weekday"), coerce=int, choices=[
        (0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")), (4, _("Friday"))])
    starts = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))
    physical = forms.BooleanField(label=_("At the job centre"), required=False, initial=True)
    video = forms.BooleanField(label=_("Video"), required=False, initial=True)
    phone = forms.BooleanField(label=_("Phone"), required=False, initial=True)
    location = forms.TypedChoiceField(label=_("Meeting place"), coerce=int, required=False, empty_value=None)
    mark_optional = True

    def __init__(self, *args, locations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].choices = [("", "—")] + [(loc.pk, str(loc)) for loc in locations]


class MessageForm(forms.Form):
    text = forms.CharField(label=_("Your message to the job centre"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}))


VIDEO_PROVIDER_LABELS = {
    "room": _("A video room made for each conversation (e.g. the municipality's Jitsi)"),
    "pasted": _("The adviser pastes a link from the municipality's own video system"),
}


class BookingSettingsForm(forms.ModelForm):
    """The municipality's booking policy; bounds come from the model's validators (Danish messages)."""

    video_provider = forms.ChoiceField(label=_("Video meetings"))
    closed_optional_days = forms.MultipleChoiceField(
        label=_("Also closed on"), required=False, choices=OPTIONAL_DAYS, widget=forms.CheckboxSelectMultiple,
        help_text=_("Public holidays are always closed. Choose the other days the job centre is closed."))

    class Meta:
        model = BookingSettings
        fields = ["slot_minutes", "notice_working_days", "buffer_minutes", "daily_cap_per_adviser",
                  "video_provider", "closed_optional_days", "retention_days"]

    def __init__(self, *args, provider_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["video_provider"].choices = [(name, VIDEO_PROVIDER_LABELS.get(name, name))
                                                 for name in provider_names]


class LocationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("E.g. Jobcenter Aarhus, Fredensgade"))
    address = forms.CharField(label=_("Address"), max_length=300)
    room = forms.CharField(label=_("Room"), max_length=100, required=False)
    mark_optional = True


class AbsenceForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    starts = forms.TimeField(label=_("From"), required=False, widget=forms.TimeInput(attrs={"type": "time"}),
                             help_text=_("Leave both times empty for the whole day."))
    ends = forms.TimeField(label=_("Until"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    reason = forms.CharField(label=_("Reason (only staff see it)"), max_length=200, required=False)
    mark_optional = True
