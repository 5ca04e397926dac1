"""Forms of outcomes: a citizen's "Jeg har fået job" and a job adviser's recorded period.

The occupation of the job is found by words, not picked from the taxonomy's 3,000 occupations in one
list (that list made the citizen's page 174 kB and a select no phone can scroll through): the
citizen's own wished occupations are offered at once, and a few words ("lager", "sosu") give the
occupations they name to choose from. Without JavaScript: the "Find the occupation" button sends the
form back with those choices, and nothing is saved until the main button is pressed.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import ExitReason

OCCUPATION_MATCHES = 8  # occupations offered for the words typed
FIND = "find"  # the name of the "Find the occupation" button: show the matches, save nothing
# "Not given" chosen by hand. Not "": Django checks the radio of "" when nothing is chosen, and then
# words typed without a choice could not be told from a deliberate "Not given".
NOT_GIVEN = "none"


def _occupation_id(value: str) -> int | None:
    return None if value == NOT_GIVEN else int(value)


def occupation_field(*, label, help_text) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, required=False, coerce=_occupation_id, empty_value=None, help_text=help_text,
                                  widget=forms.RadioSelect,
                                  error_messages={"invalid_choice": _("Choose an occupation from the list.")})


def occupation_query_field() -> forms.CharField:
    return forms.CharField(label=_("Find the occupation"), required=False, max_length=200,
                           help_text=_("Write what the job is called, for example “lager” or “sygeplejerske”, "
                                       "press “Find the occupation” and choose it below."))


def occupation_matches(query: str) -> list[tuple[int, str]]:
    """The released occupations the words name, best first: the profile's occupation typeahead
    (citizens.selectors.occupation_choices, label matches only, so the answer never waits for a model)."""
    from jobunivers.citizens.selectors import occupation_choices

    return [(found["pk"], str(found["label"])) for found in occupation_choices(query=" ".join(query.split()),
                                                                               limit=OCCUPATION_MATCHES)]


class OccupationByWordsMixin:
    """`job_occupation` as radio buttons: "Not given", the `wished` occupations and the matches of
    the words in `job_occupation_query`. Words without a choice are an error that shows the matches
    (or says that nothing matched); nothing is guessed for the person."""

    def _offer_occupations(self, wished: list[tuple[int, str]] | None) -> None:
        source = self.data if self.is_bound else self.initial  # type: ignore[attr-defined]
        query = str(source.get(self.add_prefix("job_occupation_query"), "") or "")[:200]  # type: ignore[attr-defined]
        self.occupation_query = " ".join(query.split())
        self.matches = occupation_matches(self.occupation_query)
        offered = dict(wished or [])
        for pk, label in self.matches:
            offered.setdefault(pk, label)
        self.fields["job_occupation"].choices = [  # type: ignore[attr-defined]
            (NOT_GIVEN, pgettext_lazy("job occupation", "Not given")), *offered.items()]

    def clean(self) -> dict:
        data = super().clean()  # type: ignore[misc]
        chosen_by_hand = self.data.get(self.add_prefix("job_occupation")) == NOT_GIVEN  # type: ignore[attr-defined]
        if data.get("job_occupation") is None and not chosen_by_hand and self.occupation_query \
                and "job_occupation_query" not in self.errors:  # type: ignore[attr-defined]  # too long: said already
            if self.matches:
                self.add_error("job_occupation", _("Choose the occupation that fits the job, or “Not given”."))  # type: ignore[attr-defined]
            else:
                self.add_error("job_occupation_query", _(  # type: ignore[attr-defined]
                    "We found no occupation for “%(words)s”. Try another word, or leave the field empty.")
                    % {"words": self.occupation_query})
        return data


class OwnJobForm(OccupationByWordsMixin, forms.Form):
    started_job_on = forms.DateField(label=_("The day you start in the job"),
                                     widget=forms.DateInput(attrs={"type": "date"}),
                                     error_messages={"required": _("Enter the day you start."),
                                                     "invalid": _("Enter a date like 31-01-2026.")})
    job_occupation_query = occupation_query_field()  # before the choices: the matches appear below the button
    job_occupation = occupation_field(label=_("What is the job? (optional)"),
                                      help_text=_("The occupation helps others with a profile like yours see which "
                                                  "jobs people found. You may leave it empty."))

    def __init__(self, *args: Any, wished: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._offer_occupations(wished)


class StaffSpellForm(OccupationByWordsMixin, forms.Form):
    started_on = forms.DateField(label=_("Unemployed from"), widget=forms.DateInput(attrs={"type": "date"}),
                                 error_messages={"required": _("Enter the day the unemployment started."),
                                                 "invalid": _("Enter a date like 31-01-2026.")})
    ended_on = forms.DateField(label=_("Unemployment ended on"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}),
                               help_text=_("Leave empty if the citizen is still unemployed."),
                               error_messages={"invalid": _("Enter a date like 31-01-2026.")})
    exit_reason = forms.ChoiceField(label=_("Why it ended"), required=False,
                                    choices=[("", _("Not ended"))] + list(ExitReason.choices))
    job_occupation_query = occupation_query_field()
    job_occupation = occupation_field(label=_("Occupation of the job (optional)"),
                                      help_text=_("Only when the unemployment ended with a job."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._offer_occupations(None)


def unsaved_copy(form_class, data, **kwargs):
    """The form as typed, unbound (no errors shown), for the "Find the occupation" button: the matches
    of the words are offered and nothing is saved."""
    fields = [name for name in form_class.base_fields if name != "job_occupation"]
    return form_class(initial={name: data.get(name, "") for name in fields}, **kwargs)
