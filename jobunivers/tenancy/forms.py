from django import forms

from .models import MunicipalitySettings, Theme


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["display_name", "logo_url", "primary_colour", "welcome_text_da", "welcome_text_en"]


class MunicipalitySettingsForm(forms.ModelForm):
    class Meta:
        model = MunicipalitySettings
        fields = [
            "access_log_retention_days", "feed_retention_days", "interaction_retention_days",
            "notification_retention_days", "idle_session_timeout_minutes", "required_assurance_level",
            "first_period_weeks_unskilled", "first_period_weeks_skilled", "inactivity_reminder_days",
            "inactivity_consultant_days", "unanswered_pushes_threshold", "consultant_capacity",
            "availability_deadline_days", "availability_warning_days", "availability_grace_days",
            "match_notification_threshold", "override_warning_percent",
        ]
