"""The browser tests' own measuring helpers (screens.py) measure the page people see, not a moment of it."""

import pytest

from .screens import PHONE, horizontal_overflow

pytestmark = pytest.mark.e2e

WIDE_UNTIL_SCRIPT = """<!DOCTYPE html><html><body style="margin:0">
<div id="menu" style="width:1850px">Menu in one row</div>
<script>setTimeout(() => { document.getElementById("menu").style.width = "100px"; }, 400);</script>
</body></html>"""


def test_the_overflow_is_measured_once_a_late_script_has_laid_the_page_out(page):
    # given a page whose script fits its menu to the window a moment after loading, as the design
    # system's menu does after a resize
    page.set_viewport_size(PHONE)
    page.set_content(WIDE_UNTIL_SCRIPT)
    # then the page is measured as it settles, not as it was before the script ran
    assert horizontal_overflow(page) == 0


def test_a_page_that_stays_too_wide_is_measured_as_too_wide(page):
    # given a page that never fits a phone
    page.set_viewport_size(PHONE)
    page.set_content('<!DOCTYPE html><html><body style="margin:0"><div style="width:1850px">x</div></body></html>')
    # then the helper says by how much, after waiting its while
    assert horizontal_overflow(page, settle_ms=300) == 1850 - 390
