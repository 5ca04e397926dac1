"""Django's own form rendering in the design system's markup (FORM_RENDERER = core.forms.DkfdsFormRenderer)."""

from django import forms
from django.test import SimpleTestCase
from django.utils import translation

CHOICES = [("a", "Alfa"), ("b", "Beta")]


class Example(forms.Form):
    name = forms.CharField(label="Navn", help_text="Som i dit pas", max_length=20)
    consent = forms.BooleanField(label="Jeg giver samtykke", required=False, help_text="Du kan trække det tilbage")
    many = forms.MultipleChoiceField(label="Flere", choices=CHOICES, widget=forms.CheckboxSelectMultiple, required=False)
    one = forms.ChoiceField(label="Én", choices=CHOICES, widget=forms.RadioSelect, required=False)
    pick = forms.ChoiceField(label="Vælg", choices=CHOICES, required=False)
    secret = forms.CharField(widget=forms.HiddenInput, required=False)


def test_text_field_is_a_design_system_form_group_with_hint():
    html = Example()["name"].as_field_group()
    SimpleTestCase().assertInHTML(
        '<div class="form-group"><label class="form-label" for="id_name">Navn</label>'
        '<span class="form-hint" id="id_name_helptext">Som i dit pas</span>'
        '<input type="text" name="name" maxlength="20" required aria-describedby="id_name_helptext" '
        'id="id_name" class="form-input"></div>', html)


def test_errors_are_tied_to_the_field():
    form = Example({"name": ""})
    with translation.override("da"):
        html = form["name"].as_field_group()
    assert 'class="form-group form-error"' in html
    assert '<span class="form-error-message" id="id_name_error"><span class="sr-only">Fejl: </span>' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html


def test_single_checkbox_is_drawn_as_a_checkbox_with_its_label_right_after():
    html = Example()["consent"].as_field_group()
    SimpleTestCase().assertInHTML(
        '<div class="form-group-checkbox"><input type="checkbox" name="consent" aria-describedby="id_consent_helptext" '
        'id="id_consent" class="form-checkbox"><label class="form-label" for="id_consent">Jeg giver samtykke</label>'
        '<span class="form-hint" id="id_consent_helptext">Du kan trække det tilbage</span></div>', html)


def test_multiple_checkboxes_are_checkboxes_not_radio_buttons():
    # CheckboxSelectMultiple is a subclass of RadioSelect: it must still get the checkbox class
    html = Example({"many": ["b"]})["many"].as_field_group()
    assert html.count('class="form-checkbox"') == 2
    assert "form-radio" not in html
    assert '<legend class="form-label">Flere</legend>' in html
    assert html.count('<div class="form-group-checkbox">') == 2
    SimpleTestCase().assertInHTML('<input type="checkbox" name="many" value="b" class="form-checkbox" id="id_many_1" checked>', html)


def test_radio_buttons_and_select():
    form = Example()
    assert form["one"].as_field_group().count('class="form-radio"') == 2
    assert 'class="form-select"' in form["pick"].as_field_group()
    assert form["secret"].as_field_group().strip() == '<input type="hidden" name="secret" id="id_secret">'


def test_a_widgets_own_class_is_kept():
    class Styled(forms.Form):
        code = forms.CharField(widget=forms.TextInput(attrs={"class": "input-width-xs"}))

    assert 'class="input-width-xs form-input"' in Styled()["code"].as_field_group()


def test_each_choice_is_drawn_exactly_as_djangos_own_input_templates_draw_it():
    # given: choices selected, required, with errors (aria-invalid) and a hint (aria-describedby)
    class Required(forms.Form):
        many = forms.MultipleChoiceField(label="Flere", choices=CHOICES, widget=forms.CheckboxSelectMultiple,
                                         help_text="Vælg mindst én")
        one = forms.ChoiceField(label="Én", choices=[*CHOICES, (3, "Tre")], widget=forms.RadioSelect)

    for form in (Required({"many": ["b"], "one": "a"}), Required({"many": ["x"]}), Required()):
        form.is_valid()
        for name in ("many", "one"):
            # when
            html = form[name].as_field_group()
            # then: the one-template input equals BoundWidget.tag (input_option → input → attrs)
            for choice in form[name]:
                assert str(choice.tag()) in html


def test_inputs_and_selects_are_drawn_exactly_as_djangos_own_templates_draw_them():
    from django.forms.renderers import DjangoTemplates

    from jobunivers.core.forms import FLATTENED, DkfdsFormRenderer

    class Many(forms.Form):
        text = forms.CharField(max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": False}))
        number = forms.IntegerField(min_value=1, max_value=9, required=False)
        email = forms.EmailField(required=False)
        url = forms.URLField(required=False, assume_scheme="https")
        day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), required=False)
        moment = forms.DateTimeField(required=False)
        clock = forms.TimeField(required=False)
        secret = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
        hidden = forms.CharField(widget=forms.HiddenInput, required=False)
        pick = forms.ChoiceField(choices=[("", "Alle"), ("a", "A & B"), (3, "<Tre>")], required=False)
        grouped = forms.ChoiceField(choices=[("Nord", [("n1", "Aalborg"), ("n2", "Hjørring")]), ("x", "Andet")])
        several = forms.MultipleChoiceField(choices=CHOICES, required=False)

    ours, djangos = DkfdsFormRenderer(), DjangoTemplates()
    values = [{}, {"text": 'a "b" <c>', "number": "12", "email": "x", "day": "2026-12-04", "pick": 3, "grouped": "n2",
                   "several": ["a", "b"], "secret": "s", "hidden": "h", "moment": "2026-12-04 10:12", "clock": "9"}]
    drawn = set()
    for data in values:
        form = Many(data or None)
        form.is_valid()
        for bound in form:
            widget = bound.field.widget
            attrs = bound.build_widget_attrs({"id": bound.auto_id})
            value = bound.value()
            # when each widget is drawn by our renderer and by Django's
            mine = widget.render(bound.html_name, value, attrs, renderer=ours)
            theirs = widget.render(bound.html_name, value, attrs, renderer=djangos)
            # then the markup is the same, character for character
            assert mine == theirs, bound.name
            drawn.add(widget.template_name)
    # and every flattened template was compared
    assert set(FLATTENED) - {"django/forms/widgets/input.html", "django/forms/widgets/search.html",
                             "django/forms/widgets/tel.html"} <= drawn


class Inputs(forms.Form):
    text = forms.CharField(label="Søgeord <b>", required=False, max_length=200)
    hinted = forms.CharField(label="Nær", help_text="For eksempel 8000 & \"Aarhus\"", required=False)
    number = forms.IntegerField(label="Afstand (km)", required=False, min_value=1, max_value=500, initial=50)
    needed = forms.CharField(label="Navn", max_length=20)
    day = forms.DateField(label="Dato", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    mail = forms.EmailField(label="E-mail", required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class OptionalMarked(Inputs):
    mark_optional = True


def _cases():
    yield Inputs()  # unbound: the initial values
    for data in ({}, {"text": "tømrer \"<x>' &amp;", "hinted": "8000", "number": "25", "needed": "Anna",
                      "day": "2026-12-06", "mail": "a@b.dk"},
                 {"text": "", "number": "abc", "needed": "", "day": "6/12", "mail": "nej"},  # errors
                 {"number": "0", "needed": "x" * 30}):
        form = Inputs(data)
        form.is_valid()
        yield form
    marked = OptionalMarked({"needed": "Anna"})
    marked.is_valid()
    yield marked


def test_field_groups_drawn_in_python_are_the_templates_markup_byte_for_byte():
    from jobunivers.core.forms import field_group_html

    compared = 0
    for language in ("da", "en"):
        with translation.override(language):
            for form in _cases():
                for name in form.fields:
                    assert str(field_group_html(form[name])) == str(form[name].as_field_group()), (language, name, form.data)
                    compared += 1
    assert compared == 2 * 6 * 6


def test_the_search_forms_main_fields_are_its_field_groups(db):
    from jobunivers.jobs.forms import JobSearchForm

    for data in ({"q": "sosu <i>", "where": "8000", "radius": "25"}, {"q": "", "where": "nowhere", "radius": "-1"}, {}):
        form = JobSearchForm(data)
        form.is_valid()
        expected = "\n    ".join(str(form[name].as_field_group()) for name in ("q", "where", "radius"))
        assert str(form.main_fields()) == expected
