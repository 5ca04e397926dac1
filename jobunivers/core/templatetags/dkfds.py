"""`{% form_field field %}`: a DKFDS form group (label, hint, errors, widget) rendered in Python.

The same markup as an include of a small field template, without the include's cost, for forms on
pages measured in `make bench` (the job search renders ten fields on every search)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def form_field(field) -> SafeString:
    ident = field.id_for_label
    parts: list[str] = [format_html('<div class="form-group{}">', " form-error" if field.errors else ""),
             format_html('<label class="form-label" for="{}">{}</label>', ident, field.label)]
    if field.help_text:
        parts.append(format_html('<span class="form-hint" id="{}-hint">{}</span>', ident, field.help_text))
    parts += [format_html('<span class="form-error-message" id="{}-error">{}</span>', ident, error)
              for error in field.errors]
    parts += [str(field), "</div>"]
    return mark_safe("".join(parts))  # noqa: S308 - every part is format_html-escaped or a widget's own HTML
