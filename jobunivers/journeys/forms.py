"""Forms of the journey builder. They only parse: every rule (ranges, weights, branches) is checked in services,
whose Danish messages are shown on the fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Condition, StepKind
from .selectors import track_names

ARM_COUNT = 2


class JourneyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=400)
    why = forms.CharField(label=_("Why citizens are on it (shown to them)"), max_length=1000,
                          widget=forms.Textarea(attrs={"rows": 2}),
                          help_text=_("E.g. “You are new as a job seeker, so we send you a few tips in your "
                                      "first weeks.”"))
    track_key = forms.ChoiceField(label=_("Follow-up track"), choices=())
    is_active = forms.BooleanField(label=_("Enrol new citizens"), required=False, initial=True)

    def __init__(self, *args, municipality_id: int, instance=None, **kwargs):
        if instance is not None and not args[0]:
            kwargs["initial"] = {"name": instance.name, "why": instance.why, "track_key": instance.track_key,
                                 "is_active": instance.is_active}
        super().__init__(*args, **kwargs)
        track_field: forms.ChoiceField = self.fields["track_key"]  # type: ignore[assignment]
        names = track_names(municipality_id)
        track_field.choices = [(key, names[key]) for key in sorted(names, key=names.__getitem__)]
        if instance is None:
            del self.fields["is_active"]


def _whole(label, *, required: bool = False, help_text=""):
    # Parsed as text: services say in Danish what is wrong with a number (negative, too large).
    return forms.CharField(label=label, required=required, max_length=12, help_text=help_text,
                           widget=forms.TextInput(attrs={"inputmode": "numeric"}))


class StepForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the step does"), choices=StepKind.choices)
    title = forms.CharField(label=_("Title"), max_length=400)
    body = forms.CharField(label=_("Text"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("For a checklist, write one point per line."))
    target = forms.CharField(label=_("Offer or module number"), required=False, max_length=200,
                             help_text=_("Only for steps that share an offer or a learning module: the number in "
                                         "its address."))
    wait_days = _whole(_("Wait before the step (days)"), required=True)
    weekdays_only = forms.BooleanField(label=_("Count weekdays only"), required=False)
    condition = forms.ChoiceField(label=_("Condition"), choices=Condition.choices, required=False)
    condition_days = _whole(_("Days to meet the condition"))
    reminder_after_days = _whole(_("Reminder after (days)"),
                                 help_text=_("Empty: no reminder. Sent once if the condition is not met yet."))
    next_if_met = _whole(_("Then go to step"), help_text=_("Empty: the next step. 0: end the journey."))
    next_if_not = _whole(_("Otherwise go to step"), help_text=_("Empty: the next step. 0: end the journey."))
    mandatory = forms.BooleanField(label=_("Mandatory (the citizen cannot opt out)"), required=False)

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None and not args[0]:
            kwargs["initial"] = {name: getattr(instance, name) for name in self.base_fields}
        elif not args[0]:
            kwargs["initial"] = {"wait_days": 0, "condition_days": 7, "condition": Condition.NONE}
        super().__init__(*args, **kwargs)


class ExperimentForm(forms.Form):
    key = forms.CharField(label=_("Experiment key"), max_length=200,
                          help_text=_("Small letters, digits and hyphens. It decides the arms: never reuse it."))
    name = forms.CharField(label=_("Name"), max_length=400)
    step = forms.ChoiceField(label=_("What is tested"), required=False)
    holdout_percent = _whole(_("Holdout (percent who get no journey)"),
                             help_text=_("A comparison group that gets no steps at all, from 0 to 50 percent."))

    def __init__(self, *args, steps, experiment=None, **kwargs):
        initial = {}
        self.steps = list(steps)
        if experiment is not None:
            initial = {"key": experiment.key, "name": experiment.name, "holdout_percent": experiment.holdout_percent,
                       "step": experiment.step.position if experiment.step else ""}
            positions = {s.pk: s.position for s in self.steps}
            for index, variant in enumerate(list(experiment.variants.all())[:ARM_COUNT], start=1):
                for name in ("key", "name", "weight", "title", "body", "wait_days"):
                    initial[f"variant_{index}_{name}"] = getattr(variant, name)
                for text in variant.texts.all():
                    if text.step_id in positions:
                        initial[f"variant_{index}_step_{positions[text.step_id]}_title"] = text.title
                        initial[f"variant_{index}_step_{positions[text.step_id]}_body"] = text.body
        else:
            initial = {"holdout_percent": 0, "variant_1_key": "a", "variant_1_weight": 50,
                       "variant_2_key": "b", "variant_2_weight": 50}
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [("", _("The whole journey (the arms change the waits and each step's "
                                              "text)"))] + [
            (str(s.position), _("Step %(position)s: %(title)s") % {"position": s.position, "title": s.title})
            for s in self.steps]
        for index in range(1, ARM_COUNT + 1):
            number = {"number": index}
            self.fields[f"variant_{index}_key"] = forms.CharField(label=_("Arm %(number)s: key") % number,
                                                                  max_length=40)
            self.fields[f"variant_{index}_name"] = forms.CharField(label=_("Arm %(number)s: name") % number,
                                                                   max_length=400)
            self.fields[f"variant_{index}_weight"] = _whole(_("Arm %(number)s: weight (percent)") % number,
                                                            required=True)
            self.fields[f"variant_{index}_title"] = forms.CharField(
                label=_("Arm %(number)s: the step's title") % number, required=False, max_length=400,
                help_text=_("Only in an experiment on one step. Empty: the step's own title."))
            self.fields[f"variant_{index}_body"] = forms.CharField(
                label=_("Arm %(number)s: the step's text") % number, required=False, max_length=4000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("Only in an experiment on one step. Empty: the step's own text."))
            self.fields[f"variant_{index}_wait_days"] = _whole(
                _("Arm %(number)s: wait (days)") % number, help_text=_("Empty: the step's own wait."))
        for index in range(1, ARM_COUNT + 1):
            for s in self.steps:
                names = {"number": index, "position": s.position}
                self.fields[f"variant_{index}_step_{s.position}_title"] = forms.CharField(
                    label=_("Arm %(number)s, step %(position)s: title") % names, required=False, max_length=400,
                    help_text=_("Empty: the step's own title, “%(title)s”.") % {"title": s.title})
                self.fields[f"variant_{index}_step_{s.position}_body"] = forms.CharField(
                    label=_("Arm %(number)s, step %(position)s: text") % names, required=False, max_length=4000,
                    widget=forms.Textarea(attrs={"rows": 3}), help_text=_("Empty: the step's own text."))

    def _is_step_text(self, name: str) -> bool:
        return name.startswith("variant_") and "_step_" in name

    def main_fields(self):
        """The experiment and its arms (drawn first)."""
        return [self[name] for name in self.fields if not self._is_step_text(name)]

    def arm_texts(self) -> list[dict]:
        """Per arm, each step with the arm's title and text fields (a whole-journey experiment's texts)."""
        return [{"number": index, "steps": [
            {"step": s, "title": self[f"variant_{index}_step_{s.position}_title"],
             "body": self[f"variant_{index}_step_{s.position}_body"]} for s in self.steps]}
            for index in range(1, ARM_COUNT + 1)]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {"key": data["key"], "name": data["name"], "step_position": data.get("step") or None,
                "holdout_percent": data.get("holdout_percent"),
                "variants": [{**{name: data.get(f"variant_{index}_{name}")
                                 for name in ("key", "name", "weight", "title", "body", "wait_days")},
                              "texts": {s.position: {"title": data.get(f"variant_{index}_step_{s.position}_title"),
                                                     "body": data.get(f"variant_{index}_step_{s.position}_body")}
                                        for s in self.steps}}
                             for index in range(1, ARM_COUNT + 1)]}
