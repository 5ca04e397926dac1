"""Accessible charts as inline SVG drawn on the server, like the population overview
(core/charts.py): role="img", a title and a description, and the page shows the same numbers in
a table next to each. Bars come from the caseworker's helper style; the time-to-job curves are steps
with their 95 % band."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .effect import Curve

# Design-system blue and a dark grey (contrast >= 4.5:1 on white); bands are the same colours, faint.
COLOURS = ("#0059b3", "#454545")
DASHES = ("", "6 3")


def percent(value: float | None) -> str:
    return "–" if value is None else number_format(round(100 * value, 1), decimal_pos=1) + " %"


def step_chart(*, chart_id: str, title: str, series: list[tuple[str, Curve]], width: int = 360,
               height: int = 220) -> SafeString:
    """series: (name, effect.Curve). x: weeks 0..last, y: share in job 0..100 %."""
    left, right, top, bottom = 40, 10, 10 + 16 * len(series), 30
    plot_w, plot_h = width - left - right, height - top - bottom
    last = max((c.weeks[-1] for _n, c in series), default=26) or 1

    def x(week: float) -> float:
        return round(left + plot_w * week / last, 1)

    def y(share: float) -> float:
        return round(top + plot_h * (1 - share), 1)

    parts = []
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        parts.append(format_html('<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#d9d9d9"></line>'
                                 '<text x="{}" y="{}" font-size="11" text-anchor="end">{}</text>',
                                 left, width - right, y(tick), y(tick), left - 4, y(tick) + 4, f"{int(tick * 100)} %"))
    for week in range(0, last + 1, 13 if last >= 13 else 1):
        parts.append(format_html('<text x="{}" y="{}" font-size="11" text-anchor="middle">{}</text>',
                                 x(week), height - bottom + 14, week))
    for index, (_name, c) in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        upper = " ".join(f"{x(w)},{y(u)} {x(w + 1 if i + 1 < len(c.weeks) else w)},{y(u)}"
                         for i, (w, u) in enumerate(zip(c.weeks, c.upper, strict=True)))
        lower = " ".join(f"{x(w + 1 if i + 1 < len(c.weeks) else w)},{y(low)} {x(w)},{y(low)}"
                         for i, (w, low) in reversed(list(enumerate(zip(c.weeks, c.lower, strict=True)))))
        parts.append(format_html('<polygon points="{} {}" fill="{}" fill-opacity="0.12" stroke="none"></polygon>',
                                 upper, lower, colour))
        line = " ".join(f"{x(w)},{y(s)} {x(w + 1 if i + 1 < len(c.weeks) else w)},{y(s)}"
                        for i, (w, s) in enumerate(zip(c.weeks, c.share, strict=True)))
        parts.append(format_html('<polyline points="{}" fill="none" stroke="{}" stroke-width="2" stroke-dasharray="{}">'
                                 '</polyline>', line, colour, DASHES[index % len(DASHES)]))
    legend = format_html_join("", '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="2" '
                                  'stroke-dasharray="{}"></line><text x="{}" y="{}" font-size="12">{}</text>',
                              ((left, left + 24, 8 + i * 16, 8 + i * 16, COLOURS[i % len(COLOURS)],
                                DASHES[i % len(DASHES)], left + 30, 12 + i * 16, name)
                               for i, (name, _c) in enumerate(series)))
    description = "; ".join(
        f"{name}: " + ", ".join(f"{w}: {percent(c.share[w])}" for w in c.weeks if w in (4, 8, 13, 26))
        for name, c in series)
    return format_html(
        '<svg class="jobunivers-chart" role="img" aria-labelledby="{0}-title {0}-desc" viewBox="0 0 {1} {2}" '
        'width="{1}" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{0}-title">{3}</title><desc id="{0}-desc">{4}</desc>{5}{6}</svg>',
        chart_id, width, height, title, description, legend, SafeString("".join(parts)))
