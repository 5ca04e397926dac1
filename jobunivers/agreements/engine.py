"""The statement engine: a month's statement for one agreement, computed from plain values.

No Django here: the inputs are frozen dataclasses (the agreement's terms, its rates with their
validity periods, the enrolments, the billable use events and the job outcomes), the output is a
`ComputedStatement` of lines in øre (integers). The same inputs always give the same statement and
the same `inputs_fingerprint`, which is what makes a stored statement reproducible (ADR 0085).

Rules, each chosen once and tested in tests/test_engine.py:
- Dates are whole days. A rate is valid from `valid_from` through `valid_to` (both inclusive;
  `valid_to=None` is open). A day no rate covers is not billed.
- Flat rate: the monthly amount, split by days when a rate starts or ends inside the month.
  Splits use cumulative rounding (each part is round(total x end/days) - round(total x start/days)),
  so cutting a month at any day never changes its total.
- Subscription: per enrolled citizen per month, pro rata by day: an enrolment is billed from its
  enrolment day up to (not including) the day it was withdrawn or completed.
- Pay per use: each `launched` or `session` event (the agreement names which) times its quantity,
  at the rate valid on the event's day. Per hour: each `hour` event's quantity (hours) times the
  hourly rate. Events on or after the enrolment's withdrawal day are not billed.
- Outcome-based: the base fee per enrolment in the month of enrolment, at the rate valid on the
  enrolment day; the result fee in the month of the outcome, at the rate valid on the enrolment day
  (the price agreed when the citizen started), when the citizen left unemployment for a job on or
  after the enrolment day and at most N weeks after it, and had not withdrawn before that day.
- Free: no lines, total 0.
Amounts are rounded half up to whole øre once per line.
"""

from __future__ import annotations

import calendar
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction


class PaymentModel(StrEnum):
    FLAT = "flat"
    SUBSCRIPTION = "subscription"
    PER_USE = "per_use"
    PER_HOUR = "per_hour"
    OUTCOME = "outcome"
    FREE = "free"


class UseKind(StrEnum):
    ENROLLED = "enrolled"
    LAUNCHED = "launched"
    SESSION = "session"
    HOUR = "hour"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


class LineKind(StrEnum):
    FLAT = "flat"
    SUBSCRIPTION = "subscription"
    USE = "use"
    HOUR = "hour"
    BASE_FEE = "base_fee"
    RESULT_FEE = "result_fee"


@dataclass(frozen=True)
class RatePeriod:
    """One rate of an agreement. `amount_ore`: the month (flat), the citizen-month (subscription),
    the use, the hour, or the base fee (outcome). `result_fee_ore` is used by outcome pay only."""

    valid_from: date
    valid_to: date | None
    amount_ore: int
    result_fee_ore: int = 0

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class Terms:
    payment_model: PaymentModel
    rates: tuple[RatePeriod, ...]
    use_kind: UseKind = UseKind.LAUNCHED  # pay per use: which events count
    outcome_weeks: int = 0  # outcome-based: N weeks after enrolment


@dataclass(frozen=True)
class EnrolmentFacts:
    """One enrolment of one citizen, known to the engine by the citizen's pseudonym towards the vendor
    (`subject`), so statements survive the erasure of a citizen. A subject may enrol again later."""

    subject: str
    enrolled_on: date
    ended_on: date | None = None  # withdrawn or completed: billing stops from this day
    withdrawn: bool = False


@dataclass(frozen=True)
class Use:
    subject: str
    kind: UseKind
    quantity: Decimal
    occurred_on: date


@dataclass(frozen=True)
class StatementInputs:
    year: int
    month: int
    terms: Terms
    enrolments: tuple[EnrolmentFacts, ...] = ()
    uses: tuple[Use, ...] = ()
    job_found_on: tuple[tuple[str, date], ...] = ()  # (subject, day the citizen left unemployment for a job)


@dataclass(frozen=True)
class Line:
    kind: LineKind
    period_start: date
    period_end: date  # inclusive
    quantity: Decimal
    unit_amount_ore: int
    amount_ore: int
    subject: str = ""


@dataclass(frozen=True)
class ComputedStatement:
    lines: tuple[Line, ...] = field(default_factory=tuple)
    fingerprint: str = ""

    @property
    def total_ore(self) -> int:
        return sum(line.amount_ore for line in self.lines)


class RateOverlap(ValueError):
    pass


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def round_ore(value: Fraction | Decimal) -> int:
    """Half up, to whole øre (amounts are never negative here)."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def check_no_overlap(rates: tuple[RatePeriod, ...] | list[RatePeriod]) -> None:
    ordered = sorted(rates, key=lambda rate: rate.valid_from)
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if earlier.valid_to is None or earlier.valid_to >= later.valid_from:
            raise RateOverlap(f"{earlier.valid_from}–{earlier.valid_to} overlaps {later.valid_from}")
    for rate in ordered:
        if rate.valid_to is not None and rate.valid_to < rate.valid_from:
            raise RateOverlap(f"{rate.valid_from} ends before it starts")


def rate_on(rates: tuple[RatePeriod, ...], day: date) -> RatePeriod | None:
    for rate in rates:
        if rate.covers(day):
            return rate
    return None


def _segments(rates: tuple[RatePeriod, ...], first: date, last: date) -> list[tuple[date, date, RatePeriod]]:
    """The parts of [first, last] (inclusive) each covered by one rate, in date order."""
    parts = []
    for rate in sorted(rates, key=lambda r: r.valid_from):
        start = max(first, rate.valid_from)
        end = last if rate.valid_to is None else min(last, rate.valid_to)
        if start <= end:
            parts.append((start, end, rate))
    return parts


def _pro_rata(amount_ore: int, month_start: date, days_in_month: int, start: date, end: date) -> int:
    """The part of a monthly amount for days start..end, by cumulative rounding."""
    before = (start - month_start).days
    through = (end - month_start).days + 1
    return round_ore(Fraction(amount_ore * through, days_in_month)) - round_ore(
        Fraction(amount_ore * before, days_in_month)
    )


def compute(inputs: StatementInputs) -> ComputedStatement:
    terms = inputs.terms
    check_no_overlap(terms.rates)
    compute_lines = {
        PaymentModel.FLAT: _flat,
        PaymentModel.SUBSCRIPTION: _subscription,
        PaymentModel.PER_USE: _per_use,
        PaymentModel.PER_HOUR: _per_hour,
        PaymentModel.OUTCOME: _outcome,
        PaymentModel.FREE: lambda _inputs: [],
    }[terms.payment_model]
    lines = compute_lines(inputs)
    lines.sort(key=lambda line: (line.period_start, line.kind, line.subject, line.period_end))
    return ComputedStatement(lines=tuple(lines), fingerprint=inputs_fingerprint(inputs))


def _flat(inputs: StatementInputs) -> list[Line]:
    first, last = month_bounds(inputs.year, inputs.month)
    days = last.day
    return [
        Line(LineKind.FLAT, start, end, Decimal(1), rate.amount_ore,
             _pro_rata(rate.amount_ore, first, days, start, end))
        for start, end, rate in _segments(inputs.terms.rates, first, last)
    ]


def _subscription(inputs: StatementInputs) -> list[Line]:
    first, last = month_bounds(inputs.year, inputs.month)
    days = last.day
    lines = []
    for enrolment in inputs.enrolments:
        start = max(first, enrolment.enrolled_on)
        end = last if enrolment.ended_on is None else min(last, enrolment.ended_on - timedelta(days=1))
        if start > end:
            continue
        for part_start, part_end, rate in _segments(inputs.terms.rates, start, end):
            billed_days = (part_end - part_start).days + 1  # the quantity: days of the month billed
            lines.append(Line(
                LineKind.SUBSCRIPTION, part_start, part_end, Decimal(billed_days),
                rate.amount_ore, _pro_rata(rate.amount_ore, first, days, part_start, part_end),
                enrolment.subject,
            ))
    return lines


def _billable_uses(inputs: StatementInputs, kinds: set[UseKind]) -> dict[RatePeriod, list[Use]]:
    first, last = month_bounds(inputs.year, inputs.month)
    by_subject: dict[str, list[EnrolmentFacts]] = defaultdict(list)
    for enrolment in sorted(inputs.enrolments, key=_enrolment_order):
        by_subject[enrolment.subject].append(enrolment)
    by_rate: dict[RatePeriod, list[Use]] = defaultdict(list)
    for use in inputs.uses:
        if use.kind not in kinds or not first <= use.occurred_on <= last:
            continue
        if _withdrawn_on(by_subject.get(use.subject, []), use.occurred_on):
            continue
        rate = rate_on(inputs.terms.rates, use.occurred_on)
        if rate is not None:
            by_rate[rate].append(use)
    return by_rate


def _enrolment_order(enrolment: EnrolmentFacts) -> tuple[date, date, bool]:
    # A total order, so facts read in any order give the same statement.
    return enrolment.enrolled_on, enrolment.ended_on or date.max, enrolment.withdrawn


def _withdrawn_on(enrolments: list[EnrolmentFacts], day: date) -> bool:
    """Whether the subject's latest enrolment started by `day` was withdrawn by then."""
    latest = None
    for enrolment in enrolments:
        if enrolment.enrolled_on <= day:
            latest = enrolment
    return (latest is not None and latest.withdrawn and latest.ended_on is not None
            and latest.ended_on <= day)


def _usage_lines(inputs: StatementInputs, kinds: set[UseKind], line_kind: LineKind) -> list[Line]:
    first, last = month_bounds(inputs.year, inputs.month)
    lines = []
    for rate, uses in _billable_uses(inputs, kinds).items():
        quantity = sum((use.quantity for use in uses), Decimal(0))
        lines.append(Line(
            line_kind, max(first, rate.valid_from), last if rate.valid_to is None else min(last, rate.valid_to),
            quantity, rate.amount_ore, round_ore(quantity * rate.amount_ore),
        ))
    return lines


def _per_use(inputs: StatementInputs) -> list[Line]:
    return _usage_lines(inputs, {inputs.terms.use_kind}, LineKind.USE)


def _per_hour(inputs: StatementInputs) -> list[Line]:
    return _usage_lines(inputs, {UseKind.HOUR}, LineKind.HOUR)


def _outcome(inputs: StatementInputs) -> list[Line]:
    first, last = month_bounds(inputs.year, inputs.month)
    job_found = dict(inputs.job_found_on)
    window = timedelta(weeks=inputs.terms.outcome_weeks)
    by_subject: dict[str, list[EnrolmentFacts]] = defaultdict(list)
    for enrolment in sorted(inputs.enrolments, key=_enrolment_order):
        by_subject[enrolment.subject].append(enrolment)
    lines = []
    for enrolment in inputs.enrolments:
        rate = rate_on(inputs.terms.rates, enrolment.enrolled_on)
        if rate is None:
            continue
        if first <= enrolment.enrolled_on <= last:
            lines.append(Line(LineKind.BASE_FEE, enrolment.enrolled_on, enrolment.enrolled_on, Decimal(1),
                              rate.amount_ore, rate.amount_ore, enrolment.subject))
        found_on = job_found.get(enrolment.subject)
        if found_on is None or not first <= found_on <= last:
            continue
        # One job earns one result fee: it belongs to the subject's latest enrolment before the job.
        latest = [e for e in by_subject[enrolment.subject] if e.enrolled_on <= found_on]
        if not latest or latest[-1] is not enrolment:
            continue
        in_window = found_on <= enrolment.enrolled_on + window
        withdrawn_before = enrolment.withdrawn and enrolment.ended_on is not None and enrolment.ended_on <= found_on
        if in_window and not withdrawn_before:
            lines.append(Line(LineKind.RESULT_FEE, found_on, found_on, Decimal(1), rate.result_fee_ore,
                              rate.result_fee_ore, enrolment.subject))
    return lines


def inputs_fingerprint(inputs: StatementInputs) -> str:
    """SHA-256 of the inputs in a canonical order: the same facts give the same hash whatever order
    they were read in."""
    terms = inputs.terms
    canonical = {
        "month": f"{inputs.year:04d}-{inputs.month:02d}",
        "model": str(terms.payment_model),
        "use_kind": str(terms.use_kind),
        "outcome_weeks": terms.outcome_weeks,
        "rates": sorted([r.valid_from.isoformat(), r.valid_to.isoformat() if r.valid_to else "",
                         r.amount_ore, r.result_fee_ore] for r in terms.rates),
        "enrolments": sorted([e.subject, e.enrolled_on.isoformat(),
                              e.ended_on.isoformat() if e.ended_on else "", e.withdrawn]
                             for e in inputs.enrolments),
        "uses": sorted([u.subject, str(u.kind), str(u.quantity.normalize()), u.occurred_on.isoformat()]
                       for u in inputs.uses),
        "jobs": sorted([subject, day.isoformat()] for subject, day in inputs.job_found_on),
    }
    payload = json.dumps(canonical, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def format_kroner(ore: int) -> str:
    """Danish display: 1.234,50 kr."""
    sign = "-" if ore < 0 else ""
    kroner, rest = divmod(abs(ore), 100)
    return f"{sign}{kroner:,}".replace(",", ".") + f",{rest:02d} kr."


def ore_from_kroner(text: str | Decimal) -> int:
    """Danish input at the edge ("1.234,50", "1234.50", "1234") to whole øre; ValueError if not."""
    if isinstance(text, Decimal):
        value = text
    else:
        cleaned = text.strip().removesuffix("kr.").removesuffix("kr").strip().replace(" ", "")
        if "," in cleaned:
            cleaned = cleaned.replace(".", "").replace(",", ".")
        try:
            value = Decimal(cleaned)
        except ArithmeticError as error:
            raise ValueError(text) from error
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
        raise ValueError(text)
    return int(value * 100)
