"""Train a candidate risk model and store it with its model card (not promoted):

    manage.py segmentation_train                  # from the platform's own outcomes
    manage.py segmentation_train --synthetic 20000  # from the SYNTHETIC simulator (labelled so)
    [--select]               # choose logistic or gradient boosting by cross-validation
    [--mitigate age_band]    # also fit per-group thresholds (ADR 0054), judged on the same holdout
    [--compare age_band origin gender]  # evaluate thresholds and reweighting by each, with the cost
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from jobunivers.segmentation import evaluation, riskmodel, services


class Command(BaseCommand):
    help = "Train a candidate risk model from outcomes (or the synthetic simulator) into the registry."

    def add_arguments(self, parser):
        parser.add_argument("--horizon", type=int, default=26, help="weeks (default 26)")
        parser.add_argument("--synthetic", type=int, default=0, help="rows from the simulator instead")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--select", action="store_true", help="choose the model kind by cross-validation")
        parser.add_argument("--mitigate", choices=list(evaluation.MITIGATION_ATTRIBUTES),
                            help="fit per-group thresholds for this input attribute")
        parser.add_argument("--compare", nargs="*", default=[], choices=["age_band", "origin", "gender"],
                            help="evaluate thresholds and reweighting by these groups (card only)")

    def handle(self, *args, horizon, synthetic, seed, select=False, mitigate=None, compare=(), **options):
        if not 4 <= horizon <= 104:
            raise CommandError(_("The horizon must be between 4 and 104 weeks."))
        try:
            if synthetic:
                version = services.model_train_synthetic(n=synthetic, seed=seed, horizon_weeks=horizon,
                                                         select_model=select, mitigate=mitigate,
                                                         compare=tuple(compare or ()))
            else:
                version = services.model_train_from_outcomes(horizon_weeks=horizon, select_model=select,
                                                             mitigate=mitigate, compare=tuple(compare or ()))
        except riskmodel.TrainingError as error:
            raise CommandError(str(error)) from None
        card = version.model_card
        self.stdout.write(_("Candidate version %(v)s: ROC-AUC %(auc)s, calibration slope %(slope)s, Brier %(brier)s. "
                            "An administrator promotes it on the risk models page.")
                          % {"v": version.version, "auc": card["roc_auc"], "slope": card["calibration_slope"],
                             "brier": card["brier"]})
        if not card.get("fairness_within_bound", False):
            self.stdout.write(_("Not promotable as it stands: %(problems)s")
                              % {"problems": "; ".join(card.get("fairness_problems") or [])})
