"""Chart numbers in the active language (Django's localisation), not Python's str(float)."""

from django.utils import translation

from jobunivers.core.charts import _format


def test_chart_numbers_follow_the_language():
    with translation.override("da"):
        assert (_format(0.69), _format(0.6), _format(3.0)) == ("0,69", "0,60", "3")
    with translation.override("en"):
        assert _format(0.69) == "0.69"
