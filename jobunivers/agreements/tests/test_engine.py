"""The statement engine on plain values: every payment model, rate changes, withdrawals, and
invariants by Hypothesis."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobunivers.agreements.engine import (
    EnrolmentFacts,
    Line,
    LineKind,
    PaymentModel,
    RateOverlap,
    RatePeriod,
    StatementInputs,
    Terms,
    Use,
    UseKind,
    check_no_overlap,
    compute,
    format_kroner,
    inputs_fingerprint,
    ore_from_kroner,
)

MARCH = (2026, 3)


def _terms(model, *rates, **extra):
    return Terms(payment_model=model, rates=tuple(rates), **extra)


def _open_rate(amount, result_fee=0, valid_from=date(2026, 1, 1)):
    return RatePeriod(valid_from=valid_from, valid_to=None, amount_ore=amount, result_fee_ore=result_fee)


def _inputs(terms, enrolments=(), uses=(), jobs=(), year=2026, month=3):
    return StatementInputs(year=year, month=month, terms=terms, enrolments=tuple(enrolments), uses=tuple(uses),
                           job_found_on=tuple(jobs))


# Flat rate


def test_flat_rate_bills_the_whole_month():
    # given
    terms = _terms(PaymentModel.FLAT, _open_rate(1_000_000))
    # when
    statement = compute(_inputs(terms))
    # then
    assert statement.lines == (
        Line(LineKind.FLAT, date(2026, 3, 1), date(2026, 3, 31), Decimal(1), 1_000_000, 1_000_000),
    )
    assert statement.total_ore == 1_000_000


def test_flat_rate_change_mid_month_splits_the_month_by_days():
    # given 31 days: 10 at 3,100.00 kr. and 21 at 6,200.00 kr.
    terms = _terms(
        PaymentModel.FLAT,
        RatePeriod(date(2026, 1, 1), date(2026, 3, 10), 310_000),
        RatePeriod(date(2026, 3, 11), None, 620_000),
    )
    # when
    statement = compute(_inputs(terms))
    # then
    assert [(line.period_start, line.period_end, line.amount_ore) for line in statement.lines] == [
        (date(2026, 3, 1), date(2026, 3, 10), 100_000),
        (date(2026, 3, 11), date(2026, 3, 31), 420_000),
    ]
    assert statement.total_ore == 520_000


def test_flat_rate_starting_mid_month_bills_from_its_first_day():
    # given
    terms = _terms(PaymentModel.FLAT, RatePeriod(date(2026, 3, 17), None, 310_000))
    # when
    statement = compute(_inputs(terms))
    # then 15 of 31 days
    assert statement.total_ore == 150_000


def test_a_month_no_rate_covers_bills_nothing():
    # given
    terms = _terms(PaymentModel.FLAT, RatePeriod(date(2026, 4, 1), None, 310_000))
    # when / then
    assert compute(_inputs(terms)).lines == ()


@settings(max_examples=200, deadline=None)
@given(amount=st.integers(min_value=0, max_value=10**10), cut=st.integers(min_value=1, max_value=27),
       month=st.integers(min_value=1, max_value=12))
def test_splitting_a_month_at_any_day_never_changes_a_flat_total(amount, cut, month):
    # given the same amount in two rate periods that meet on any day
    whole = _terms(PaymentModel.FLAT, _open_rate(amount))
    split = _terms(
        PaymentModel.FLAT,
        RatePeriod(date(2026, 1, 1), date(2026, month, cut), amount),
        RatePeriod(date(2026, month, cut + 1), None, amount),
    )
    # when
    whole_total = compute(_inputs(whole, month=month)).total_ore
    split_statement = compute(_inputs(split, month=month))
    # then
    assert len(split_statement.lines) == 2
    assert split_statement.total_ore == whole_total == amount


# Subscription


def test_subscription_bills_each_enrolled_citizen_pro_rata_by_day():
    # given one citizen all month, one from 17 March, one withdrawn on 11 March
    terms = _terms(PaymentModel.SUBSCRIPTION, _open_rate(31_000))
    enrolments = [
        EnrolmentFacts("s1", date(2026, 2, 3)),
        EnrolmentFacts("s2", date(2026, 3, 17)),
        EnrolmentFacts("s3", date(2026, 1, 5), ended_on=date(2026, 3, 11), withdrawn=True),
    ]
    # when
    statement = compute(_inputs(terms, enrolments))
    # then
    assert [(line.subject, line.period_start, line.period_end, line.amount_ore) for line in statement.lines] == [
        ("s1", date(2026, 3, 1), date(2026, 3, 31), 31_000),
        ("s3", date(2026, 3, 1), date(2026, 3, 10), 10_000),
        ("s2", date(2026, 3, 17), date(2026, 3, 31), 15_000),
    ]
    assert statement.total_ore == 56_000


def test_subscription_rate_change_mid_month_splits_each_citizen():
    # given
    terms = _terms(
        PaymentModel.SUBSCRIPTION,
        RatePeriod(date(2026, 1, 1), date(2026, 3, 10), 31_000),
        RatePeriod(date(2026, 3, 11), None, 62_000),
    )
    # when
    statement = compute(_inputs(terms, [EnrolmentFacts("s1", date(2026, 1, 1))]))
    # then
    assert [(line.period_end, line.quantity, line.amount_ore) for line in statement.lines] == [
        (date(2026, 3, 10), Decimal(10), 10_000),
        (date(2026, 3, 31), Decimal(21), 42_000),
    ]


def test_subscription_ended_before_the_month_and_completion_stop_billing():
    # given one withdrawn in February and one completed on 1 March
    terms = _terms(PaymentModel.SUBSCRIPTION, _open_rate(31_000))
    enrolments = [
        EnrolmentFacts("s1", date(2026, 1, 1), ended_on=date(2026, 2, 20), withdrawn=True),
        EnrolmentFacts("s2", date(2026, 1, 1), ended_on=date(2026, 3, 1)),
    ]
    # when / then
    assert compute(_inputs(terms, enrolments)).lines == ()


# Pay per use and per hour


def _uses(kind, days, subject="s1", quantity="1"):
    return [Use(subject, kind, Decimal(quantity), date(2026, 3, day)) for day in days]


def test_pay_per_launch_counts_launches_in_the_month_only():
    # given launches in March and one in April, and sessions that do not count
    terms = _terms(PaymentModel.PER_USE, _open_rate(2_500), use_kind=UseKind.LAUNCHED)
    uses = [*_uses(UseKind.LAUNCHED, [1, 2, 31]), *_uses(UseKind.SESSION, [3, 4]),
            Use("s1", UseKind.LAUNCHED, Decimal(1), date(2026, 4, 1))]
    # when
    statement = compute(_inputs(terms, [EnrolmentFacts("s1", date(2026, 2, 1))], uses))
    # then
    assert statement.lines == (
        Line(LineKind.USE, date(2026, 3, 1), date(2026, 3, 31), Decimal(3), 2_500, 7_500),
    )


def test_pay_per_session_counts_sessions():
    # given
    terms = _terms(PaymentModel.PER_USE, _open_rate(2_500), use_kind=UseKind.SESSION)
    uses = [*_uses(UseKind.LAUNCHED, [1, 2]), *_uses(UseKind.SESSION, [3, 4])]
    # when / then
    assert compute(_inputs(terms, [EnrolmentFacts("s1", date(2026, 2, 1))], uses)).total_ore == 5_000


def test_pay_per_use_stops_at_withdrawal():
    # given withdrawn on 10 March: uses on 9 March count, on 10 and 11 March do not
    terms = _terms(PaymentModel.PER_USE, _open_rate(2_500), use_kind=UseKind.LAUNCHED)
    enrolments = [EnrolmentFacts("s1", date(2026, 2, 1), ended_on=date(2026, 3, 10), withdrawn=True),
                  EnrolmentFacts("s2", date(2026, 2, 1))]
    uses = [*_uses(UseKind.LAUNCHED, [9, 10, 11]), *_uses(UseKind.LAUNCHED, [11], subject="s2")]
    # when / then
    assert compute(_inputs(terms, enrolments, uses)).lines[0].quantity == Decimal(2)


def test_pay_per_use_rate_change_mid_month_gives_a_line_per_rate():
    # given
    terms = _terms(
        PaymentModel.PER_USE,
        RatePeriod(date(2026, 1, 1), date(2026, 3, 15), 2_000),
        RatePeriod(date(2026, 3, 16), None, 3_000),
        use_kind=UseKind.SESSION,
    )
    uses = _uses(UseKind.SESSION, [1, 15, 16, 20, 31])
    # when
    statement = compute(_inputs(terms, [EnrolmentFacts("s1", date(2026, 2, 1))], uses))
    # then
    assert [(line.period_start, line.period_end, line.quantity, line.amount_ore) for line in statement.lines] == [
        (date(2026, 3, 1), date(2026, 3, 15), Decimal(2), 4_000),
        (date(2026, 3, 16), date(2026, 3, 31), Decimal(3), 9_000),
    ]


def test_per_hour_bills_the_hours_reported_and_rounds_half_up_once():
    # given 1.5 + 0.25 + 0.333 hours at 650.01 kr.
    terms = _terms(PaymentModel.PER_HOUR, _open_rate(65_001))
    uses = [Use("s1", UseKind.HOUR, Decimal("1.5"), date(2026, 3, 2)),
            Use("s1", UseKind.HOUR, Decimal("0.25"), date(2026, 3, 3)),
            Use("s1", UseKind.HOUR, Decimal("0.333"), date(2026, 3, 4)),
            Use("s1", UseKind.SESSION, Decimal("1"), date(2026, 3, 4))]
    # when
    statement = compute(_inputs(terms, [EnrolmentFacts("s1", date(2026, 2, 1))], uses))
    # then 2.083 h x 65,001 øre = 135,397.083 øre
    assert statement.lines == (
        Line(LineKind.HOUR, date(2026, 3, 1), date(2026, 3, 31), Decimal("2.083"), 65_001, 135_397),
    )


# Outcome-based


def _outcome_terms(weeks=12):
    return _terms(PaymentModel.OUTCOME, _open_rate(50_000, result_fee=1_500_000), outcome_weeks=weeks)


def test_outcome_bills_the_base_fee_in_the_month_of_enrolment_only():
    # given one enrolled in March and one in February, neither with a job
    enrolments = [EnrolmentFacts("s1", date(2026, 3, 5)), EnrolmentFacts("s2", date(2026, 2, 5))]
    # when
    statement = compute(_inputs(_outcome_terms(), enrolments))
    # then
    assert statement.lines == (
        Line(LineKind.BASE_FEE, date(2026, 3, 5), date(2026, 3, 5), Decimal(1), 50_000, 50_000, "s1"),
    )


def test_outcome_bills_the_result_fee_when_the_citizen_found_a_job_within_n_weeks():
    # given enrolled 5 February, job on 20 March (6 weeks later), N = 12
    enrolments = [EnrolmentFacts("s2", date(2026, 2, 5))]
    # when
    statement = compute(_inputs(_outcome_terms(), enrolments, jobs=[("s2", date(2026, 3, 20))]))
    # then
    assert statement.lines == (
        Line(LineKind.RESULT_FEE, date(2026, 3, 20), date(2026, 3, 20), Decimal(1), 1_500_000, 1_500_000, "s2"),
    )


def test_outcome_on_the_last_day_of_the_window_counts_and_the_day_after_does_not():
    # given enrolled 1 January; N = 10 weeks ends on 12 March
    inside = compute(_inputs(_outcome_terms(10), [EnrolmentFacts("s1", date(2026, 1, 1))],
                             jobs=[("s1", date(2026, 3, 12))]))
    outside = compute(_inputs(_outcome_terms(10), [EnrolmentFacts("s1", date(2026, 1, 1))],
                              jobs=[("s1", date(2026, 3, 13))]))
    # then
    assert inside.total_ore == 1_500_000
    assert outside.lines == ()


def test_outcome_without_a_job_or_with_a_job_before_enrolment_has_no_result_fee():
    # given a job found before enrolling (the vendor did not help) and a citizen without a job
    enrolments = [EnrolmentFacts("s1", date(2026, 3, 10)), EnrolmentFacts("s2", date(2026, 3, 10))]
    # when
    statement = compute(_inputs(_outcome_terms(), enrolments, jobs=[("s1", date(2026, 3, 9))]))
    # then base fees only
    assert [line.kind for line in statement.lines] == [LineKind.BASE_FEE, LineKind.BASE_FEE]
    assert statement.total_ore == 100_000


def test_outcome_after_withdrawal_has_no_result_fee():
    # given withdrawn on 1 March, job on 20 March
    enrolments = [EnrolmentFacts("s1", date(2026, 2, 5), ended_on=date(2026, 3, 1), withdrawn=True)]
    # when / then
    assert compute(_inputs(_outcome_terms(), enrolments, jobs=[("s1", date(2026, 3, 20))])).lines == ()


def test_outcome_after_completion_still_earns_the_result_fee():
    # given the course completed on 1 March and the job came on 20 March
    enrolments = [EnrolmentFacts("s1", date(2026, 2, 5), ended_on=date(2026, 3, 1))]
    # when / then
    assert compute(_inputs(_outcome_terms(), enrolments, jobs=[("s1", date(2026, 3, 20))])).total_ore == 1_500_000


def test_outcome_result_fee_uses_the_rate_valid_on_the_enrolment_day():
    # given the result fee doubled on 1 March, the citizen enrolled in February
    terms = _terms(
        PaymentModel.OUTCOME,
        RatePeriod(date(2026, 1, 1), date(2026, 2, 28), 50_000, 1_000_000),
        RatePeriod(date(2026, 3, 1), None, 50_000, 2_000_000),
        outcome_weeks=12,
    )
    # when
    statement = compute(_inputs(terms, [EnrolmentFacts("s1", date(2026, 2, 20))], jobs=[("s1", date(2026, 3, 2))]))
    # then
    assert statement.total_ore == 1_000_000


# Free


def test_free_agreement_bills_nothing_whatever_happened():
    # given
    terms = _terms(PaymentModel.FREE)
    uses = _uses(UseKind.LAUNCHED, [1, 2]) + _uses(UseKind.HOUR, [3], quantity="2")
    # when
    statement = compute(_inputs(terms, [EnrolmentFacts("s1", date(2026, 3, 1))], uses, jobs=[("s1", date(2026, 3, 9))]))
    # then
    assert statement.lines == ()
    assert statement.total_ore == 0


# Rates, reproducibility, money at the edges


def test_overlapping_rates_are_refused():
    # given
    rates = [RatePeriod(date(2026, 1, 1), date(2026, 3, 10), 1), RatePeriod(date(2026, 3, 10), None, 2)]
    # when / then
    with pytest.raises(RateOverlap):
        check_no_overlap(rates)
    with pytest.raises(RateOverlap):
        compute(_inputs(_terms(PaymentModel.FLAT, *rates)))


def test_an_open_rate_before_another_overlaps_and_a_rate_ending_before_it_starts_is_refused():
    with pytest.raises(RateOverlap):
        check_no_overlap([RatePeriod(date(2026, 1, 1), None, 1), RatePeriod(date(2026, 5, 1), None, 2)])
    with pytest.raises(RateOverlap):
        check_no_overlap([RatePeriod(date(2026, 5, 1), date(2026, 4, 30), 1)])


_days = st.dates(min_value=date(2026, 2, 1), max_value=date(2026, 4, 30))
_use = st.builds(Use, subject=st.sampled_from(["s1", "s2", "s3"]), kind=st.sampled_from(list(UseKind)),
                 quantity=st.decimals(min_value=0, max_value=100, places=2), occurred_on=_days)
_subjects = st.lists(st.sampled_from(["s1", "s2", "s3"]), max_size=5)


@st.composite
def _statement_inputs(draw):
    model = draw(st.sampled_from(list(PaymentModel)))
    cut = draw(st.integers(1, 30))
    rates = (
        RatePeriod(date(2026, 1, 1), date(2026, 3, cut), draw(st.integers(0, 10**7)), draw(st.integers(0, 10**8))),
        RatePeriod(date(2026, 3, cut + 1), None, draw(st.integers(0, 10**7)), draw(st.integers(0, 10**8))),
    )
    enrolments = []
    for subject in draw(_subjects):
        enrolled_on = draw(_days)
        ended_on = draw(st.none() | st.dates(min_value=enrolled_on, max_value=date(2026, 5, 31)))
        enrolments.append(EnrolmentFacts(subject, enrolled_on, ended_on,
                                         draw(st.booleans()) and ended_on is not None))
    jobs = [(subject, draw(_days)) for subject in sorted({e.subject for e in enrolments}) if draw(st.booleans())]
    terms = Terms(model, rates, use_kind=draw(st.sampled_from([UseKind.LAUNCHED, UseKind.SESSION])),
                  outcome_weeks=draw(st.integers(0, 52)))
    return _inputs(terms, enrolments, draw(st.lists(_use, max_size=30)), jobs)


@settings(max_examples=200, deadline=None)
@given(inputs=_statement_inputs(), order=st.randoms())
def test_a_statement_is_reproducible_from_the_same_events_in_any_order(inputs, order):
    # given the same facts read back in another order
    shuffled = [list(inputs.enrolments), list(inputs.uses), list(inputs.job_found_on)]
    for facts in shuffled:
        order.shuffle(facts)
    again = StatementInputs(inputs.year, inputs.month, inputs.terms, tuple(shuffled[0]), tuple(shuffled[1]),
                            tuple(shuffled[2]))
    # when
    first, second = compute(inputs), compute(again)
    # then
    assert first == second
    assert first.fingerprint == inputs_fingerprint(again)


@settings(max_examples=200, deadline=None)
@given(inputs=_statement_inputs())
def test_every_line_is_within_the_month_and_never_negative(inputs):
    # when
    statement = compute(inputs)
    # then
    for line in statement.lines:
        assert date(2026, 3, 1) <= line.period_start <= line.period_end <= date(2026, 3, 31)
        assert line.amount_ore >= 0
    if inputs.terms.payment_model is PaymentModel.FREE:
        assert statement.total_ore == 0


def test_one_more_event_changes_the_fingerprint():
    # given
    terms = _terms(PaymentModel.PER_USE, _open_rate(2_500))
    inputs = _inputs(terms, uses=_uses(UseKind.LAUNCHED, [1]))
    more = _inputs(terms, uses=_uses(UseKind.LAUNCHED, [1, 1]))
    # when / then
    assert inputs_fingerprint(inputs) != inputs_fingerprint(more)


@pytest.mark.parametrize(("ore", "text"), [
    (0, "0,00 kr."), (5, "0,05 kr."), (123_450, "1.234,50 kr."), (100_000_000, "1.000.000,00 kr."),
    (-1_999, "-19,99 kr."),
])
def test_kroner_are_shown_the_danish_way(ore, text):
    assert format_kroner(ore) == text


@pytest.mark.parametrize(("text", "ore"), [
    ("1.234,50", 123_450), ("1234,5", 123_450), ("1234.50", 123_450), ("12", 1_200), (" 7,05 kr. ", 705),
    (Decimal("3.10"), 310),
])
def test_kroner_typed_in_become_ore(text, ore):
    assert ore_from_kroner(text) == ore


@pytest.mark.parametrize("text", ["", "abc", "-1", "1,001", "NaN", "Infinity", "1.234"])
def test_kroner_that_are_not_an_amount_are_refused(text):
    with pytest.raises(ValueError):
        ore_from_kroner(text)


def test_subscription_bills_a_leap_february_by_its_29_days():
    # given enrolled on 15 February 2028 (15 of 29 days)
    terms = _terms(PaymentModel.SUBSCRIPTION, _open_rate(29_000))
    # when
    statement = compute(_inputs(terms, [EnrolmentFacts("s1", date(2028, 2, 15))], year=2028, month=2))
    # then
    assert statement.total_ore == 15_000
    assert statement.lines[0].period_end == date(2028, 2, 15) + timedelta(days=14)


def test_a_job_earns_one_result_fee_for_the_latest_enrolment_before_it():
    # given the citizen enrolled, withdrew, enrolled again, and found a job
    enrolments = [EnrolmentFacts("s1", date(2026, 2, 1), ended_on=date(2026, 2, 10), withdrawn=True),
                  EnrolmentFacts("s1", date(2026, 2, 20))]
    # when
    statement = compute(_inputs(_outcome_terms(), enrolments, jobs=[("s1", date(2026, 3, 5))]))
    # then
    assert [(line.kind, line.amount_ore) for line in statement.lines] == [(LineKind.RESULT_FEE, 1_500_000)]


def test_uses_after_enrolling_again_are_billed_though_an_earlier_enrolment_was_withdrawn():
    # given withdrawn on 5 March, enrolled again on 8 March
    terms = _terms(PaymentModel.PER_USE, _open_rate(2_500), use_kind=UseKind.LAUNCHED)
    enrolments = [EnrolmentFacts("s1", date(2026, 2, 1), ended_on=date(2026, 3, 5), withdrawn=True),
                  EnrolmentFacts("s1", date(2026, 3, 8))]
    # when launches on 4, 6 and 9 March
    statement = compute(_inputs(terms, enrolments, _uses(UseKind.LAUNCHED, [4, 6, 9])))
    # then 4 and 9 March
    assert statement.lines[0].quantity == Decimal(2)
