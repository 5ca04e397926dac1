from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DismissReason


class DismissForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why is it not relevant? (optional)"), choices=DismissReason.choices,
                               required=False)
