import datetime

import pytest

NOW = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)  # a Tuesday, 10:00 in Copenhagen


@pytest.fixture(autouse=True)
def _danish():
    """Messages are asserted in Danish, as the citizen and the teacher read them."""
    from django.utils import translation

    with translation.override("da"):
        yield


class Clock:
    def __init__(self):
        self.now = NOW

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now = self.now + datetime.timedelta(**delta)


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """Time stands still at NOW (the plan's date checks and the services read the same clock) until a test
    moves it on: no test depends on the time of day it runs."""
    fixed = Clock()
    monkeypatch.setattr("django.utils.timezone.now", fixed)
    return fixed


@pytest.fixture
def teacher(municipality, member):
    from jobunivers.tenancy.roles import Role

    return member(Role.JOB_ADVISER, municipality, first_name="Tina", last_name="Underviser")
