"""Cross-municipality cases of feedback.

- The answer page takes a signed token naming one question: B's token under A's prefix is 404 for everyone
  of A (and for anyone not signed in; test_views.py).
- The ratings page counts A's answers only: B's service with five answers never shows in A.
- The comment search reads A's comments only (test_views.py searches for B's marker with a query; the
  list case here opens the page without one).
"""

from jobunivers.audit.testing import AccessLogCase
from jobunivers.core.testing import LeakCase, ListLeakCase
from jobunivers.tenancy.roles import Role


def _other_question(world):
    from jobunivers.citizens.tests.factories import CitizenFactory
    from jobunivers.feedback.tests.helpers import sent, token_of

    return {"token": token_of(sent(CitizenFactory(municipality=world.other)))}


def _answers(municipality, *, label, text=""):
    from jobunivers.citizens.tests.factories import CitizenFactory
    from jobunivers.feedback.tests.helpers import answered

    for _n in range(5):
        answered(CitizenFactory(municipality=municipality), score=2, text=text, service_key="offer:99",
                 service_label=label, kind="marketplace")


def _other_ratings_marker(world):
    _answers(world.other, label="MARKEROTHERFEEDBACK")
    return "MARKEROTHERFEEDBACK", {}


def _other_comment_marker(world):
    _answers(world.other, label="Kursus", text="MARKEROTHERCOMMENT")
    return "MARKEROTHERCOMMENT", {}


def _home_comment(world):
    _answers(world.home, label="Kursus", text="Kurset var for svært")
    return {}


OBJECT_URLS = [
    LeakCase("feedback:answer", _other_question),
    LeakCase("feedback:answer", _other_question, method="post", data={"score": "3"}),
]

LIST_URLS = [
    ListLeakCase("feedback:ratings", _other_ratings_marker),
    ListLeakCase("feedback:comments", _other_comment_marker),
]

ACCESS_LOG_CASES = [
    AccessLogCase("feedback:comments", _home_comment, Role.JOB_ADVISER, data={"q": "svært"}),
]

NO_CITIZEN_DATA = {
    "feedback:ratings": "counts and averages per service and month in the staff member's own municipality; "
                        "every figure of a cell with fewer than 5 answers is suppressed, no citizen is named",
}
