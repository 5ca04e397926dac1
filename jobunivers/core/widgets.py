"""Widgets rendered in Python where Django's per-option templates are measurably slow.

Django renders every <option> of a Select through a template include (about 30 µs an option on
this kind of machine): the job search's municipality filter alone (99 options) cost more than the
whole constant page. These widgets produce the same markup with `format_html`, so escaping and the
attributes Django adds (id, required, aria-describedby, aria-invalid) stay exactly as before.
"""

from __future__ import annotations

import html

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeData, SafeString, mark_safe

SELECTED = mark_safe(" selected")  # noqa: S308 - a constant


def _escape(value) -> str:
    """What conditional_escape does (safe strings pass, everything else is HTML-escaped), minus its
    lazy-object wrapper, which costs more than the escaping for short option labels."""
    return str(value) if isinstance(value, SafeData) else html.escape(str(value), quote=True)


class Select(forms.Select):
    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        if self.allow_multiple_selected:
            final["multiple"] = True
        wanted = set(self.format_value(value))
        parts: list[str] = [format_html("<select{}>", flatatt(final))]
        done = False

        def option(option_value, label) -> str:
            # _escape, not format_html: its lazy-string checks per argument were most of the cost.
            nonlocal done
            text = "" if option_value is None else str(option_value)
            chosen = text in wanted and (self.allow_multiple_selected or not done)
            done = done or chosen
            return f'<option value="{_escape(text)}"{SELECTED if chosen else ""}>{_escape(label)}</option>'

        for group_value, group_label in self.choices:
            if isinstance(group_label, list | tuple):
                parts.append(format_html('<optgroup label="{}">', group_value))
                parts += [option(v, label) for v, label in group_label]
                parts.append("</optgroup>")
            else:
                parts.append(option(group_value, group_label))
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped



class _Input:
    """An <input> rendered with format_html instead of Django's input template (same markup)."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
        shown = widget["value"]
        return format_html('<input type="{}" name="{}"{}{}>', widget["type"], name,
                           format_html(' value="{}"', shown) if shown is not None else "", flatatt(widget["attrs"]))


class TextInput(_Input, forms.TextInput):
    pass


class NumberInput(_Input, forms.NumberInput):
    pass


class DateInput(_Input, forms.DateInput):
    pass
