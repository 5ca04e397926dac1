"""Train and evaluate the risk pipeline on any labelled table, with a time-ordered split.

    manage.py segmentation_evaluate --table FILE.csv --label COLUMN [--time COLUMN --event COLUMN]
                                    [--group COLUMN ...] [--json]

Every other column is a feature: numbers as they are (empty = missing), text as categories.
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

import numpy as np
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from jobunivers.segmentation import riskmodel

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


def load_table(path: str, *, label: str, time: str | None, event: str | None, groups: list[str]) -> dict:
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            columns = list(reader.fieldnames or [])
            rows = list(reader)
    except FileNotFoundError:
        raise CommandError(_("The file %(path)s does not exist.") % {"path": path}) from None
    except (UnicodeDecodeError, csv.Error) as error:
        raise CommandError(_("The file could not be read: %(error)s") % {"error": error}) from None
    for name in [label, time, event, *groups]:
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
    excluded = {label, time, event, *groups} - {None}
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
        "skipped": skipped, "dropped": dropped, "rows": len(kept),
    }


class Command(BaseCommand):
    help = "Train and evaluate the risk model on a labelled CSV table with a time-ordered split."

    def add_arguments(self, parser):
        parser.add_argument("--table", required=True, help="CSV file with a header line")
        parser.add_argument("--label", required=True, help="0/1 column: 1 = still unemployed at the horizon")
        parser.add_argument("--time", help="column that orders the rows (entry time)")
        parser.add_argument("--event", help="column with when the outcome became known")
        parser.add_argument("--group", nargs="*", default=[], help="columns for the fairness check")
        parser.add_argument("--threshold", type=float, default=riskmodel.HIGH_RISK_THRESHOLD)
        parser.add_argument("--json", action="store_true", help="print the model card as JSON")

    def handle(self, *args, table, label, time, event, group, threshold, json: bool = False, **options):
        if event and not time:
            raise CommandError(_("--event needs --time."))
        if not 0 < threshold < 1:
            raise CommandError(_("--threshold must be between 0 and 1."))
        data = load_table(table, label=label, time=time, event=event, groups=group)
        try:
            result = riskmodel.train_and_evaluate(
                data["X"], data["y"], feature_names=data["features"], entry_times=data["entry"],
                event_times=data["event"], groups=data["groups"], categorical=data["categorical"],
                threshold=threshold)
        except riskmodel.TrainingError as error:
            raise CommandError(str(error)) from None
        card = {**result.card, "rows": data["rows"], "rows_without_label": data["skipped"],
                "dropped_columns": data["dropped"], "order": time or "file order"}
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
        write(_("Features (%(n)s): %(names)s") % {"n": len(card["features"]), "names": ", ".join(card["features"])})
        if card["dropped_columns"]:
            write(_("Columns not used: %(names)s") % {"names": ", ".join(card["dropped_columns"])})
        write(f"ROC-AUC: {card['roc_auc']}")
        write(_("Calibration: slope %(slope)s, intercept %(intercept)s, Brier score %(brier)s")
              % {"slope": card["calibration_slope"], "intercept": card["calibration_intercept"],
                 "brier": card["brier"]})
        write(_("Correctly classified at threshold %(t)s: %(a)s")
              % {"t": card["high_risk_threshold"], "a": card["accuracy_at_threshold"]})
        for name, result in card["fairness"].items():
            write(_("Fairness by %(group)s: largest ratio of false-high-risk rates %(ratio)s")
                  % {"group": name, "ratio": result["largest_ratio"]})
            for value, row in result["groups"].items():
                write(f"  {value}: {row['false_high_risk_rate']} (n={row['n_not_unemployed']})")


def _json_dumps(card: dict) -> str:
    return json.dumps(card, indent=2, ensure_ascii=False, default=float)
