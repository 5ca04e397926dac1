"""Personal data held by advice: the citizen's current diagnosis (the findings and the facts they came
from) and their answers to its steps. Help only (purpose "help"): it never changes a track, is never
used to check availability and never leads to a sanction. Erased on request; the diagnosis is
replaced at every recompute, so no history is kept."""

from django.utils.translation import gettext_lazy as _

from jobunivers.audit.privacy import register_access_subject, register_personal_data, shown_as

from .models import Diagnosis, StepResponse


def _export_diagnosis(user):
    return [{"computed_at": d.computed_at.isoformat(), "findings": [f["module"] for f in d.findings],
             "facts": d.facts} for d in Diagnosis.all_tenants.filter(citizen__user=user)]


def _erase_diagnosis(user):
    Diagnosis.all_tenants.filter(citizen__user=user).delete()


def _export_answers(user):
    return [{"module": r.module, "step": r.step, "answer": r.answer, "answered_at": r.updated_at.isoformat()}
            for r in StepResponse.all_tenants.filter(citizen__user=user).order_by("created_at")]


def _erase_answers(user):
    StepResponse.all_tenants.filter(citizen__user=user).delete()


register_personal_data(
    Diagnosis, category=_("Your personal diagnosis (help for your job search; it never changes your track and "
                          "never leads to a sanction)"), purpose="help",
    export=_export_diagnosis, erase=_erase_diagnosis,
    fields={"computed_at": shown_as(Diagnosis, "computed_at"), "findings": shown_as(Diagnosis, "findings"),
            "facts": shown_as(Diagnosis, "facts")})
register_personal_data(
    StepResponse, category=_("Your answers to the next steps of your diagnosis"), purpose="help",
    export=_export_answers, erase=_erase_answers,
    fields={"module": shown_as(StepResponse, "module"), "step": shown_as(StepResponse, "step"),
            "answer": shown_as(StepResponse, "answer"), "answered_at": _("answered at")})
register_access_subject("personal diagnosis", _("the citizen's personal diagnosis and its next steps"))
