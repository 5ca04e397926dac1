from django import forms
from django.utils.translation import gettext_lazy as _


class ConfirmationForm(forms.Form):
    confirm = forms.BooleanField(label=_("I confirm that I am available for work and looking for a job"),
                                 error_messages={"required": _("Tick the box to confirm.")})
    comment = forms.CharField(
        label=_("Comment for the job centre (optional)"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
