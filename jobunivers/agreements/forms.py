"""Forms of the agreement and statement pages. Amounts are typed in kroner ("1.234,50") and become
whole øre here; the services check everything again."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .engine import ore_from_kroner
from .models import BilledUse, PaymentModel


class KronerField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.update({"maxlength": "20", "inputmode": "decimal"})

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            if len(text) > 20:
                raise ValueError(text)
            return ore_from_kroner(text)
        except ValueError as error:
            raise forms.ValidationError(_("Write an amount in kroner, for example 1.250,00.")) from error


class AgreementForm(forms.Form):
    offer = forms.TypedChoiceField(label=_("Offer"), coerce=int)
    payment_model = forms.ChoiceField(label=_("Payment model"), choices=PaymentModel.choices)
    billed_use = forms.ChoiceField(label=_("What counts as a use (pay per use)"), choices=BilledUse.choices,
                                   initial=BilledUse.LAUNCHED)
    outcome_weeks = forms.IntegerField(label=_("Weeks for a result (outcome-based)"), required=False, min_value=1,
                                       max_value=104)
    reference = forms.CharField(label=_("Your reference (optional)"), required=False, max_length=100)

    def __init__(self, *args, offers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].choices = [("", _("Choose an offer"))] + [
            (offer.pk, f"{offer.vendor.name}: {offer.published_version.title if offer.published_version else offer.pk}")
            for offer in offers]


class RateForm(forms.Form):
    valid_from = forms.DateField(label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(label=_("Valid to (empty: until further notice)"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))
    amount = KronerField(label=_("Amount in kroner"), help_text=_(
        "Per month (flat rate), per citizen per month (subscription), per use, per hour, or the base fee per "
        "enrolment (outcome-based)."))
    result_fee = KronerField(label=_("Result fee in kroner"), required=False, help_text=_(
        "Paid when the citizen leaves unemployment for a job within the agreement's weeks."))

    AMOUNT_LABELS: dict[str, Any] = {
        PaymentModel.FLAT: _("Amount per month in kroner"),
        PaymentModel.SUBSCRIPTION: _("Amount per enrolled citizen per month in kroner"),
        PaymentModel.PER_USE: _("Amount per use in kroner"),
        PaymentModel.PER_HOUR: _("Amount per hour in kroner"),
        PaymentModel.OUTCOME: _("Base fee per enrolment in kroner"),
    }

    def __init__(self, *args, payment_model: str | None = None, **kwargs):
        """With the agreement's payment model, the amount is named for what it pays, and the result fee is
        asked only of an outcome-based agreement."""
        super().__init__(*args, **kwargs)
        if payment_model is None:
            return
        if payment_model in self.AMOUNT_LABELS:
            self.fields["amount"].label = self.AMOUNT_LABELS[payment_model]
            self.fields["amount"].help_text = ""
        if payment_model != PaymentModel.OUTCOME:
            del self.fields["result_fee"]
        else:
            self.fields["result_fee"].required = True
            self.fields["result_fee"].error_messages["required"] = _("Give the result fee in kroner, 0 or more.")

    def clean(self):
        data = super().clean()
        data.setdefault("result_fee", None)
        return data


class RateEndForm(forms.Form):
    valid_to = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))


def parse_month(value: str) -> datetime.date | None:
    match = re.fullmatch(r"(\d{4})-(\d{2})", (value or "").strip())
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return datetime.date(year, month, 1)


class StatementForm(forms.Form):
    vendor = forms.TypedChoiceField(label=_("Vendor"), coerce=int)
    month = forms.CharField(label=_("Month"), max_length=7, widget=forms.TextInput(attrs={"type": "month"}),
                            help_text=_("For example 2026-03."))

    def __init__(self, *args, vendors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].choices = [("", _("Choose a vendor"))] + list(vendors)

    def clean_month(self):
        month = parse_month(self.cleaned_data["month"])
        if month is None:
            raise forms.ValidationError(_("Write the month as year and month, for example 2026-03."))
        return month


class DisputeForm(forms.Form):
    reason = forms.CharField(label=_("What is wrong?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
