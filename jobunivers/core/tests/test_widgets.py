"""The Python-rendered Select gives the same HTML as Django's template-rendered one."""

import pytest
from django import forms
from django.test import SimpleTestCase

from jobunivers.core.widgets import DateInput, NumberInput, Select, TextInput

CHOICES = [("", "Alle"), ("0751", "Aarhus"), ("0101", 'Kø<benhavn> & "Co"'), ("0851", "Aalborg")]
GROUPED = [("", "Alle"), ("Jylland", [("0751", "Aarhus"), ("0851", "Aalborg")]), ("Sjælland", [("0101", "København")])]


class Both(forms.Form):
    django = forms.ChoiceField(choices=CHOICES, required=False, help_text="Vælg én")
    ours = forms.ChoiceField(choices=CHOICES, required=False, help_text="Vælg én", widget=Select)
    django_grouped = forms.ChoiceField(choices=GROUPED, widget=forms.Select(attrs={"class": "form-select"}))
    ours_grouped = forms.ChoiceField(choices=GROUPED, widget=Select(attrs={"class": "form-select"}))


def _html(form: forms.Form, name: str) -> str:
    return str(form[name]).replace(name, "x")


@pytest.mark.parametrize("data", [None, {}, {"django": "0101", "ours": "0101"}, {"django": "nope", "ours": "nope"},
                                  {"django_grouped": "0851", "ours_grouped": "0851"}])
def test_same_markup_as_djangos_select(data):
    form = Both(data)
    if data is not None:
        form.is_valid()  # errors add aria-invalid, which both must carry
    case = SimpleTestCase()
    case.assertHTMLEqual(_html(form, "ours"), _html(form, "django"))
    case.assertHTMLEqual(_html(form, "ours_grouped"), _html(form, "django_grouped"))


def test_labels_and_values_are_escaped():
    html = str(Both()["ours"])
    assert "Kø&lt;benhavn&gt; &amp; &quot;Co&quot;" in html
    assert "<benhavn>" not in html


def test_only_the_first_of_equal_values_is_selected():
    widget = Select(choices=[("a", "A"), ("a", "A again"), ("b", "B")])
    assert widget.render("x", "a").count(" selected") == 1


class Inputs(forms.Form):
    django_text = forms.CharField(required=False, max_length=20, help_text="Hjælp")
    ours_text = forms.CharField(required=False, max_length=20, help_text="Hjælp", widget=TextInput)
    django_number = forms.IntegerField(min_value=1, max_value=500)
    ours_number = forms.IntegerField(min_value=1, max_value=500, widget=NumberInput)
    django_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-input"}))
    ours_date = forms.DateField(required=False, widget=DateInput(attrs={"type": "date", "class": "form-input"}))


@pytest.mark.parametrize("data", [None, {"django_text": '"<b>', "ours_text": '"<b>', "django_number": "x", "ours_number": "x",
                                         "django_date": "2026-11-22", "ours_date": "2026-11-22"},
                                  {"django_number": "7", "ours_number": "7"}])
@pytest.mark.parametrize("kind", ["text", "number", "date"])
def test_inputs_give_djangos_markup(data, kind):
    form = Inputs(data)
    if data is not None:
        form.is_valid()
    SimpleTestCase().assertHTMLEqual(str(form[f"ours_{kind}"]).replace("ours", "x"),
                                     str(form[f"django_{kind}"]).replace("django", "x"))


def test_form_field_tag_matches_the_field_template():
    from django.template import Context, Template

    form = Inputs({"ours_number": "0", "django_number": "0"})
    form.is_valid()
    for name in ("ours_text", "ours_number"):
        fast = Template("{% load dkfds %}{% form_field field %}").render(Context({"field": form[name]}))
        slow = Template('{% include "jobs/_field.html" %}').render(Context({"field": form[name]}))
        SimpleTestCase().assertHTMLEqual(fast, slow)
