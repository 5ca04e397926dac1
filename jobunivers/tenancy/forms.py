from django import forms

from .models import MunicipalitySettings, Theme
from .validators import Between


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["display_name", "logo_url", "primary_colour", "welcome_text_da", "welcome_text_en"]
        widgets = {"logo_url": forms.URLInput(attrs={"pattern": "https://.*"})}


class MunicipalitySettingsForm(forms.ModelForm):
    class Meta:
        model = MunicipalitySettings
        fields = [
            "access_log_retention_days", "feed_retention_days", "interaction_retention_days",
            "notification_retention_days", "dialogue_retention_days", "track_change_retention_days",
            "marketplace_retention_days", "feedback_retention_days", "outcome_retention_days", "idle_session_timeout_minutes",
            "required_assurance_level",
            "first_period_weeks_unskilled", "first_period_weeks_skilled", "inactivity_reminder_days",
            "inactivity_consultant_days", "unanswered_pushes_threshold", "consultant_capacity",
            "availability_deadline_days", "availability_warning_days", "availability_grace_days",
            "match_notification_threshold", "job_notices_per_day", "override_warning_percent",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The browser shows the same bounds the model checks (tenancy.validators.Between).
        for name, field in self.fields.items():
            for validator in MunicipalitySettings._meta.get_field(name).validators:
                if isinstance(validator, Between):
                    field.widget.attrs.update({"min": validator.low, "max": validator.high})
