"""The server-drawn bar chart writes its numbers as the page's language does, with the series' decimals and unit."""

from __future__ import annotations

from django.utils import translation

from jobunivers.core.charts import Series, bar_chart


def test_a_share_series_is_written_with_one_decimal_and_its_unit_in_both_languages():
    series = [Series("Procent i job", [26.7, 40.0], decimals=1, unit="%")]
    with translation.override("da"):
        danish = str(bar_chart(chart_id="c", title="Andel", labels=["1 måned", "3 måneder"], series=series))
    with translation.override("en"):
        english = str(bar_chart(chart_id="c", title="Share", labels=["1 month", "3 months"], series=series))
    assert '<desc id="c-desc">1 måned: Procent i job 26,7 %; 3 måneder: Procent i job 40,0 %</desc>' in danish
    assert ">26,7 %</text>" in danish
    assert '<desc id="c-desc">1 month: Procent i job 26.7 %; 3 months: Procent i job 40.0 %</desc>' in english


def test_counts_without_decimals_stay_whole_numbers_and_fractions_get_two():
    with translation.override("da"):
        chart = str(bar_chart(chart_id="c", title="Antal", labels=["A", "B"], series=[Series("Borgere", [12, 0.69])]))
    assert '<desc id="c-desc">A: Borgere 12; B: Borgere 0,69</desc>' in chart
