from django import forms
from django.utils.translation import gettext_lazy as _

from .services import MAX_SUBJECT, MAX_TEXT


def apply_errors(form: forms.Form, error) -> None:
    """Put a service's ValidationFailed messages on the form (unknown fields go to the top)."""
    for field, messages in error.messages.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


class MessageForm(forms.Form):
    mark_optional = True
    # Length and emptiness are checked by the service (one Danish message for the form and the API).
    text = forms.CharField(label=_("Your message"), required=False, max_length=MAX_TEXT * 2,
                           widget=forms.Textarea(attrs={"rows": 5}))
    attachment = forms.FileField(label=_("Attach a file"), required=False,
                                 help_text=_("PDF, PNG or JPEG."),
                                 widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}))


class NewThreadForm(MessageForm):
    subject = forms.CharField(label=_("What is it about?"), max_length=MAX_SUBJECT * 2, required=False)
    field_order = ["subject", "text", "attachment"]


class StaffMessageForm(MessageForm):
    important = forms.BooleanField(label=_("Important"), required=False)
    wants_answer = forms.BooleanField(label=_("We wait for an answer from the citizen"), required=False)


class StaffNewThreadForm(StaffMessageForm):
    subject = forms.CharField(label=_("What is it about?"), max_length=MAX_SUBJECT * 2, required=False)
    field_order = ["subject", "text", "attachment", "important", "wants_answer"]


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(label=_("Assign to"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, staff: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("Nobody"))] + staff  # type: ignore[attr-defined]
