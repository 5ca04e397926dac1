from jobunivers.core.testing import client_for, murl
from jobunivers.tenancy.models import Theme


def test_administrator_changes_branding_and_policy(municipality, member):
    # given the municipality's administrator
    admin = member("municipality_admin", municipality)
    data = {
        "theme-display_name": "Jobcenter Aarhus", "theme-logo_url": "", "theme-primary_colour": "#00515e",
        "theme-welcome_text_da": "Velkommen", "theme-welcome_text_en": "Welcome",
        "settings-access_log_retention_days": 200, "settings-feed_retention_days": 60,
        "settings-interaction_retention_days": 180, "settings-notification_retention_days": 400,
        "settings-dialogue_retention_days": 730, "settings-track_change_retention_days": 365,
        "settings-marketplace_retention_days": 730, "settings-feedback_retention_days": 365,
        "settings-outcome_retention_days": 1825,
        "settings-idle_session_timeout_minutes": 20,
        "settings-required_assurance_level": "substantial", "settings-first_period_weeks_unskilled": 13,
        "settings-first_period_weeks_skilled": 17, "settings-inactivity_reminder_days": 14,
        "settings-inactivity_consultant_days": 28, "settings-unanswered_pushes_threshold": 5,
        "settings-consultant_capacity": 60, "settings-availability_deadline_days": 30,
        "settings-availability_warning_days": 7, "settings-availability_grace_days": 7,
        "settings-match_notification_threshold": 0.6, "settings-job_notices_per_day": 2,
        "settings-override_warning_percent": 5,
    }
    # when they save the form
    response = client_for(admin).post(murl(municipality, "tenancy:admin_home"), data)
    # then the theme and settings are stored and the header shows the new colour
    assert response.status_code == 302
    municipality.refresh_from_db()
    assert municipality.theme.primary_colour == "#00515e"
    assert municipality.settings.access_log_retention_days == 200
    assert (municipality.settings.feed_retention_days, municipality.settings.interaction_retention_days,
            municipality.settings.notification_retention_days, municipality.settings.job_notices_per_day) == (
        60, 180, 400, 2)
    page = client_for(admin).get(murl(municipality, "tenancy:admin_home")).content.decode()
    assert "--brand-colour: #00515e" in page


def test_invalid_colour_is_refused_and_nothing_is_saved(municipality, member):
    admin = member("municipality_admin", municipality)
    response = client_for(admin).post(murl(municipality, "tenancy:admin_home"), {
        "theme-display_name": "", "theme-primary_colour": "#ff00ff"})
    assert response.status_code == 200
    assert "Ret venligst fejlene nedenfor." in response.content.decode()
    assert Theme.objects.get(municipality=municipality).primary_colour == "#004993"


def test_staff_cannot_open_the_administration(municipality, member):
    adviser = member("job_adviser", municipality)
    assert client_for(adviser).get(murl(municipality, "tenancy:admin_home")).status_code == 403
