"""`{{ concept|concept_label }}`: an occupation's, skill's or group's label in the page's language,
marked `<span lang="en">` where only another language's label exists (see taxonomy/labels.py)."""

from django import template
from django.utils.safestring import SafeString

from jobunivers.taxonomy.labels import ConceptLabel, label_of

register = template.Library()


@register.filter
def concept_label(value) -> SafeString | str:
    """A concept (model instance or dict with its label fields) or a `ConceptLabel`; anything else
    (a plain string) is returned as it is and escaped by the template as usual."""
    if isinstance(value, ConceptLabel):
        return SafeString(value.html())
    if value is None or isinstance(value, str):
        return value or ""
    return SafeString(label_of(value).html())


@register.filter
def concept_label_text(value) -> str:
    """The plain label text (for attributes such as `value=` or `aria-label=`)."""
    if value is None or isinstance(value, str):
        return value or ""
    return value.text if isinstance(value, ConceptLabel) else label_of(value).text
