"""Forms of the journey builder. They only parse: every rule (ranges, weights, branches) is checked in services,
whose Danish messages are shown on the fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Condition, StepKind
from .selectors import track_names
from .services import ARMS_MAX, ARMS_MIN


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


ARM_FIELDS = ("key", "name", "weight", "title", "body", "wait_days")
ADD_ARM, REMOVE_ARM = "add", "remove"


def _arm_count(value, default: int = ARMS_MIN) -> int:
    """The number of arm fieldsets to draw; posted by the page, so bounded and never trusted further."""
    try:
        return min(max(int(str(value)), ARMS_MIN), ARMS_MAX)
    except (TypeError, ValueError):
        return default


class ExperimentForm(forms.Form):
    """The experiment and its 2 to ARMS_MAX arms. The page draws `arm_count` arms (two for a new experiment, all
    of a saved one); "Add an arm" and "Remove arm N" post the form back to be drawn with one more or one fewer
    (`resized`), so it works without JavaScript. Arms 3 and 4 left completely empty are left out; one partly
    filled is sent on, and services name it."""

    key = forms.CharField(label=_("Experiment key"), max_length=200,
                          help_text=_("Small letters, digits and hyphens. It decides the arms: never reuse it."))
    name = forms.CharField(label=_("Name"), max_length=400)
    step = forms.ChoiceField(label=_("What is tested"), required=False)
    holdout_percent = _whole(_("Holdout (percent who get no journey)"),
                             help_text=_("A comparison group that gets no steps at all, from 0 to 50 percent."))
    arm_count = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, steps, experiment=None, **kwargs):
        initial = {}
        self.steps = list(steps)
        data = args[0] if args else kwargs.get("data")
        if experiment is not None:
            variants = list(experiment.variants.all())
            initial = {"key": experiment.key, "name": experiment.name, "holdout_percent": experiment.holdout_percent,
                       "step": experiment.step.position if experiment.step else ""}
            positions = {s.pk: s.position for s in self.steps}
            for index, variant in enumerate(variants, start=1):
                for name in ARM_FIELDS:
                    initial[f"variant_{index}_{name}"] = getattr(variant, name)
                for text in variant.texts.all():
                    if text.step_id in positions:
                        initial[f"variant_{index}_step_{positions[text.step_id]}_title"] = text.title
                        initial[f"variant_{index}_step_{positions[text.step_id]}_body"] = text.body
            count = _arm_count(len(variants))
        else:
            initial = {"holdout_percent": 0, "variant_1_key": "a", "variant_1_weight": 50,
                       "variant_2_key": "b", "variant_2_weight": 50}
            count = ARMS_MIN
        initial = kwargs.pop("initial", None) or initial
        if data:
            count = _arm_count(data.get("arm_count"), default=count)
        elif "arm_count" in initial:
            count = _arm_count(initial["arm_count"], default=count)
        self.number_of_arms = count
        initial["arm_count"] = count
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["step"].choices = [("", _("The whole journey (the arms change the waits and each step's "
                                              "text)"))] + [
            (str(s.position), _("Step %(position)s: %(title)s") % {"position": s.position, "title": s.title})
            for s in self.steps]
        for index in self.arm_numbers:
            number = {"number": index}
            # Arms 3 and 4 are optional on the page: left empty, they are left out (service_arguments).
            required = index <= ARMS_MIN
            self.fields[f"variant_{index}_key"] = forms.CharField(label=_("Arm %(number)s: key") % number,
                                                                  max_length=40, required=required)
            self.fields[f"variant_{index}_name"] = forms.CharField(label=_("Arm %(number)s: name") % number,
                                                                   max_length=400, required=required)
            self.fields[f"variant_{index}_weight"] = _whole(_("Arm %(number)s: weight (percent)") % number,
                                                            required=required)
            self.fields[f"variant_{index}_title"] = forms.CharField(
                label=_("Arm %(number)s: the step's title") % number, required=False, max_length=400,
                help_text=_("Only in an experiment on one step. Empty: the step's own title."))
            self.fields[f"variant_{index}_body"] = forms.CharField(
                label=_("Arm %(number)s: the step's text") % number, required=False, max_length=4000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("Only in an experiment on one step. Empty: the step's own text."))
            self.fields[f"variant_{index}_wait_days"] = _whole(
                _("Arm %(number)s: wait (days)") % number, help_text=_("Empty: the step's own wait."))
        for index in self.arm_numbers:
            for s in self.steps:
                names = {"number": index, "position": s.position}
                self.fields[f"variant_{index}_step_{s.position}_title"] = forms.CharField(
                    label=_("Arm %(number)s, step %(position)s: title") % names, required=False, max_length=400,
                    help_text=_("Empty: the step's own title, “%(title)s”.") % {"title": s.title})
                self.fields[f"variant_{index}_step_{s.position}_body"] = forms.CharField(
                    label=_("Arm %(number)s, step %(position)s: text") % names, required=False, max_length=4000,
                    widget=forms.Textarea(attrs={"rows": 3}), help_text=_("Empty: the step's own text."))

    @classmethod
    def resized(cls, data, *, action: str, steps, experiment=None) -> ExperimentForm:
        """The form drawn again with what was typed and one arm more (ADD_ARM) or the last arm less
        (REMOVE_ARM); nothing is saved and no error is shown yet."""
        count = _arm_count(data.get("arm_count"))
        count = _arm_count(count + 1 if action == ADD_ARM else count - 1)
        initial = {name: value for name, value in data.items()
                   if name not in ("csrfmiddlewaretoken", "arm_action")}
        for name in list(initial):
            number = name.split("_")[1] if name.startswith("variant_") else ""
            if number and (not number.isdigit() or int(number) > count):
                del initial[name]
        if action == ADD_ARM and not initial.get(f"variant_{count}_key"):
            taken = {str(initial.get(f"variant_{index}_key") or "").strip().lower() for index in range(1, count)}
            initial[f"variant_{count}_key"] = next(letter for letter in "abcdefg" if letter not in taken)
        initial["arm_count"] = count
        return cls(steps=steps, experiment=experiment, initial=initial)

    @property
    def arm_numbers(self) -> range:
        return range(1, self.number_of_arms + 1)

    def experiment_fields(self):
        """The experiment's own fields (drawn first)."""
        return [self[name] for name in ("key", "name", "step", "holdout_percent")]

    def arms(self) -> list[dict]:
        """Per arm, its fields, whether it is optional, and whether it is the last one that may be removed."""
        return [{"number": index, "optional": index > ARMS_MIN,
                 "removable": index == self.number_of_arms and index > ARMS_MIN,
                 "fields": [self[f"variant_{index}_{name}"] for name in ARM_FIELDS]} for index in self.arm_numbers]

    @property
    def can_add_arm(self) -> bool:
        return self.number_of_arms < ARMS_MAX

    def arm_texts(self) -> list[dict]:
        """Per arm, each step with the arm's title and text fields (a whole-journey experiment's texts)."""
        return [{"number": index, "steps": [
            {"step": s, "title": self[f"variant_{index}_step_{s.position}_title"],
             "body": self[f"variant_{index}_step_{s.position}_body"]} for s in self.steps]}
            for index in self.arm_numbers]

    def _arm(self, index: int) -> dict:
        data = self.cleaned_data
        return {"number": index, **{name: data.get(f"variant_{index}_{name}") for name in ARM_FIELDS},
                "texts": {s.position: {"title": data.get(f"variant_{index}_step_{s.position}_title"),
                                       "body": data.get(f"variant_{index}_step_{s.position}_body")}
                          for s in self.steps}}

    @staticmethod
    def _is_empty(arm: dict) -> bool:
        return (all(str(arm[name] or "").strip() == "" for name in ARM_FIELDS)
                and all(str(value or "").strip() == "" for text in arm["texts"].values() for value in text.values()))

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        arms = [self._arm(index) for index in self.arm_numbers]
        # An optional arm nobody wrote in is left out; one partly filled goes on, so services name it.
        arms = [arm for index, arm in enumerate(arms, start=1) if index <= ARMS_MIN or not self._is_empty(arm)]
        return {"key": data["key"], "name": data["name"], "step_position": data.get("step") or None,
                "holdout_percent": data.get("holdout_percent"), "variants": arms}
