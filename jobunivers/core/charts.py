"""Accessible bar charts as inline SVG, drawn on the server (no chart library, no JavaScript): the
population overview (caseworker) and the monitoring (analytics) draw with them.

Each chart has a title and a description (role="img", aria-labelledby), and the page shows the
same numbers in a table next to it as the text equivalent.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# Design-system blues and a contrasting grey for the second series (contrast >= 3:1 on white).
COLOURS = ("#0059b3", "#5c5c5c")


@dataclass(frozen=True)
class Series:
    """A named row of values. `decimals`: how the values are written (None: whole numbers as such, others
    with two decimals); `unit`: written after each value ("%" gives "26,7 %"), as the table beside it does."""
    name: str
    values: list[float]
    decimals: int | None = None
    unit: str = ""


# A label line holds at most this many characters at 12 px beside a 220 px label column;
# longer labels wrap onto more lines (never cut: the whole occupation name must be readable).
LABEL_LINE_CHARACTERS = 30
LINE_HEIGHT = 14


def label_lines(label: str, width: int = LABEL_LINE_CHARACTERS) -> list[str]:
    """The label in lines of at most `width` characters, broken between words (long words alone)."""
    return textwrap.wrap(str(label), width=width, break_long_words=True, break_on_hyphens=False) or [""]


def bar_chart(*, chart_id: str, title: str, labels: list[str], series: list[Series], width: int = 640) -> SafeString:
    """Horizontal bars, one group per label, one bar per series; the legend is one line per series."""
    bar_height, gap, label_width = 14, 10, 220
    top = 8 + 18 * len(series)
    maximum = max([v for s in series for v in s.values] + [1])
    plot_width = width - label_width - 60
    parts = []
    y = top
    for index, label in enumerate(labels):
        lines = label_lines(label)
        bars_height = bar_height * len(series)
        group_height = max(bars_height, LINE_HEIGHT * len(lines))
        first_line_y = y + (group_height - LINE_HEIGHT * len(lines)) / 2 + 11
        tspans = format_html_join("", '<tspan x="{}" y="{}">{}</tspan>',
                                  ((label_width - 8, first_line_y + i * LINE_HEIGHT, line)
                                   for i, line in enumerate(lines)))
        parts.append(format_html('<text text-anchor="end" font-size="12">{}</text>', tspans))
        bars_top = y + (group_height - bars_height) / 2
        for s_index, s in enumerate(series):
            value = s.values[index] if index < len(s.values) else 0
            bar_width = round(plot_width * value / maximum, 1)
            by = bars_top + s_index * bar_height
            parts.append(format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {} {}</title></rect>'
                '<text x="{}" y="{}" font-size="11">{}</text>',
                label_width, by, bar_width, bar_height - 2, COLOURS[s_index % len(COLOURS)], label, _format(value, s), s.name,
                label_width + bar_width + 4, by + bar_height - 4, _format(value, s)))
        y += group_height + gap
    height = max(y, top + bar_height) + 10
    legend = format_html_join("", '<rect x="{}" y="{}" width="12" height="12" fill="{}"></rect>'
                                  '<text x="{}" y="{}" font-size="12">{}</text>',
                              ((label_width, 4 + i * 18, COLOURS[i % len(COLOURS)], label_width + 16, 14 + i * 18,
                                s.name) for i, s in enumerate(series)))
    return format_html(
        '<svg class="jobunivers-chart" role="img" aria-labelledby="{0}-title {0}-desc" viewBox="0 0 {1} {2}" '
        'width="{1}" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{0}-title">{3}</title><desc id="{0}-desc">{4}</desc>{5}{6}</svg>',
        chart_id, width, height, title,
        "; ".join(f"{label}: " + ", ".join(f"{s.name} {_format(s.values[i], s)}" for s in series)
                  for i, label in enumerate(labels)),
        legend, SafeString("".join(parts)),
    )


def _format(value: float, series: Series | None = None) -> str:
    """Numbers in the active language (Django's localisation): "0,69" in Danish, "0.69" in English; with the
    series' decimals and unit when given ("26,7 %")."""
    decimals = series.decimals if series is not None and series.decimals is not None else (
        0 if float(value).is_integer() else 2)
    text = number_format(value, decimal_pos=decimals)
    return f"{text} {series.unit}" if series is not None and series.unit else text
