"""The population overview's charts: the shared accessible SVG helpers now live in core.charts (analytics'
monitoring draws with them too)."""

from jobunivers.core.charts import COLOURS, LABEL_LINE_CHARACTERS, LINE_HEIGHT, Series, bar_chart, label_lines

__all__ = ["COLOURS", "LABEL_LINE_CHARACTERS", "LINE_HEIGHT", "Series", "bar_chart", "label_lines"]
