"""Segmentation: score 1,000,000 citizens, train on 100,000 rows, suggest for and re-segment 117,000 citizens.

Goals (issue 7): scoring <= 60 s, training <= 120 s, daily re-segmentation <= 120 s; (issue 14)
suggestions for 117,000 citizens through the real service path <= 120 s.
Scoring and training use the SYNTHETIC simulator (no database); scoring is one vectorised
predict_proba per batch of 100,000. The re-segmentation runs on one municipality of 117,000
citizens in the bench database (created once and reused): 70 % logged in within 0-60 days, 40 %
with job log entries, 3 personal consultants. It is timed twice: the first run (no state yet,
every citizen gets a row, many transitions, notices through notifications) and the next day.

Suggestions: the same 117,000 citizens with register data from the simulator (90 %) and the trained
model active; `services.suggestions_create` reads inputs, scores, applies the rules, writes the
suggestions and their notices (through notifications) as production does, timed end to end.
"""

from __future__ import annotations

import datetime
import random

from bench.harness import database_label, emit, setup, timed

SCORE_ROWS = 1_000_000
TRAIN_ROWS = 100_000
CITIZENS = 117_000
SLUG = "bench-segmentering"


def _model_and_scoring() -> tuple[dict, object]:
    import numpy as np

    from jobunivers.segmentation import riskmodel
    from jobunivers.segmentation.features import FEATURE_NAMES
    from jobunivers.segmentation.simulator import simulate

    population = simulate(TRAIN_ROWS, seed=1)
    train_times, result = timed(
        riskmodel.train_and_evaluate, population.features, population.still_unemployed,
        feature_names=list(FEATURE_NAMES), entry_times=population.registered_day.astype(float),
        event_times=population.outcome_day,
        groups={"gender": population.gender, "origin": population.origin, "age_band": population.age_band})
    features = simulate(SCORE_ROWS, seed=2).features

    def score_all():
        return np.concatenate([riskmodel.predict(result.estimator, features[i:i + 100_000])
                               for i in range(0, len(features), 100_000)])

    score_times, scores = timed(score_all)
    assert len(scores) == SCORE_ROWS
    return {"train_rows": TRAIN_ROWS, "train_s": round(train_times[0], 2), "train_goal_s": 120,
            "train_roc_auc": result.card["roc_auc"], "score_rows": SCORE_ROWS, "score_s": round(score_times[0], 2),
            "score_goal_s": 60, "score_per_second": round(SCORE_ROWS / score_times[0])}, result


def _municipality():
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from jobunivers.accounts.models import User
    from jobunivers.citizens.models import Citizen, JobLogEntry
    from jobunivers.tenancy.models import Membership, Municipality
    from jobunivers.tenancy.roles import Role
    from jobunivers.tenancy.tests.factories import MunicipalityFactory

    municipality = Municipality.objects.filter(slug=SLUG).first() or MunicipalityFactory(
        code="9002", name="Segmenteringskommune", slug=SLUG)
    if Citizen.all_tenants.filter(municipality=municipality).count() >= CITIZENS:
        return municipality
    rng = random.Random(7)
    now = timezone.now()
    unusable = make_password(None)
    with transaction.atomic():
        users = [User(username=f"seg-bench-{n}", password=unusable,
                      last_login=now - datetime.timedelta(days=rng.randint(0, 60)) if rng.random() < 0.7 else None)
                 for n in range(CITIZENS)]
        User.objects.bulk_create(users, batch_size=5000)
        users = list(User.objects.filter(username__startswith="seg-bench-").order_by("id"))
        citizens = Citizen.all_tenants.bulk_create(
            [Citizen(municipality=municipality, user=u, registered_on=now.date() - datetime.timedelta(
                days=rng.randint(0, 200))) for u in users], batch_size=5000)
        citizens = list(Citizen.all_tenants.filter(municipality=municipality).values_list("id", flat=True))
        JobLogEntry.all_tenants.bulk_create([
            JobLogEntry(municipality=municipality, citizen_id=cid, employer="Bench A/S", job_title="Lager",
                        occurred_on=now.date() - datetime.timedelta(days=rng.randint(0, 40)))
            for cid in citizens if rng.random() < 0.4], batch_size=5000)
        for n in range(3):
            consultant = User.objects.create(username=f"seg-bench-consultant-{n}", password=unusable)
            Membership.objects.create(user=consultant, municipality=municipality, role=Role.PERSONAL_CONSULTANT)
    return municipality


def _resegmentation() -> dict:
    from django.utils import timezone

    from jobunivers.segmentation.models import CitizenInteraction, ConsultantAssignment, Transition
    from jobunivers.segmentation.services import resegment_municipality

    municipality = _municipality()
    for model in (Transition, CitizenInteraction, ConsultantAssignment):
        model.all_tenants.filter(municipality=municipality)._raw_delete(model.all_tenants.db)
    now = timezone.now()
    first_times, first = timed(resegment_municipality, municipality_id=municipality.pk, now=now)
    next_times, second = timed(resegment_municipality, municipality_id=municipality.pk,
                               now=now + datetime.timedelta(days=1))
    return {"resegment_citizens": first.reviewed, "resegment_first_s": round(first_times[0], 2),
            "resegment_first_transitions": first.transitions, "resegment_next_day_s": round(next_times[0], 2),
            "resegment_next_day_transitions": second.transitions, "resegment_assigned": second.assigned,
            "resegment_goal_s": 120}


def _suggestions(result) -> dict:
    from django.utils import timezone

    from jobunivers.citizens.models import Citizen
    from jobunivers.notifications.models import Notification, OutboxMessage
    from jobunivers.segmentation import services
    from jobunivers.segmentation.models import Decision, RegisterData, RiskModelVersion, Suggestion
    from jobunivers.segmentation.simulator import simulate

    municipality = _municipality()
    citizens = list(Citizen.all_tenants.filter(municipality=municipality).order_by("id").values_list(
        "id", "registered_on"))
    if RegisterData.all_tenants.filter(municipality=municipality).count() < len(citizens) * 0.8:
        population = simulate(len(citizens), seed=14)
        rng = random.Random(14)
        RegisterData.all_tenants.bulk_create([
            RegisterData(municipality=municipality, citizen_id=cid, registered_on=registered or timezone.localdate(),
                         source=RegisterData.Source.DEMO, **population.inputs(index)["register"])
            for index, (cid, registered) in enumerate(citizens) if rng.random() < 0.9],
            batch_size=5000, ignore_conflicts=True)
    active = RiskModelVersion.objects.filter(status=RiskModelVersion.Status.ACTIVE).first()
    if active is None:
        version = services.model_register(result=result, horizon_weeks=26, is_synthetic=True,
                                          training_period=("2024-01-01", "2025-12-31"), source="bench (SYNTHETIC)")
        RiskModelVersion.objects.filter(pk=version.pk).update(status=RiskModelVersion.Status.ACTIVE)
    services.tracks_ensure_defaults(municipality_id=municipality.pk)
    Decision.all_tenants.filter(municipality=municipality)._raw_delete(Decision.all_tenants.db)
    Suggestion.all_tenants.filter(municipality=municipality)._raw_delete(Suggestion.all_tenants.db)
    for model in (OutboxMessage, Notification):
        model.all_tenants.filter(municipality=municipality, subject_key__startswith="segmentation-suggestion:"
                                 )._raw_delete(model.all_tenants.db)
    from bench.harness import analyze

    analyze()
    times, made = timed(services.suggestions_create, municipality_id=municipality.pk)
    scored = Suggestion.all_tenants.filter(municipality=municipality, risk_score__isnull=False).count()
    notices = Notification.all_tenants.filter(municipality=municipality,
                                              subject_key__startswith="segmentation-suggestion:").count()
    return {"suggest_citizens": made, "suggest_scored": scored, "suggest_notices": notices,
            "suggest_s": round(times[0], 2), "suggest_goal_s": 120}


def main() -> None:
    setup()
    scoring, result = _model_and_scoring()
    figures = {"db": database_label(), **scoring, **_suggestions(result), **_resegmentation()}
    emit("segmentation", figures)


if __name__ == "__main__":
    main()
