"""Personal data held by journeys: which journeys a citizen is or was on (and why), each step sent or skipped,
opt-outs, and experiment arms. Help only (purpose "help"): journeys suggest things, they never check
availability. Exported on "Mine data", erased on request, deleted after the municipality's
`feedback_retention_days` once ended (retention.py)."""

from django.utils.translation import gettext_lazy as _

from jobunivers.audit.privacy import register_access_subject, register_personal_data, shown_as

from .models import Assignment, Enrolment, Exposure, JourneyVersion, OptOut, StepRun


def _export_enrolments(user):
    return [{"journey": e.journey.name, "why": e.reason, "version": e.version.number, "state": e.state,
             "exit_reason": e.exit_reason, "started_at": e.started_at.isoformat(),
             "ended_at": e.ended_at.isoformat() if e.ended_at else None}
            for e in Enrolment.all_tenants.filter(citizen__user=user).select_related("journey", "version")
            .order_by("started_at", "id")]


def _export_runs(user):
    return [{"journey": r.enrolment.journey.name, "step": r.step.title, "purpose": r.purpose, "state": r.state,
             "ran_at": r.ran_at.isoformat(), "clicked_at": r.clicked_at.isoformat() if r.clicked_at else None,
             "completed_at": r.completed_at.isoformat() if r.completed_at else None}
            for r in StepRun.all_tenants.filter(citizen__user=user).select_related("enrolment__journey", "step")
            .order_by("ran_at", "id")]


def _export_opt_outs(user):
    return [{"journey": o.journey.name, "since": o.created_at.isoformat()}
            for o in OptOut.all_tenants.filter(citizen__user=user).select_related("journey").order_by("id")]


def _export_assignments(user):
    exposed = {(x.experiment_id, x.citizen_id): x.exposed_at for x in Exposure.all_tenants.filter(citizen__user=user)}
    return [{"experiment": a.experiment.name, "arm": a.arm, "assigned_at": a.assigned_at.isoformat(),
             "exposed_at": exposed[(a.experiment_id, a.citizen_id)].isoformat()
             if (a.experiment_id, a.citizen_id) in exposed else None}
            for a in Assignment.all_tenants.filter(citizen__user=user).select_related("experiment").order_by("id")]


def _export_exposures(user):
    return [{"experiment": x.experiment.name, "arm": x.arm, "exposed_at": x.exposed_at.isoformat()}
            for x in Exposure.all_tenants.filter(citizen__user=user).select_related("experiment").order_by("id")]


def _erase(model):
    def erase(user):
        model.all_tenants.filter(citizen__user=user).delete()
    return erase


register_personal_data(
    Enrolment, category=_("The journeys you are or were on, and why (suggestions from the job centre; never used "
                          "to check your availability)"), purpose="help",
    export=_export_enrolments, erase=_erase(Enrolment),
    fields={"journey": shown_as(Enrolment, "journey"), "why": shown_as(Enrolment, "reason"),
            "version": shown_as(Enrolment, "version"), "state": shown_as(Enrolment, "state"),
            "exit_reason": shown_as(Enrolment, "exit_reason"), "started_at": shown_as(Enrolment, "started_at"),
            "ended_at": shown_as(Enrolment, "ended_at")})
register_personal_data(
    StepRun, category=_("The steps of your journeys we sent you or did not send, and whether you followed "
                        "their link"), purpose="help",
    export=_export_runs, erase=_erase(StepRun),
    fields={"journey": _("journey"), "step": shown_as(StepRun, "step"), "purpose": shown_as(StepRun, "purpose"),
            "state": shown_as(StepRun, "state"), "ran_at": shown_as(StepRun, "ran_at"),
            "clicked_at": shown_as(StepRun, "clicked_at"), "completed_at": shown_as(StepRun, "completed_at")})
register_personal_data(
    OptOut, category=_("Journeys whose optional steps you said no to"), purpose="help",
    export=_export_opt_outs, erase=_erase(OptOut),
    fields={"journey": shown_as(OptOut, "journey"), "since": _("since")})
register_personal_data(
    Assignment, category=_("Experiments you take part in, and your group (used to learn which journeys work; "
                           "never to check your availability)"), purpose="help",
    export=_export_assignments, erase=_erase(Assignment),
    fields={"experiment": shown_as(Assignment, "experiment"), "arm": shown_as(Assignment, "arm"),
            "assigned_at": shown_as(Assignment, "assigned_at"), "exposed_at": shown_as(Exposure, "exposed_at")})
register_personal_data(
    Exposure, category=_("When you first met your group's version of a journey"), purpose="help",
    export=_export_exposures, erase=_erase(Exposure),
    fields={"experiment": shown_as(Exposure, "experiment"), "arm": shown_as(Exposure, "arm"),
            "exposed_at": shown_as(Exposure, "exposed_at")})


def _export_published_versions(user):
    return [{"journey": v.journey.name, "version": v.number,
             "published": v.published_at.isoformat() if v.published_at else None}
            for v in JourneyVersion.all_tenants.filter(published_by=user).select_related("journey").order_by("id")]


def _erase_publisher(user):
    JourneyVersion.all_tenants.filter(published_by=user).update(published_by=None)


register_personal_data(
    JourneyVersion, category=_("Journey versions you published"), purpose="help",
    export=_export_published_versions, erase=_erase_publisher,
    fields={"journey": shown_as(JourneyVersion, "journey"), "version": shown_as(JourneyVersion, "number"),
            "published": shown_as(JourneyVersion, "published_at")},
    keep_reason=_("The versions stay as the municipality's journeys (citizens are on them); only the link to "
                  "you is removed."))
register_access_subject("journeys", _("the journeys you are on"))
