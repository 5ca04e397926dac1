"""Django's own form rendering, dressed in the Danish design system (DKFDS).

`FORM_RENDERER` (settings) names `DkfdsFormRenderer`: `{{ form }}` and `{{ form.field.as_field_group }}`
render through the templates in core/templates/forms/dkfds/, and every widget gets the design
system's class for its kind (form-input, form-select, form-checkbox, form-radio) through
`DkfdsBoundField`. Django itself adds `aria-describedby` (hint, error), `aria-invalid` and `required`.
"""

from __future__ import annotations

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.html import format_html
from django.utils.safestring import mark_safe


def dkfds_class(widget: forms.Widget) -> str:
    """The design system's class for a widget ("" for those it does not style)."""
    if widget.is_hidden or isinstance(widget, forms.FileInput | forms.MultiWidget):
        return ""
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):  # before RadioSelect: a subclass
        return "form-checkbox"
    if isinstance(widget, forms.RadioSelect):
        return "form-radio"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-input"


class DkfdsBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        css = dkfds_class(widget)
        present = f"{widget.attrs.get('class', '')} {attrs.get('class', '')}".split()
        if css and css not in present:
            attrs["class"] = " ".join([*present, css])
        return attrs


# Django draws an input through three nested templates (text.html -> input.html -> attrs.html) and a
# select through two per option; each include costs tens of microseconds, so a form's inputs and a
# long select were most of a page's rendering. These widgets are drawn by one template each, with
# the same markup (tests/test_form_rendering compares them with Django's own for many cases).
INPUT_WIDGETS = ("text", "number", "email", "url", "date", "datetime", "time", "password", "search", "tel", "hidden")
FLATTENED = {f"django/forms/widgets/{name}.html": "forms/dkfds/input.html" for name in INPUT_WIDGETS} | {
    "django/forms/widgets/input.html": "forms/dkfds/input.html",
    "django/forms/widgets/select.html": "forms/dkfds/select.html",
}


class DkfdsFormRenderer(DjangoTemplates):
    form_template_name = "forms/dkfds/form.html"
    field_template_name = "forms/dkfds/field.html"
    bound_field_class = DkfdsBoundField

    def get_template(self, template_name):
        return super().get_template(FLATTENED.get(template_name, template_name))


def field_group_html(bound: BoundField) -> str:
    """`bound.as_field_group()` for a text-like input without errors, drawn here instead of through
    field.html and input.html: the same markup (tests/test_form_rendering compares the two), from the
    same parts Django computes (label, hint, `build_widget_attrs`, the widget's context), in about a
    fifth of the time. Anything else (errors, a fieldset, a select, an optional mark) goes through
    the templates. A search page draws three such fields on every request."""
    widget = bound.field.widget
    form = bound.form
    if (bound.errors or bound.is_hidden or bound.use_fieldset or not isinstance(widget, forms.widgets.Input)
            or widget.template_name not in FLATTENED or (not bound.field.required and getattr(form, "mark_optional", False))):
        return bound.as_field_group()
    attrs = bound.build_widget_attrs({}, widget)
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
    parts = [format_html('<input type="{}" name="{}"', context["type"], context["name"])]
    if context["value"] is not None:
        parts.append(format_html(' value="{}"', str(context["value"])))
    for name, value in context["attrs"].items():
        if value is True:
            parts.append(format_html(" {}", name))
        elif value is not False:
            parts.append(format_html(' {}="{}"', name, str(value)))
    hint = format_html('<span class="form-hint" id="{}_helptext">{}</span>', bound.auto_id, bound.help_text) \
        if bound.help_text else ""
    return format_html('<div class="form-group">\n  <label class="form-label" for="{}">{}</label>\n  {}\n  \n  {}>\n</div>',
                       bound.id_for_label, bound.label, hint, mark_safe("".join(parts)))  # noqa: S308 - parts escaped by format_html
