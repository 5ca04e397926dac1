"""Segmentation: score 1,000,000 citizens, train on 100,000 rows, re-segment 117,000 citizens.

Goals (issue 7): scoring <= 60 s, training <= 120 s, daily re-segmentation <= 120 s.
Scoring and training use the SYNTHETIC simulator (no database); scoring is one vectorised
predict_proba per batch of 100,000. The re-segmentation runs on one municipality of 117,000
citizens in the bench database (created once and reused): 70 % logged in within 0-60 days, 40 %
with job log entries, 3 personal consultants. It is timed twice: the first run (no state yet,
every citizen gets a row, many transitions, notices through notifications) and the next day.
"""

from __future__ import annotations

import datetime
import random

from bench.harness import database_label, emit, setup, timed

SCORE_ROWS = 1_000_000
TRAIN_ROWS = 100_000
CITIZENS = 117_000
SLUG = "bench-segmentering"


def _model_and_scoring() -> dict:
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
            "score_goal_s": 60, "score_per_second": round(SCORE_ROWS / score_times[0])}


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


def main() -> None:
    setup()
    figures = {"db": database_label(), **_model_and_scoring(), **_resegmentation()}
    emit("segmentation", figures)


if __name__ == "__main__":
    main()
