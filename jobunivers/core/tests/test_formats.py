"""One path for dates and numbers: Django's localisation with the project's few format changes."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

WHEN = datetime.datetime(2026, 12, 4, 10, 12)


@pytest.mark.parametrize(("language", "expected"), [
    ("da", "4. december 2026|4. december 2026 kl. 10.12|04.12.2026|4. december|22. maj 2026|2. september 2026|0,6"),
    ("en", "4 December 2026|4 December 2026, 10:12|04/12/2026|4 December|22 May 2026|2 September 2026|0.6"),
])
def test_named_formats_in_templates(language, expected):
    template = Template('{{ w|date:"DATE_FORMAT" }}|{{ w|date:"DATETIME_FORMAT" }}|{{ w|date:"SHORT_DATE_FORMAT" }}|'
                        '{{ w|date:"MONTH_DAY_FORMAT" }}|{{ may|date:"DATE_FORMAT" }}|{{ sep|date:"DATE_FORMAT" }}|{{ n }}')
    with translation.override(language):
        text = template.render(Context({"w": WHEN, "may": datetime.date(2026, 5, 22), "sep": datetime.date(2026, 9, 2),
                                        "n": 0.6}))
    assert text == expected

