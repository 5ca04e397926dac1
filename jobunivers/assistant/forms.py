from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Audience
from .text import MAX_QUESTION

LONG = MAX_QUESTION * 20  # longer input is refused by the field with a clear message, never stored


class QuestionForm(forms.Form):
    q = forms.CharField(
        label=_("Your question"), max_length=MAX_QUESTION, strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        help_text=_("Ask about the rules, for example: How long can I get dagpenge? Do not write your CPR number."),
        error_messages={"required": _("Write your question first."),
                        "max_length": _("Your question is too long. Please write it in at most %(limit_value)s "
                                        "characters.")},
    )
    attempt = forms.IntegerField(required=False, min_value=0, max_value=1, widget=forms.HiddenInput)
    previous = forms.CharField(required=False, max_length=LONG, widget=forms.HiddenInput)
    tried = forms.CharField(required=False, max_length=900, widget=forms.HiddenInput)


class HandoffForm(forms.Form):
    reason = forms.ChoiceField(choices=[("handoff", "handoff"), ("own_case", "own_case"), ("crisis", "crisis")])
    q = forms.CharField(max_length=LONG, required=False)
    previous = forms.CharField(max_length=LONG, required=False)
    tried = forms.CharField(max_length=900, required=False)


class FeedbackForm(forms.Form):
    token = forms.CharField(max_length=32)
    helpful = forms.ChoiceField(choices=[("yes", "yes"), ("no", "no")])


class LocalCardForm(forms.Form):
    key = forms.SlugField(label=_("Key"), max_length=80,
                          help_text=_("Use the key of a national card to replace it in this municipality."))
    topic = forms.CharField(label=_("Topic"), max_length=60, initial="local")
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    title_da = forms.CharField(label=_("Title (Danish)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    short_da = forms.CharField(label=_("Short answer (Danish)"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    short_en = forms.CharField(label=_("Short answer (English)"), max_length=1000,
                               widget=forms.Textarea(attrs={"rows": 3}))
    long_da = forms.CharField(label=_("Longer answer (Danish)"), max_length=4000, required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))
    long_en = forms.CharField(label=_("Longer answer (English)"), max_length=4000, required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))
    variants = forms.CharField(label=_("Question variants, one a line"), max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 4}))
    sources = forms.CharField(label=_("Sources, one a line: title | https address"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    legal_refs = forms.CharField(label=_("Legal references, one a line"), max_length=2000, required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    valid_from = forms.DateField(label=_("Valid from"))
    valid_to = forms.DateField(label=_("Valid to"), required=False)
    needs_assessment = forms.BooleanField(label=_("Needs an individual assessment"), required=False)

    def clean_variants(self):
        lines = [" ".join(v.split()) for v in self.cleaned_data["variants"].splitlines() if v.strip()]
        if not lines:
            raise forms.ValidationError(_("Write at least one way a citizen asks."))
        return lines[:30]

    def clean_sources(self):
        out = []
        for line in self.cleaned_data["sources"].splitlines():
            if not line.strip():
                continue
            title, _sep, url = line.rpartition("|")
            url = url.strip()
            if not url.startswith("https://") or not title.strip():
                raise forms.ValidationError(_("Write each source as: title | https://address"))
            out.append({"title": title.strip()[:200], "url": url[:500]})
        return out

    def clean_legal_refs(self):
        return [line.strip()[:200] for line in self.cleaned_data["legal_refs"].splitlines() if line.strip()][:10]

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data.get("valid_to") and data["valid_to"] < data["valid_from"]:
            self.add_error("valid_to", _("The end date must be on or after the start date."))
        return data

    @classmethod
    def initial_for(cls, card) -> dict:
        return {"key": card.key, "topic": card.topic, "audience": card.audience, "title_da": card.title_da,
                "title_en": card.title_en, "short_da": card.short_da, "short_en": card.short_en,
                "long_da": card.long_da, "long_en": card.long_en, "variants": "\n".join(card.variants or []),
                "sources": "\n".join(f"{s.get('title', '')} | {s.get('url', '')}" for s in card.sources or []),
                "legal_refs": "\n".join(card.legal_refs or []), "valid_from": card.valid_from,
                "valid_to": card.valid_to, "needs_assessment": card.needs_assessment}
