from django import forms
from django.utils.translation import gettext_lazy as _

from .contracts import KINDS, OPTIONAL_CHANNELS, Frequency
from .models import Channel
from .models import Frequency as FrequencyChoices

KIND_LABELS = {
    "job_match": _("Jobs that match me"),
    "job_suggestion": _("Jobs the job centre suggests"),
    "summons": _("Summons to conversations"),
    "availability": _("Job log and availability"),
    "message": _("Messages from the job centre"),
    "general": _("News from the job centre"),
    "feedback": _("Questions about my experience"),
    "learning": _("Reminders to continue a learning module"),
    "coffee": _("Coffee meetings with employers"),
    "journey": _("Steps and reminders of my journey"),
    "internship": _("Internships with employers"),
}


def field_name(kind: str, channel: str) -> str:
    return f"{kind}__{channel}"


class PreferencesForm(forms.Form):
    """One choice per (kind, channel), plus quiet hours for push and text messages."""

    quiet_from = forms.TimeField(label=_("Quiet from"), required=False,
                                 widget=forms.TimeInput(attrs={"type": "time", "class": "form-input"}))
    quiet_until = forms.TimeField(label=_("Quiet until"), required=False,
                                  widget=forms.TimeInput(attrs={"type": "time", "class": "form-input"}))

    def __init__(self, *args, current: dict[tuple[str, str], str], **kwargs):
        super().__init__(*args, **kwargs)
        channel_labels = dict(Channel.choices)
        for kind in KINDS:
            for channel in OPTIONAL_CHANNELS:
                self.fields[field_name(kind, channel)] = forms.ChoiceField(
                    label=f"{KIND_LABELS.get(kind, kind)}: {channel_labels[channel]}",
                    choices=FrequencyChoices.choices, initial=current.get((kind, channel), Frequency.OFF),
                    widget=forms.Select(attrs={"class": "form-select"}),
                )

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("quiet_from")) != bool(cleaned.get("quiet_until")):
            raise forms.ValidationError(_("Give both a start and an end for quiet hours, or neither."))
        if cleaned.get("quiet_from") and cleaned.get("quiet_from") == cleaned.get("quiet_until"):
            raise forms.ValidationError(_("Quiet hours must start and end at different times."))
        return cleaned

    def choices(self) -> dict[tuple[str, str], str]:
        return {(kind, channel): self.cleaned_data[field_name(kind, channel)]
                for kind in KINDS for channel in OPTIONAL_CHANNELS}

    def rows(self):
        """(kind label, [bound field per channel]) for the table."""
        return [(KIND_LABELS.get(kind, kind), [self[field_name(kind, channel)] for channel in OPTIONAL_CHANNELS])
                for kind in KINDS]


class PushSubscriptionForm(forms.Form):
    endpoint = forms.URLField(max_length=1000, assume_scheme="https")
    p256dh = forms.CharField(max_length=200)
    auth = forms.CharField(max_length=100)
