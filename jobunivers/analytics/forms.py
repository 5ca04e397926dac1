from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ExitReason


class OwnJobForm(forms.Form):
    started_job_on = forms.DateField(label=_("The day you start in the job"),
                                     widget=forms.DateInput(attrs={"type": "date"}),
                                     error_messages={"required": _("Enter the day you start."),
                                                     "invalid": _("Enter a date like 31-01-2026.")})


class StaffSpellForm(forms.Form):
    started_on = forms.DateField(label=_("Unemployed from"), widget=forms.DateInput(attrs={"type": "date"}),
                                 error_messages={"required": _("Enter the day the unemployment started."),
                                                 "invalid": _("Enter a date like 31-01-2026.")})
    ended_on = forms.DateField(label=_("Unemployment ended on"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}),
                               help_text=_("Leave empty if the citizen is still unemployed."),
                               error_messages={"invalid": _("Enter a date like 31-01-2026.")})
    exit_reason = forms.ChoiceField(label=_("Why it ended"), required=False,
                                    choices=[("", _("Not ended"))] + list(ExitReason.choices))
