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
