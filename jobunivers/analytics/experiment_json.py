"""An ExperimentResult (experiment_stats) as JSON and back, for the stored results of journeys' experiments
(journeys.models.ResultSnapshot, docs/adr/0160). Pure: no Django.

`dump(result)` gives a dict of JSON values only: dicts become lists of [key, value] pairs (PostgreSQL's jsonb
does not keep the order of an object's keys, and the page shows the arms in their order), dates ISO strings,
and a float that is not finite the string "nan", "inf" or "-inf" (jsonb refuses NaN). `load(data)` gives back
a result equal to the one dumped, or raises `UnreadableResult` when the data is of another format or misses a
field: the caller then computes the result again rather than show figures it cannot trust.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import fields
from typing import Any

from .experiment_stats import ArmSummary, Comparison, ExperimentResult, Metric, SampleRatioCheck

FORMAT_VERSION = 1


class UnreadableResult(ValueError):
    """Stored data this code cannot read back exactly (another format version, a missing field)."""


def _number(value):
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # "nan", "inf", "-inf"
    return value


def _float(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise UnreadableResult(f"not a number: {value!r}")
    return float(value)


def _pairs(mapping: dict) -> list[list]:
    return [[key, _number(value)] for key, value in mapping.items()]


def _plain(obj) -> dict[str, Any]:
    """A dataclass's fields as JSON values (nested dataclasses, dicts and tuples by their own rules)."""
    out: dict[str, Any] = {}
    for f in fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, Metric | SampleRatioCheck):
            out[f.name] = _plain(value)
        elif isinstance(value, tuple):
            out[f.name] = [_plain(item) for item in value]
        elif isinstance(value, dict):
            out[f.name] = _pairs(value)
        elif isinstance(value, datetime.date):
            out[f.name] = value.isoformat()
        else:
            out[f.name] = _number(value)
    return out


def dump(result: ExperimentResult) -> dict[str, Any]:
    return {"format": FORMAT_VERSION, "result": _plain(result)}


def _typed(cls, data: dict[str, Any]):
    """Build a dataclass from its dumped fields, each read back by its declared type."""
    names = {f.name: str(f.type) for f in fields(cls)}
    if set(data) != set(names):
        raise UnreadableResult(f"{cls.__name__}: fields {sorted(set(data) ^ set(names))} differ")
    values: dict[str, Any] = {}
    for name, kind in names.items():
        value = data[name]
        if kind == "Metric":
            values[name] = _typed(Metric, value)
        elif kind == "SampleRatioCheck":
            values[name] = _typed(SampleRatioCheck, value)
        elif kind == "tuple[ArmSummary, ...]":
            values[name] = tuple(_typed(ArmSummary, item) for item in value)
        elif kind == "tuple[Comparison, ...]":
            values[name] = tuple(_typed(Comparison, item) for item in value)
        elif kind == "dict[str, int]":
            values[name] = {str(key): int(number) for key, number in value}
        elif kind.startswith("dict[str, float"):
            values[name] = {str(key): _float(number) for key, number in value}
        elif kind in ("float", "float | None"):
            values[name] = _float(value)
        elif kind == "datetime.date | None":
            values[name] = datetime.date.fromisoformat(value) if value is not None else None
        elif kind in ("int", "str", "bool"):
            if not isinstance(value, {"int": int, "str": str, "bool": bool}[kind]):
                raise UnreadableResult(f"{cls.__name__}.{name}: not {kind}")
            values[name] = value
        else:  # a field added to experiment_stats without a rule here: refuse rather than guess
            raise UnreadableResult(f"{cls.__name__}.{name}: no rule for {kind}")
    return cls(**values)


def load(data: dict[str, Any]) -> ExperimentResult:
    if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION or not isinstance(data.get("result"), dict):
        raise UnreadableResult("another format version")
    try:
        return _typed(ExperimentResult, data["result"])
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, UnreadableResult):
            raise
        raise UnreadableResult(str(error)) from error
