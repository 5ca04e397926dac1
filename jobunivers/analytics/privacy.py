"""Personal data held by analytics: the citizen's spells of unemployment, from the register, from the
job centre and from the citizen, each labelled by its source. Used to follow up on the citizen's
job search and, as aggregates of at least 5 people, to measure which services help (purpose "help");
never to check availability. Erased on request (the register keeps its own copy; a later import may
bring the register's rows back, which the erasure request records for the operator)."""

from django.utils.translation import gettext_lazy as _

from jobunivers.audit.privacy import (
    exempt_from_personal_data,
    register_access_subject,
    register_personal_data,
    shown_as,
)

from .models import DashboardSnapshot, UnemploymentSpell


def _export_spells(user):
    return [{"source": s.source, "started_on": s.started_on.isoformat(),
             "ended_on": s.ended_on.isoformat() if s.ended_on else "", "exit_reason": s.exit_reason,
             "reference": s.reference,
             "job_occupation": s.job_occupation.preferred_label_da or s.job_occupation.preferred_label
             if s.job_occupation else ""}
            for s in UnemploymentSpell.all_tenants.filter(citizen__user=user).select_related("job_occupation")
            .order_by("started_on", "source")]


def _erase_spells(user):
    UnemploymentSpell.all_tenants.filter(citizen__user=user).delete()


register_personal_data(
    UnemploymentSpell,
    category=_("Your periods of unemployment and how they ended (from the register, from the job centre and "
               "from yourself, kept apart)"),
    purpose="help", export=_export_spells, erase=_erase_spells,
    fields={"source": shown_as(UnemploymentSpell, "source"), "started_on": shown_as(UnemploymentSpell, "started_on"),
            "ended_on": shown_as(UnemploymentSpell, "ended_on"),
            "exit_reason": shown_as(UnemploymentSpell, "exit_reason"),
            "reference": shown_as(UnemploymentSpell, "reference"),
            "job_occupation": shown_as(UnemploymentSpell, "job_occupation")})
register_access_subject("unemployment spells", _("your periods of unemployment and how they ended"))

# The results dashboard's stored figures (ADR 0155): counts and shares of the municipality, no citizen and no
# user (no relation to either); the page suppresses counts from 1 to 4 when it shows them. Nothing to
# export or erase; only the newest few per municipality are kept (snapshots.KEEP).
exempt_from_personal_data(DashboardSnapshot, reason="aggregates of the municipality only (counts and shares); no "
                          "citizen or user is linked or can be singled out, and the newest 3 are kept")
