"""The partial analytics/_experiment_result.html shows an ExperimentResult in plain Danish."""

from __future__ import annotations

import datetime

from django.template.loader import render_to_string
from django.utils import translation

from jobunivers.analytics import experiment_stats as es

DAY = datetime.date(2026, 11, 2)
BOOKED = es.Metric(key="booked", label="Bookede en samtale", kind=es.PROPORTION)
LABELS = {"control": "Nuværende beskeder", "a": "Kort påmindelse"}


def _units(arm: str, ones: int, zeros: int) -> list[es.Unit]:
    return [es.Unit(arm=arm, assigned_on=DAY, values={"booked": float(v)}) for v in [1] * ones + [0] * zeros]


def _render(result: es.ExperimentResult) -> str:
    with translation.override("da"):
        return render_to_string("analytics/_experiment_result.html", {"result": result})


def test_a_fair_split_shows_the_difference_intervals_and_caveats_in_danish():
    # given 300/1000 against 200/1000: a clear difference
    result = es.analyse(units=_units("control", 200, 800) + _units("a", 300, 700), weights={"control": 1, "a": 1},
                        control="control", metrics=[BOOKED], arm_labels=LABELS)
    # when
    html = _render(result)
    # then
    assert "Fordelingen passer med planen (kontrol af fordelingen, p = 1,000;" in html
    assert 'data-verdict="better"' in html
    assert "Kort påmindelse klarer sig bedre end kontrolgruppen." in html
    assert "Kort påmindelse: 30,0 % (1000 borgere); Nuværende beskeder: 20,0 % (1000 borgere)" in html
    assert '<dd data-testid="difference">+10,0 procentpoint (+50 % i forhold til kontrolgruppen)</dd>' in html
    assert "95 %-interval, som må ses hver dag" in html
    assert '"Ingen forskel påvist" betyder ikke "ingen effekt"' in html
    assert '<dd data-testid="probability">over 99 %</dd>' in html
    assert 'data-testid="srm-failed"' not in html


def test_a_skewed_split_is_a_blocking_warning_and_no_difference_is_shown():
    # given 5,200 against 4,800 planned 50/50
    result = es.analyse(units=_units("control", 1000, 4200) + _units("a", 1500, 3300),
                        weights={"control": 1, "a": 1}, control="control", metrics=[BOOKED], arm_labels=LABELS)
    # when
    html = _render(result)
    # then
    assert 'role="alert" data-testid="srm-failed"' in html
    assert "Resultatet kan ikke bruges: fordelingen passer ikke med planen" in html
    assert "skæv fordeling, p = under 0,001" in html
    assert '<tr data-arm="control"><th scope="row">Nuværende beskeder (kontrol)</th><td>50 %</td><td>5200</td>' in html
    assert 'data-testid="comparison"' not in html
    assert "procentpoint" not in html


def test_no_difference_shown_and_too_few():
    # given the same rate in both arms, and an arm with a single unit
    same = es.analyse(units=_units("control", 100, 400) + _units("a", 100, 400), weights={"control": 1, "a": 1},
                      control="control", metrics=[BOOKED], arm_labels=LABELS)
    few = es.analyse(units=_units("control", 1, 0) + _units("a", 0, 1), weights={"control": 1, "a": 1},
                     control="control", metrics=[BOOKED])
    # then
    assert "Ingen forskel påvist endnu." in _render(same)
    assert "±0,0 procentpoint" in _render(same)
    assert "Der er endnu målt for få borgere på dette til at sammenligne." in _render(few)
