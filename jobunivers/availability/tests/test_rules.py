import datetime

import pytest

from jobunivers.availability.rules import Thresholds, evaluate

DAY = datetime.date(2026, 3, 1)
DEFAULT = Thresholds(deadline_days=30, warning_days=7, grace_days=7)


@pytest.mark.parametrize(("days_since", "state"), [
    (0, "active"), (23, "active"), (24, "deadline_near"), (30, "deadline_near"), (31, "deadline_passed"),
    (37, "deadline_passed"), (38, "grace_over"), (400, "grace_over"),
])
def test_state_follows_days_since_the_last_explicit_action(days_since, state):
    # given the default thresholds (30 days, warned 7 days before, 7 days' grace)
    # when it is `days_since` days after the last action
    result = evaluate(last_action_on=DAY, today=DAY + datetime.timedelta(days=days_since), thresholds=DEFAULT)
    # then the state is
    assert result.state == state
    assert result.deadline_on == datetime.date(2026, 3, 31)
    assert result.grace_until == datetime.date(2026, 4, 7)


def test_municipality_thresholds_move_the_steps():
    # given a municipality with 14 days, 3 days' warning and no grace
    thresholds = Thresholds(deadline_days=14, warning_days=3, grace_days=0)
    # when / then
    assert evaluate(last_action_on=DAY, today=DAY + datetime.timedelta(days=11), thresholds=thresholds).state == "active"
    assert evaluate(last_action_on=DAY, today=DAY + datetime.timedelta(days=12),
                    thresholds=thresholds).state == "deadline_near"
    assert evaluate(last_action_on=DAY, today=DAY + datetime.timedelta(days=15),
                    thresholds=thresholds).state == "grace_over"


def test_no_warning_step_when_warning_days_is_zero():
    thresholds = Thresholds(deadline_days=30, warning_days=0, grace_days=7)
    assert evaluate(last_action_on=DAY, today=DAY + datetime.timedelta(days=30), thresholds=thresholds).state == "active"
