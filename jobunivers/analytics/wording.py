"""The words of the evidence ladder, in the reader's language (docs/adr/0098)."""

from django.utils.translation import gettext_lazy as _

EVIDENCE_LABELS = {
    "randomised": _("Randomised experiment"),
    "matched": _("Matched comparison"),
    "descriptive": _("Descriptive only – not an effect"),
}

EVIDENCE_TEXTS = {
    "randomised": _("Who got the service was decided by lot, so the two groups differ only by chance. "
                    "The difference is an estimate of the service's effect."),
    "matched": _("Users are compared with non-users who looked the same before: age, education, earlier "
                 "unemployment, benefit and when their unemployment started. The difference is an estimate of "
                 "the effect, but differences we cannot see (motivation, health, network) may remain."),
    "descriptive": _("Users and non-users differ in other ways too, so the difference says nothing about what "
                     "the service did. The figures only describe what happened."),
}

REASONS = {
    "too_few": _("There are too few users or non-users to compare (at least 20 of each are needed)."),
    "too_few_matched": _("Too few users found a comparable non-user (at least 20 are needed)."),
    "no_overlap": _("Users and non-users are so different before that no fair comparison can be made."),
    "imbalance": _("After matching, users and non-users still differ on a characteristic by more than 0.1 "
                   "standard deviations."),
}

# The ladder as the page shows it, strongest first.
LADDER = ("randomised", "matched", "descriptive")

CHARACTERISTICS = {
    "age_band": _("Age band"),
    "education_level": _("Education"),
    "unemployment_weeks_last_3_years": _("Weeks unemployed in the last 3 years"),
    "unemployment_spells_last_3_years": _("Spells of unemployment in the last 3 years"),
    "benefit_type": _("Benefit"),
    "weeks_since_last_job": _("Weeks since the last job"),
    "start": _("When the unemployment started"),
}


def characteristic(name: str) -> str:
    """A balance row's name in the reader's language: "benefit_type=kontanthjaelp" -> "Ydelse: kontanthjaelp"."""
    if name.endswith(" (missing)"):
        return str(_("%(name)s (not known)") % {"name": characteristic(name[: -len(" (missing)")])})
    key, _sep, value = name.partition("=")
    label = str(CHARACTERISTICS.get(key, key))
    return f"{label}: {value}" if value else label
