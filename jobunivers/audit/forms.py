from django import forms
from django.utils.translation import gettext_lazy as _


class ConsentForm(forms.Form):
    personalisation = forms.BooleanField(
        label=_("Use how I use the platform to personalise what I am shown"), required=False,
        help_text=_("Off until you turn it on. You can turn it off again at any time."),
    )
    people_like_you = forms.BooleanField(
        label=_("Show me what worked for people with a profile like mine"), required=False,
        help_text=_("On your start page: which jobs others seeking the same kind of occupation found, and which "
                    "courses they used, counted only from at least 20 people and never naming anyone. Off until "
                    "you turn it on."),
    )
    object_to_profiling = forms.BooleanField(
        label=_("I object to profiling"), required=False,
        help_text=_("Then no suggested track or job match is calculated from a profile of you; "
                    "a caseworker decides without it."),
    )


class ErasureForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my account is closed and my data erased, except what the law requires us to keep"),
        required=True, error_messages={"required": _("Tick the box to confirm that you want your data erased.")},
    )
