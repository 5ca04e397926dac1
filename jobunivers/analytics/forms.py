from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import ExitReason


def occupation_field(*, label, help_text) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, required=False, coerce=int, empty_value=None, help_text=help_text,
                                  error_messages={"invalid_choice": _("Choose an occupation from the list.")})


def occupation_choices(*, first: list[tuple[int, str]] | None = None) -> list:
    """The taxonomy's released occupations (memoised there), the citizen's wished occupations first."""
    from jobunivers.taxonomy.selectors import occupation_choices as all_occupations

    everything = [(pk, str(label)) for pk, label in all_occupations()]
    choices: list = [("", pgettext_lazy("job occupation", "Not given"))]
    if first:
        choices.append((_("The occupations you seek"), first))
        choices.append((_("All occupations"), everything))
    else:
        choices += everything
    return choices


class OwnJobForm(forms.Form):
    started_job_on = forms.DateField(label=_("The day you start in the job"),
                                     widget=forms.DateInput(attrs={"type": "date"}),
                                     error_messages={"required": _("Enter the day you start."),
                                                     "invalid": _("Enter a date like 31-01-2026.")})
    job_occupation = occupation_field(label=_("What is the job? (optional)"),
                                      help_text=_("The occupation helps others with a profile like yours see which "
                                                  "jobs people found. You may leave it empty."))

    def __init__(self, *args: Any, wished: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["job_occupation"].choices = occupation_choices(first=wished)  # type: ignore[attr-defined]


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
    job_occupation = occupation_field(label=_("Occupation of the job (optional)"),
                                      help_text=_("Only when the unemployment ended with a job."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["job_occupation"].choices = occupation_choices()  # type: ignore[attr-defined]
