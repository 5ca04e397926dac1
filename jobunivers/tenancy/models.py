from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .roles import MUNICIPAL_ROLES, NATIONAL_ROLES, Role
from .validators import Between, https_url

# Colours a municipality may choose for its header: the design system's
# (DKFDS) own palette, so contrast stays within WCAG AA with white text.
THEME_COLOURS = [
    ("#1a1a1a", _("Black")),
    ("#004993", _("Dark blue")),
    ("#0059b3", _("Blue")),
    ("#00515e", _("Petrol")),
    ("#2b5525", _("Dark green")),
    ("#7d1f1f", _("Dark red")),
    ("#4d3671", _("Purple")),
]

DEFAULT_MODULES = ["jobs", "plan", "joblog", "matching", "segmentation", "notifications", "caseworker"]


class Municipality(models.Model):
    code = models.CharField(_("municipality code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("URL name"), max_length=60, unique=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    is_active = models.BooleanField(_("uses Jobunivers"), default=False)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="theme", verbose_name=_("municipality")
    )
    display_name = models.CharField(_("name shown in the header"), max_length=100)
    logo_url = models.CharField(_("logo address"), max_length=300, blank=True, validators=[https_url],
                                help_text=_("An https:// address of the logo image."))
    primary_colour = models.CharField(
        _("header colour"), max_length=7, choices=THEME_COLOURS, default=THEME_COLOURS[1][0]
    )
    welcome_text_da = models.TextField(_("welcome text (Danish)"), blank=True)
    welcome_text_en = models.TextField(_("welcome text (English)"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.display_name


class MunicipalitySettings(models.Model):
    """Municipal policy, edited by the municipality's administrators."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="settings", verbose_name=_("municipality")
    )
    enabled_modules = models.JSONField(_("enabled modules"), default=list, blank=True)
    access_log_retention_days = models.PositiveIntegerField(_("keep the access log (days)"), default=183,
                                                            validators=[Between(30, 3650, "days")])
    # Retention of behavioural data (applied nightly by each app's purge task, see docs/development.md).
    feed_retention_days = models.PositiveIntegerField(_("keep the job feeds shown (days)"), default=90,
                                                      validators=[Between(1, 3650, "days")])
    interaction_retention_days = models.PositiveIntegerField(
        _("keep what citizens did with recommended jobs (days)"), default=365, validators=[Between(1, 3650, "days")]
    )
    notification_retention_days = models.PositiveIntegerField(
        _("keep notices and their deliveries (days)"), default=365, validators=[Between(1, 3650, "days")]
    )
    dialogue_retention_days = models.PositiveIntegerField(
        _("keep message threads with no new message (days)"), default=730, validators=[Between(30, 3650, "days")]
    )
    track_change_retention_days = models.PositiveIntegerField(
        _("keep changes of follow-up track (days)"), default=730, validators=[Between(30, 3650, "days")],
        help_text=_("Each citizen's newest change is kept: it explains the track the citizen is on."),
    )
    marketplace_retention_days = models.PositiveIntegerField(
        _("keep ended enrolments in offers and offers suggested to citizens (days)"), default=730,
        validators=[Between(30, 3650, "days")],
        help_text=_("Counted from the day the enrolment ended or the offer was suggested. What the municipality "
                    "paid for is kept as accounting records for five years."),
    )
    feedback_retention_days = models.PositiveIntegerField(
        _("keep feedback questions and answers (days)"), default=730, validators=[Between(30, 3650, "days")],
        help_text=_("Counted from the day the question was sent. Ratings of older months disappear with "
                    "the answers."),
    )
    outcome_retention_days = models.PositiveIntegerField(
        _("keep ended periods of unemployment and their outcome (days)"), default=1825,
        validators=[Between(365, 3650, "days")],
        help_text=_("Counted from the day the period ended. Open periods are kept. The effect of services is "
                    "measured up to 26 weeks after each period started, so keep at least a year."),
    )
    idle_session_timeout_minutes = models.PositiveIntegerField(_("staff idle time-out (minutes)"), default=30,
                                                               validators=[Between(5, 480, "minutes")])
    required_assurance_level = models.CharField(
        _("required MitID assurance level"),
        max_length=20,
        choices=[("low", _("Low")), ("substantial", _("Substantial")), ("high", _("High"))],
        default="substantial",
    )
    first_period_weeks_unskilled = models.PositiveIntegerField(
        _("first period, unskilled (weeks)"), default=13, validators=[Between(1, 52, "weeks")]
    )
    first_period_weeks_skilled = models.PositiveIntegerField(_("first period, with education (weeks)"), default=17,
                                                             validators=[Between(1, 52, "weeks")])
    inactivity_reminder_days = models.PositiveIntegerField(
        _("days without login or job log before reminders"), default=14, validators=[Between(1, 365, "days")]
    )
    inactivity_consultant_days = models.PositiveIntegerField(
        _("days of repeated inactivity before a personal consultant is assigned"), default=28,
        validators=[Between(1, 365, "days")],
    )
    unanswered_pushes_threshold = models.PositiveIntegerField(
        _("pushes without reaction before follow-up"), default=5, validators=[Between(1, 100, "count")]
    )
    consultant_capacity = models.PositiveIntegerField(_("citizens per personal consultant"), default=60,
                                                      validators=[Between(1, 1000, "count")])
    availability_deadline_days = models.PositiveIntegerField(
        _("days without a job log entry before the availability deadline"), default=30,
        validators=[Between(1, 365, "days")],
    )
    availability_warning_days = models.PositiveIntegerField(
        _("days before the deadline that the citizen is warned"), default=7, validators=[Between(0, 90, "days")]
    )
    availability_grace_days = models.PositiveIntegerField(_("grace period after the deadline (days)"), default=7,
                                                          validators=[Between(0, 90, "days")])
    match_notification_threshold = models.FloatField(_("minimum match score for job notices"), default=0.6,
                                                     validators=[Between(0, 1, "score")])
    job_notices_per_day = models.PositiveIntegerField(
        _("most job notices per citizen in 24 hours"), default=3, validators=[Between(0, 20, "count")],
        help_text=_("0 sends no job notices. A big import must not flood anyone's inbox."),
    )
    override_warning_percent = models.FloatField(
        _("warn when fewer suggested tracks than this are changed (%)"), default=5.0,
        validators=[Between(0, 100, "percent")],
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("municipality settings")
        verbose_name_plural = _("municipality settings")

    def __str__(self) -> str:
        return str(self.municipality)

    def module_enabled(self, module: str) -> bool:
        return module in (self.enabled_modules or DEFAULT_MODULES)


class Membership(models.Model):
    """Ties a user to a municipality with a role. National roles have no municipality."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("municipality"),
    )
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    is_team_lead = models.BooleanField(_("team lead"), default=False)
    organisation = models.CharField(_("organisation (vendor or employer)"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "municipality", "role"], name="unique_membership_role"),
            models.CheckConstraint(
                condition=(Q(role__in=sorted(r.value for r in MUNICIPAL_ROLES)) & Q(municipality__isnull=False))
                | (Q(role__in=sorted(r.value for r in NATIONAL_ROLES)) & Q(municipality__isnull=True)),
                name="membership_municipality_matches_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.municipality or '-'}"
