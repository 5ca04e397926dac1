"""Accessible horizontal bar charts as inline SVG (role="img", a title and a description), drawn on the
server like the staff population overview; the page shows the same numbers in a table next to each.
A suppressed count (fewer than 5) has no bar and is written as "fewer than 5"."""

from __future__ import annotations

from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

COLOUR = "#0059b3"  # the design system's blue, contrast >= 4.5:1 on white


def bar_chart(*, chart_id: str, title: str, rows: list[tuple[str, Any]], width: int = 360) -> SafeString:
    """rows: (label, market.Figure). Narrow by default: it must read at 390 px."""
    label_width, bar_height, gap = 120, 16, 6
    plot = width - label_width - 70
    maximum = max([figure.value for _label, figure in rows] + [1])
    parts, texts = [], []
    for index, (label, figure) in enumerate(rows):
        y = 4 + index * (bar_height + gap)
        shown = _("fewer than 5") if figure.hidden else str(figure.count)
        texts.append(f"{label}: {shown}")
        bar = round(plot * figure.value / maximum, 1)
        parts.append(format_html(
            '<text x="{}" y="{}" text-anchor="end" font-size="12">{}</text>'
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
            '<text x="{}" y="{}" font-size="12">{}</text>',
            label_width - 6, y + 12, label[:18], label_width, y, bar, bar_height, COLOUR,
            label_width + bar + 4, y + 12, shown))
    height = 8 + len(rows) * (bar_height + gap)
    return format_html(
        '<svg class="jobunivers-chart" role="img" aria-labelledby="{0}-title {0}-desc" viewBox="0 0 {1} {2}" '
        'width="{1}" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{0}-title">{3}</title><desc id="{0}-desc">{4}</desc>{5}</svg>',
        chart_id, width, height, title, "; ".join(texts), SafeString("".join(parts)))
