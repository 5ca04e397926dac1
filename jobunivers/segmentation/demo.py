"""Demo data (order 80): register data from the SYNTHETIC simulator for every demo citizen, a
demo risk model trained on synthetic data (labelled so), suggestions, some decisions (a few
changed, with reasons), a few disagreements, and one re-segmentation run."""

from __future__ import annotations

import datetime

from django.utils import timezone

from jobunivers.accounts.models import User
from jobunivers.citizens.models import Citizen
from jobunivers.core.context import tenant_context
from jobunivers.core.demo import register
from jobunivers.core.errors import ValidationFailed
from jobunivers.tenancy.models import Membership, Municipality
from jobunivers.tenancy.roles import Role

from . import services
from .models import Disagreement, RegisterData, RiskModelVersion, Suggestion
from .simulator import simulate

DEMO_MODEL_ROWS = 20000
CHANGE_REASONS = [
    "Borgeren har netop fået tilbud om job med opstart om to uger.",
    "Borgeren ønsker selv at klare sig med selvbetjening og har et stærkt netværk.",
    "Helbredsforhold gør, at borgeren har brug for en fast kontakt.",
]


def _demo_model(stdout) -> RiskModelVersion:
    """A SYNTHETIC candidate with the mitigation ADR 0054 allows (thresholds per age band, fitted
    with fairlearn) and the other mitigations evaluated beside it, promoted by the demo operator
    if it passes the promotion rule. The regularised logistic model: cross-validation prefers it on
    the simulator (docs/segmentation.md) and it trains in seconds. On the simulator it does not
    pass: the proxies of origin (social assistance, language barrier) are real effects there, so
    at the 0.6 threshold people of non-western origin who find work are flagged about twice as
    often as people of Danish origin, and only thresholds by origin (forbidden) close that. The
    demo then runs on the rules alone, and the public algorithm register shows the candidate's
    figures, the mitigation and its cost, and says why it is not in use."""
    version = services.model_train_synthetic(n=DEMO_MODEL_ROWS, seed=80, mitigate="age_band",
                                             compare=("age_band", "origin"), model_kind="logistic")
    operator = Membership.objects.filter(role=Role.PLATFORM_OPERATOR, is_active=True).select_related("user").first()
    if operator is None:
        stdout.write(f"  segmentation: SYNTHETIC candidate v{version.version}; no operator to promote it")
        return version
    try:
        version = services.model_promote(actor=operator.user, version_id=version.pk)
    except ValidationFailed as refused:
        stdout.write(f"  segmentation: SYNTHETIC candidate v{version.version} not promoted: {refused}")
        return version
    stdout.write(f"  segmentation: SYNTHETIC demo model v{version.version}, ROC-AUC {version.model_card['roc_auc']}")
    return version


@register("segmentation", order=80)
def load(*, rng, stdout):
    if not RiskModelVersion.objects.exists():
        _demo_model(stdout)
    today = timezone.localdate()
    for municipality in Municipality.objects.filter(is_demo=True).order_by("code"):
        services.tracks_ensure_defaults(municipality_id=municipality.pk)
        citizens = list(Citizen.all_tenants.filter(municipality=municipality, is_demo=True).order_by("id"))
        if not citizens:
            continue
        population = simulate(len(citizens), seed=int(municipality.code))
        with_data = set(RegisterData.all_tenants.filter(citizen__in=citizens).values_list("citizen_id", flat=True))
        rows = []
        for index, citizen in enumerate(citizens):
            if citizen.pk in with_data:
                continue
            register_values = population.inputs(index)["register"]
            registered = citizen.registered_on or today
            rows.append(RegisterData(municipality=municipality, citizen=citizen, registered_on=registered,
                                     source=RegisterData.Source.DEMO, **register_values))
        RegisterData.all_tenants.bulk_create(rows, batch_size=1000)
        advisers = list(Membership.objects.filter(municipality=municipality, role=Role.JOB_ADVISER, is_active=True)
                        .values_list("user_id", flat=True))
        with tenant_context(municipality):
            for citizen in citizens:
                if Suggestion.objects.filter(citizen=citizen).exists():
                    continue
                suggestion = services.suggestion_create(citizen_id=citizen.pk)
                draw = rng.random()
                if advisers and draw < 0.6:
                    actor = User.objects.get(pk=rng.choice(advisers))
                    if draw < 0.05:
                        other = [t for t in services.tracks_ensure_defaults(municipality_id=municipality.pk)
                                 if t.pk != suggestion.track_id]
                        services.decision_make(actor=actor, suggestion_id=suggestion.pk,
                                               track_id=rng.choice(other).pk, reason=rng.choice(CHANGE_REASONS))
                    else:
                        services.decision_make(actor=actor, suggestion_id=suggestion.pk,
                                               track_id=suggestion.track_id)
                elif draw > 0.97:
                    Disagreement.objects.create(
                        municipality=municipality, suggestion=suggestion, citizen=citizen,
                        comment="Jeg har allerede et job på vej og klarer mig selv.")
            result = services.resegment_municipality(municipality_id=municipality.pk,
                                                     now=timezone.now() + datetime.timedelta(hours=1))
        stdout.write(f"  segmentation: {municipality.name}: {len(citizens)} suggestions, "
                     f"{result.transitions} re-segmentation transitions, {result.assigned} consultants assigned")
