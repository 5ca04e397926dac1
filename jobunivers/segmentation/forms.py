from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AgeBand, BenefitType, EducationLevel
from .services import COMMENT_MAX_LENGTH


class DisagreeForm(forms.Form):
    comment = forms.CharField(
        label=_("Why do you disagree?"), max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-input"}),
        help_text=_("A staff member reads your comment before your track is decided."),
    )


class DecisionForm(forms.Form):
    track = forms.TypedChoiceField(label=_("Track"), coerce=int, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-input"}),
        help_text=_("Required when you change the suggested track. The citizen can see it."),
    )

    def __init__(self, *args, tracks, language="da", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].choices = [
            (t.pk, t.name_en if language == "en" else t.name_da) for t in tracks]


class ConsultantForm(forms.Form):
    consultant = forms.TypedChoiceField(label=_("Personal job consultant"), coerce=int,
                                        widget=forms.Select(attrs={"class": "form-select"}))
    reason = forms.CharField(label=_("Reason"), max_length=COMMENT_MAX_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 2, "class": "form-input"}))

    def __init__(self, *args, consultants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultant"].choices = consultants


class FairnessGroupDefinitionForm(forms.Form):
    """A group defined by attributes the platform already holds (all optional; the service checks
    them and gives the errors). Gender, origin and other protected attributes are not offered."""

    mark_optional = True
    postcode_from = forms.CharField(label=_("Postcode from"), required=False, max_length=4,
                                    help_text=_("A range of postcodes, e.g. 8210 to 8220."))
    postcode_to = forms.CharField(label=_("Postcode to"), required=False, max_length=4)
    age_bands = forms.MultipleChoiceField(label=_("Age bands"), choices=AgeBand.choices, required=False,
                                          widget=forms.CheckboxSelectMultiple)
    benefit_types = forms.MultipleChoiceField(label=_("Benefit types"), choices=BenefitType.choices, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    education_levels = forms.MultipleChoiceField(label=_("Education levels"),
                                                 choices=[c for c in EducationLevel.choices if c[0]],
                                                 required=False, widget=forms.CheckboxSelectMultiple)
