"""Plain-language figures for analytics/_experiment_result.html: a proportion's difference in percentage
points, a mean's in its own unit, intervals "from ... to ...", probabilities in whole per cent; numbers in
the reader's locale (1,5 in Danish)."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from jobunivers.analytics.experiment_stats import PROPORTION, Comparison

register = template.Library()


def _number(value: float, decimals: int, signed: bool = False) -> str:
    # number_format cuts off the decimals past `decimals` (9.9999 -> "9,9"): round first.
    shown = number_format(round(abs(value), decimals), decimals)
    if not signed:
        return ("−" if value < 0 else "") + shown
    rounded_zero = round(value, decimals) == 0
    return ("±" if rounded_zero else "+" if value > 0 else "−") + shown


def _scaled(comparison: Comparison, value: float, signed: bool = True) -> str:
    if comparison.metric.kind == PROPORTION:
        return _("%(value)s percentage points") % {"value": _number(100 * value, 1, signed)}
    return _number(value, 2, signed)


@register.filter
def metric_level(value: float | None, kind: str) -> str:
    """An arm's mean: a rate in per cent for a proportion, else the number."""
    if value is None:
        return "–"
    if kind == PROPORTION:
        return _("%(value)s %%") % {"value": _number(100 * value, 1)}
    return _number(value, 2)


@register.filter
def difference(comparison: Comparison) -> str:
    if comparison.difference is None:
        return "–"
    return _scaled(comparison, comparison.difference)


@register.filter
def relative(comparison: Comparison) -> str:
    if comparison.relative is None:
        return ""
    return _("%(value)s %% relative to the control") % {"value": _number(100 * comparison.relative, 0, True)}


@register.filter
def fixed_interval(comparison: Comparison) -> str:
    if comparison.low is None or comparison.high is None:
        return "–"
    return _("from %(low)s to %(high)s") % {"low": _scaled(comparison, comparison.low),
                                            "high": _scaled(comparison, comparison.high)}


@register.filter
def sequential_interval(comparison: Comparison) -> str:
    if comparison.sequential_low is None or comparison.sequential_high is None:
        return "–"
    return _("from %(low)s to %(high)s") % {"low": _scaled(comparison, comparison.sequential_low),
                                            "high": _scaled(comparison, comparison.sequential_high)}


@register.filter
def percent(value: float | None) -> str:
    """A probability or share in whole per cent; never 0 or 100 from rounding alone."""
    if value is None:
        return "–"
    shown = round(100 * value)
    if shown >= 100 and value < 1:
        return _("over 99 %")
    if shown <= 0 and value > 0:
        return _("under 1 %")
    return _("%(value)s %%") % {"value": shown}


@register.filter
def p_value(value: float | None) -> str:
    if value is None:
        return "–"
    if value < 0.001:
        return _("under 0.001")
    return number_format(round(value, 3), 3)
