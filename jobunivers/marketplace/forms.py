"""Forms of the marketplace pages, drawn by Django's own rendering (the design system's form groups).
The services validate again and decide; the forms only parse and show the services' Danish errors."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Audience, ConsentField, LaunchMethod, OfferFormat, OfferKind, ProviderKind, Situation

ANY = [("", _("All"))]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=ANY + OfferKind.choices)
    format = forms.ChoiceField(label=_("Format"), required=False, choices=ANY + OfferFormat.choices)
    provider = forms.ChoiceField(label=_("From"), required=False, choices=ANY + ProviderKind.choices)
    mark_optional = False


class EnrolForm(forms.Form):
    consented_fields = forms.MultipleChoiceField(
        label=_("Share with the provider"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("The provider only gets a number that does not reveal who you are, unless you tick data here."))
    add_to_plan = forms.BooleanField(label=_("Put it in my plan"), required=False, initial=True)

    def __init__(self, *args, asked=(), **kwargs):
        super().__init__(*args, **kwargs)
        if asked:
            self.fields["consented_fields"].choices = [(c.value, c.label) for c in ConsentField if c.value in asked]
        else:
            del self.fields["consented_fields"]


class CurationForm(forms.Form):
    local_title = forms.CharField(label=_("Local title"), required=False, max_length=200,
                                  help_text=_("Leave empty to use the offer's own title."))
    local_summary = forms.CharField(label=_("Local summary"), required=False, max_length=500,
                                    widget=forms.Textarea(attrs={"rows": 2}))
    local_text = forms.CharField(label=_("Local text"), required=False, max_length=5000,
                                 widget=forms.Textarea(attrs={"rows": 4}),
                                 help_text=_("Shown above the offer's text, e.g. where and when it runs locally."))
    audience = forms.ChoiceField(label=_("Who sees it"), choices=Audience.choices, widget=forms.RadioSelect)
    audience_tracks = forms.MultipleChoiceField(label=_("Tracks"), required=False,
                                                widget=forms.CheckboxSelectMultiple)
    audience_isco = forms.CharField(label=_("Occupation groups (ISCO codes)"), required=False, max_length=300,
                                    help_text=_("For example 9334, 5120 or 93 for a whole group."))
    promotion_priority = forms.IntegerField(label=_("Promotion priority (0–100)"), required=False,
                                            help_text=_("0 is not promoted; 100 is shown first."))
    promoted_from = forms.DateField(label=_("Promoted from"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))
    promoted_until = forms.DateField(label=_("Promoted until"), required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}))
    version = forms.IntegerField(widget=forms.HiddenInput)
    mark_optional = True

    def __init__(self, *args, tracks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience_tracks"].choices = list(tracks)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Why is it withdrawn?"), max_length=500)


class ShareForm(forms.Form):
    offer = forms.TypedChoiceField(label=_("Offer"), coerce=int)
    note = forms.CharField(label=_("Note to the citizen"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))
    mark_optional = True

    def __init__(self, *args, offers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].choices = [("", _("Choose an offer"))] + [(e.id, e.title) for e in offers]


class OfferForm(forms.Form):
    """A version of an offer, as its provider writes it. Lists are typed with commas; the service checks."""

    kind = forms.ChoiceField(label=_("Kind"), choices=OfferKind.choices)
    title_da = forms.CharField(label=_("Title (Danish)"), max_length=200)
    summary_da = forms.CharField(label=_("Summary (Danish)"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    body_da = forms.CharField(label=_("Text (Danish)"), required=False, max_length=20000,
                              widget=forms.Textarea(attrs={"rows": 6}))
    title_en = forms.CharField(label=_("Title (English)"), required=False, max_length=200)
    summary_en = forms.CharField(label=_("Summary (English)"), required=False, max_length=500,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    body_en = forms.CharField(label=_("Text (English)"), required=False, max_length=20000,
                              widget=forms.Textarea(attrs={"rows": 4}))
    format = forms.ChoiceField(label=_("Format"), choices=OfferFormat.choices, widget=forms.RadioSelect)
    duration = forms.CharField(label=_("Duration"), required=False, max_length=100,
                               help_text=_("For example: 3 weeks, 4 days a week."))
    languages = forms.CharField(label=_("Languages"), required=False, max_length=100,
                                help_text=_("Two-letter codes separated by commas, e.g. da, en."))
    accessibility = forms.CharField(label=_("Accessibility"), required=False, max_length=2000,
                                    widget=forms.Textarea(attrs={"rows": 2}))
    price_dkk = forms.CharField(label=_("Price shown to the municipality (DKK)"), required=False, max_length=20)
    price_note = forms.CharField(label=_("Price explained"), required=False, max_length=300)
    target_tracks = forms.CharField(label=_("Tracks (keys)"), required=False, max_length=300)
    target_isco = forms.CharField(label=_("Occupation groups (ISCO codes)"), required=False, max_length=300,
                                  help_text=_("For example 9334, 5120 or 93 for a whole group."))
    target_situations = forms.MultipleChoiceField(label=_("Situations"), required=False, choices=Situation.choices,
                                                  widget=forms.CheckboxSelectMultiple)
    launch_method = forms.ChoiceField(label=_("How the citizen starts"), choices=LaunchMethod.choices,
                                      widget=forms.RadioSelect)
    launch_url = forms.CharField(label=_("Address (https://)"), required=False, max_length=500)
    consent_fields = forms.MultipleChoiceField(
        label=_("Personal data asked for at a signed launch"), required=False, choices=ConsentField.choices,
        widget=forms.CheckboxSelectMultiple, help_text=_("Each citizen decides for themselves whether to share it."))
    mark_optional = True


class LocalOfferForm(OfferForm):
    """The municipality's own offer: tracks chosen from the municipality's tracks; no price (the municipality
    pays no one) and no signed launch (only vendors receive one)."""

    target_tracks = forms.MultipleChoiceField(  # type: ignore[assignment]  # chosen, not typed keys
        label=_("Tracks"), required=False, widget=forms.CheckboxSelectMultiple)
    launch_method = forms.ChoiceField(label=_("How the citizen starts"), widget=forms.RadioSelect,
                                      choices=[c for c in LaunchMethod.choices if c[0] != LaunchMethod.SIGNED])

    def __init__(self, *args, tracks=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("price_dkk", "price_note", "consent_fields"):
            del self.fields[name]
        self.fields["target_tracks"].choices = list(tracks)
        self.order_fields(["kind", "title_da", "summary_da", "body_da", "title_en", "summary_en", "body_en",
                           "target_tracks", "target_isco", "target_situations"])


def offer_initial(offer, version) -> dict:
    if version is None:
        return {"kind": offer.kind} if offer else {"format": OfferFormat.ONLINE, "launch_method": LaunchMethod.LINK}
    values = {field: getattr(version, field) for field in OfferForm.base_fields if hasattr(version, field)}
    for field in ("languages", "target_tracks", "target_isco"):
        values[field] = ", ".join(values[field])
    if offer.provider_kind == ProviderKind.MUNICIPALITY:
        values["target_tracks"] = list(version.target_tracks)
    values["kind"] = offer.kind
    return values


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect,
                                 choices=[("approve", _("Approve and publish")), ("reject", _("Reject"))])
    note = forms.CharField(label=_("Note to the provider"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}), help_text=_("Required when you reject."))
    mark_optional = True


SCORE_ERROR = _("Choose a score from 1 to 5.")


class RatingForm(forms.Form):
    """Parses only; the service checks the score, the text's length and whether the citizen may rate."""

    score = forms.ChoiceField(label=_("Your score"), widget=forms.RadioSelect,
                              choices=[(str(n), str(n)) for n in range(1, 6)],
                              help_text=_("1 is poor, 5 is very good."),
                              error_messages={"required": SCORE_ERROR, "invalid_choice": SCORE_ERROR})
    text = forms.CharField(label=_("Your review"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
                           help_text=_("At most 1000 characters. The municipality reads it before it is shown; "
                                       "the provider never sees who you are."))
    mark_optional = True


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    reason = forms.CharField(label=_("Why is it rejected?"), required=False, max_length=500)


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
                            help_text=_("You can reply once. At most 1000 characters."))
