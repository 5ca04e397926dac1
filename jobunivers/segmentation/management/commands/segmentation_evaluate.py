"""Train and evaluate the risk pipeline on any labelled table, with a time-ordered split.

    manage.py segmentation_evaluate --table FILE.csv --label COLUMN [--time COLUMN --event COLUMN]
                                    [--group COLUMN ...] [--exclude COLUMN ...] [--mitigate COLUMN]
                                    [--compare COLUMN ...] [--bootstrap 400] [--json]

Every other column is a feature: numbers as they are (empty = missing), text as categories.
Columns named like a protected attribute (gender, køn, origin, nationality, religion, ...) are
refused as features: name them with --group (fairness only) or --exclude. --exclude also drops
leaky columns (known only after the outcome). The columns used are printed.
A regularised logistic model and gradient boosting are compared by 5-fold cross-validation on
the training part; the better one is judged on the later, held-out part (both are reported).
ROC-AUC has a 95 % bootstrap interval; accuracy and the false-high/low-risk rates per group,
with intervals and group sizes, are reported at the thresholds production uses (0.35, 0.6).
--mitigate fits per-group thresholds for one --group column on out-of-fold predictions of the
training part (fairlearn's ThresholdOptimizer, made deterministic) and reports the figures on the
same holdout, with the accuracy cost. --compare evaluates, for each named --group column, both
mitigations — thresholds per group and reweighting by group at training — on the same holdout with
their accuracy cost, and says which of them a decision may use (ADR 0054).
--time orders the rows (numbers or ISO dates; without it the file's order is used); --event is
when the outcome became known: earlier rows whose outcome was not known at the cut-off are left
out of training, as they would be in real use. --group columns are never features: they are
used for the fairness check (false-high-risk rate by group, largest ratio).
"""

from __future__ import annotations

import csv
import datetime
import json
import math
import re

import numpy as np
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from jobunivers.segmentation import evaluation, riskmodel

# Words (exact) and word beginnings of column names that name a protected attribute, in English
# and Danish. Matched per word, so "gender", "Køn" and "country_of_origin" match, "original" not.
PROTECTED_WORDS = {"gender", "køn", "koen", "sex", "origin", "herkomst", "oprindelse", "race", "racial", "tro",
                   "faith", "hudfarve", "colour", "color", "handicap", "political", "politisk"}
PROTECTED_PREFIXES = ("nationalit", "statsborger", "citizenship", "ethnic", "etnic", "etnisk", "religio",
                      "disabilit", "sexual", "seksuel", "trosretning")
TRUE = {"1", "true", "yes", "ja", "y"}
FALSE = {"0", "false", "no", "nej", "n"}
MAX_CATEGORIES = 250


def _time_value(text: str) -> float:
    text = text.strip()
    if not text:
        return math.nan
    try:
        return float(text)
    except ValueError:
        pass
    try:
        return float(datetime.datetime.fromisoformat(text).timestamp())
    except ValueError:
        raise CommandError(_("%(value)s is neither a number nor a date") % {"value": text}) from None


def protected_columns(names: list[str]) -> list[str]:
    """The column names that look like a protected attribute."""
    found = []
    for name in names:
        words = [word for word in re.split(r"[^a-zæøå]+", name.lower()) if word]
        if any(word in PROTECTED_WORDS or word.startswith(PROTECTED_PREFIXES) for word in words):
            found.append(name)
    return found


def load_table(path: str, *, label: str, time: str | None, event: str | None, groups: list[str],
               exclude: list[str] | None = None) -> dict:
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            columns = list(reader.fieldnames or [])
            rows = list(reader)
    except FileNotFoundError:
        raise CommandError(_("The file %(path)s does not exist.") % {"path": path}) from None
    except (UnicodeDecodeError, csv.Error) as error:
        raise CommandError(_("The file could not be read: %(error)s") % {"error": error}) from None
    exclude = list(exclude or [])
    for name in [label, time, event, *groups, *exclude]:
        if name and name not in columns:
            raise CommandError(_("The table has no column %(column)s. Columns: %(columns)s")
                               % {"column": name, "columns": ", ".join(columns)})
    kept, skipped, y = [], 0, []
    for number, row in enumerate(rows, start=2):
        value = (row.get(label) or "").strip().lower()
        if value in TRUE:
            y.append(1)
        elif value in FALSE:
            y.append(0)
        elif value == "":
            skipped += 1
            continue
        else:
            raise CommandError(_("Line %(line)s: the label must be 0 or 1, not %(value)s")
                               % {"line": number, "value": value})
        kept.append(row)
    excluded = {label, time, event, *groups, *exclude} - {None}
    refused = protected_columns([name for name in columns if name not in excluded])
    if refused:
        raise CommandError(_("The columns %(columns)s look like protected attributes and are never features. "
                             "Give them with --group (to measure fairness) or --exclude.")
                           % {"columns": ", ".join(refused)})
    features, categorical, dropped = [], [], []
    matrix_columns = []
    for name in columns:
        if name in excluded:
            continue
        raw = [(row.get(name) or "").strip() for row in kept]
        try:
            values = np.array([float(v) if v else math.nan for v in raw])
            is_categorical = False
        except ValueError:
            categories = sorted({v for v in raw if v})
            if len(categories) > MAX_CATEGORIES:
                dropped.append(f"{name} (" + _("too many categories") + ")")
                continue
            index = {c: i for i, c in enumerate(categories)}
            values = np.array([float(index[v]) if v else math.nan for v in raw])
            is_categorical = True
        finite = values[~np.isnan(values)]
        if len(finite) == 0 or np.all(finite == finite[0]) and not np.isnan(values).any():
            dropped.append(f"{name} (" + _("constant") + ")")
            continue
        features.append(name)
        categorical.append(is_categorical)
        matrix_columns.append(values)
    if not features:
        raise CommandError(_("No usable feature columns."))
    entry = (np.array([_time_value(row.get(time) or "") for row in kept]) if time
             else np.arange(len(kept), dtype=float))
    if time and np.isnan(entry).any():
        raise CommandError(_("Every row needs a value in the time column %(column)s.") % {"column": time})
    events = np.array([_time_value(row.get(event) or "") for row in kept]) if event else None
    return {
        "X": np.column_stack(matrix_columns), "y": np.array(y), "features": features, "categorical": categorical,
        "entry": entry, "event": events, "groups": {g: np.array([row.get(g) or "" for row in kept]) for g in groups},
        "skipped": skipped, "dropped": dropped, "rows": len(kept), "excluded": exclude,
    }


class Command(BaseCommand):
    help = "Train and evaluate the risk model on a labelled CSV table with a time-ordered split."

    def add_arguments(self, parser):
        parser.add_argument("--table", required=True, help="CSV file with a header line")
        parser.add_argument("--label", required=True, help="0/1 column: 1 = still unemployed at the horizon")
        parser.add_argument("--time", help="column that orders the rows (entry time)")
        parser.add_argument("--event", help="column with when the outcome became known")
        parser.add_argument("--group", nargs="*", default=[], help="columns for the fairness check (never features)")
        parser.add_argument("--exclude", nargs="*", default=[], help="columns never to use (e.g. leaky ones)")
        parser.add_argument("--mitigate", help="a --group column: fit per-group thresholds and report the cost")
        parser.add_argument("--compare", nargs="*", default=[],
                            help="--group columns: evaluate thresholds and reweighting by each, with the cost")
        parser.add_argument("--bootstrap", type=int, default=evaluation.BOOTSTRAP_ROUNDS,
                            help="bootstrap rounds for the intervals")
        parser.add_argument("--threshold", type=float, default=riskmodel.HIGH_RISK_THRESHOLD)
        parser.add_argument("--json", action="store_true", help="print the model card as JSON")

    def handle(self, *args, table, label, time, event, group, threshold, json: bool = False, exclude=None,
               mitigate=None, compare=(), bootstrap=evaluation.BOOTSTRAP_ROUNDS, **options):
        if event and not time:
            raise CommandError(_("--event needs --time."))
        if not 0 < threshold < 1:
            raise CommandError(_("--threshold must be between 0 and 1."))
        if mitigate and mitigate not in group:
            raise CommandError(_("--mitigate must name one of the --group columns."))
        if any(name not in group for name in compare or ()):
            raise CommandError(_("--compare must name --group columns."))
        if not 50 <= bootstrap <= 10000:
            raise CommandError(_("--bootstrap must be between 50 and 10000."))
        data = load_table(table, label=label, time=time, event=event, groups=group, exclude=exclude)
        try:
            result = riskmodel.train_and_evaluate(
                data["X"], data["y"], feature_names=data["features"], entry_times=data["entry"],
                event_times=data["event"], groups=data["groups"], categorical=data["categorical"],
                threshold=threshold, select_model=True, mitigate=mitigate, bootstrap_rounds=bootstrap,
                compare=list(compare or ()))
        except riskmodel.TrainingError as error:
            raise CommandError(str(error)) from None
        card = {**result.card, "rows": data["rows"], "rows_without_label": data["skipped"],
                "dropped_columns": data["dropped"], "excluded_columns": data["excluded"],
                "group_columns": list(group), "order": time or "file order"}
        if json:
            self.stdout.write(_json_dumps(card))
            return
        self._print(card)

    def _print(self, card: dict) -> None:
        write = self.stdout.write
        write(_("Rows: %(rows)s (training %(train)s, test %(test)s; time-ordered split by %(order)s)")
              % {"rows": card["rows"], "train": card["n_train"], "test": card["n_test"], "order": card["order"]})
        if card["rows_without_label"]:
            write(_("Rows without a label, left out: %(n)s") % {"n": card["rows_without_label"]})
        write(_("Features used (%(n)s): %(names)s") % {"n": len(card["features"]), "names": ", ".join(card["features"])})
        if card["excluded_columns"]:
            write(_("Excluded: %(names)s") % {"names": ", ".join(card["excluded_columns"])})
        if card["group_columns"]:
            write(_("Groups (never features): %(names)s") % {"names": ", ".join(card["group_columns"])})
        if card["dropped_columns"]:
            write(_("Columns not used: %(names)s") % {"names": ", ".join(card["dropped_columns"])})
        selection = card.get("model_selection") or {}
        for kind, cv_auc in (selection.get("cv_roc_auc") or {}).items():
            write(_("%(model)s: cross-validated ROC-AUC %(cv)s on the training part, %(holdout)s on the holdout")
                  % {"model": kind, "cv": cv_auc, "holdout": selection["holdout"].get(kind)})
        if selection:
            write(_("Chosen: %(model)s") % {"model": selection["chosen"]})
        write(_("ROC-AUC: %(auc)s (95 %% interval %(low)s-%(high)s)")
              % {"auc": card["roc_auc"], "low": card["roc_auc_ci"][0], "high": card["roc_auc_ci"][1]})
        write(_("Calibration: slope %(slope)s, intercept %(intercept)s, Brier score %(brier)s")
              % {"slope": card["calibration_slope"], "intercept": card["calibration_intercept"],
                 "brier": card["brier"]})
        mitigation = card.get("mitigation")
        if mitigation:
            write(_("Mitigation: thresholds per %(attribute)s, fitted on %(fitted)s; accuracy cost %(cost)s")
                  % {"attribute": mitigation["attribute"], "fitted": mitigation["fitted_on"],
                     "cost": ", ".join(f"{level} {cost}" for level, cost in mitigation["accuracy_cost"].items())})
        for level, report in card["at_thresholds"].items():
            write(_("At the production threshold %(t)s (%(level)s): %(a)s correctly classified, "
                    "false-high-risk %(fhr)s, false-low-risk %(flr)s")
                  % {"t": report["threshold"], "level": level, "a": report["accuracy"],
                     "fhr": report["false_high_risk_rate"], "flr": report["false_low_risk_rate"]})
            for name, result in report["fairness"].items():
                write("  " + _("%(group)s: largest false-high-risk ratio %(ratio)s (95 %% interval %(low)s-%(high)s), "
                               "%(status)s")
                      % {"group": name, "ratio": result["largest_ratio"], "low": result["ratio_ci"][0],
                         "high": result["ratio_ci"][1], "status": result["status"]})
                for value, row in result["groups"].items():
                    write(f"    {value} (n={row['n']}, {row['n_not_unemployed']}/{row['n_unemployed']}): "
                          f"FHR {row['false_high_risk_rate']} {row['false_high_risk_ci']}, "
                          f"FLR {row['false_low_risk_rate']} {row['false_low_risk_ci']}"
                          + (" " + _("too small to tell") if row["too_small"] else ""))
        for option in card.get("mitigations_evaluated") or []:
            write(_("Evaluated: %(method)s by %(attribute)s (%(library)s), %(use)s")
                  % {"method": option["method"], "attribute": option["attribute"], "library": option["library"],
                     "use": _("may be used in decisions") if option["allowed_in_decisions"]
                     else _("evaluation only, not for decisions")})
            for level, values in option["at_thresholds"].items():
                write("  " + _("%(level)s: accuracy %(a)s (cost %(cost)s); %(ratios)s")
                      % {"level": level, "a": values["accuracy"], "cost": values["accuracy_cost"],
                         "ratios": ", ".join(f"{name} {r['largest_ratio']} [{r['ratio_ci'][0]}-{r['ratio_ci'][1]}] "
                                             f"{r['status']}" for name, r in values["fairness"].items())})
        if card["fairness_within_bound"]:
            write(_("Within the fairness bound %(bound)s at every production threshold.") % {"bound": card["fairness_bound"]})
        else:
            write(_("Not within the fairness bound: %(problems)s") % {"problems": "; ".join(card["fairness_problems"])})


def _json_dumps(card: dict) -> str:
    return json.dumps(card, indent=2, ensure_ascii=False, default=float)
