from django.urls import reverse

from jobunivers.core.links import reverser


def test_reverser_gives_reverses_urls(db):
    link = reverser("jobs:detail", "posting_id")
    assert [link(pk) for pk in (1, 42, 10**9)] == [reverse("jobs:detail", kwargs={"posting_id": pk}) for pk in (1, 42, 10**9)]
