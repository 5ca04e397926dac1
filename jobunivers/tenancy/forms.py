from django import forms

from .models import MunicipalitySettings, Theme


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["display_name", "logo_url", "primary_colour", "welcome_text_da", "welcome_text_en"]


class MunicipalitySettingsForm(forms.ModelForm):
    class Meta:
        model = MunicipalitySettings
        exclude = ["municipality", "enabled_modules"]
