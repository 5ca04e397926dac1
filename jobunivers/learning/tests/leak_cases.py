"""Cross-municipality cases of learning. The citizen pages are the signed-in citizen's own: a module id of
another municipality's own module answers 404 to every member of A (staff too: they have no citizen record
here), and B's local modules never show in A's catalogue."""

from jobunivers.audit.testing import AccessLogCase
from jobunivers.core.testing import LeakCase, ListLeakCase
from jobunivers.tenancy.roles import Role


def _other_module(world):
    from jobunivers.learning.tests.helpers import make_module

    return make_module("lokalt-b", municipality=world.other, title="MARKEROTHERLEARNING")


def _other_enrolled_module(world):
    from jobunivers.learning.services import enrol
    from jobunivers.learning.tests.helpers import citizen_of

    module = _other_module(world)
    citizen = citizen_of(world.other, world.other_users["citizen"])
    enrol(actor=citizen.user, citizen=citizen, module_id=module.pk)
    return module


def _other_enrolled_citizen(world):
    from jobunivers.learning.tests.helpers import citizen_of

    _other_enrolled_module(world)
    return citizen_of(world.other, world.other_users["citizen"])


def _home_citizen(world):
    from jobunivers.learning.tests.helpers import citizen_of

    return citizen_of(world.home, world.users["citizen"])


def _catalogue_marker(world):
    _other_enrolled_module(world)
    return "MARKEROTHERLEARNING", {}


def _lesson_kwargs(world):
    module = _other_enrolled_module(world)
    return {"module_id": module.pk, "lesson_id": module.lessons.first().pk}


def _other_interview(world):
    """A practice of a citizen of B, answered: its id under A's prefix is 404 for every member of A."""
    from jobunivers.learning.interview_services import interview_start
    from jobunivers.learning.tests.helpers import citizen_of

    citizen = citizen_of(world.other, world.other_users["citizen"])
    session = interview_start(actor=citizen.user, citizen=citizen, job="occupation", occupation="MARKEROTHERINTERVIEW",
                              count=5)
    return {"session_id": session.pk}


WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 64


def _shared_recording(citizen):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jobunivers.learning.interview_services import (
        RECORDING_CONSENT_VERSION,
        interview_start,
        recording_share,
    )

    session = interview_start(actor=citizen.user, citizen=citizen, job="occupation", occupation="MARKERRECORDING",
                              count=5)
    return recording_share(actor=citizen.user, session=session, position=1, consent=RECORDING_CONSENT_VERSION,
                           uploaded_file=SimpleUploadedFile("svar.webm", WEBM, content_type="audio/webm"))


def _other_recording(world):
    """A recording a citizen of B shared with their adviser: 404 under A's prefix for every member of A."""
    from jobunivers.learning.tests.helpers import citizen_of

    return {"recording_id": _shared_recording(citizen_of(world.other, world.other_users["citizen"])).pk}


def _home_recording(world):
    return {"recording_id": _shared_recording(_home_citizen(world)).pk}


def _other_answer(world):
    return {**_other_interview(world), "position": 1}


def _interviews_marker(world):
    _other_interview(world)
    return "MARKEROTHERINTERVIEW", {}


LIST_URLS = [
    ListLeakCase("learning:catalogue", _catalogue_marker),
    ListLeakCase("learning:interviews", _interviews_marker),
]

OBJECT_URLS = [
    LeakCase("learning:module", lambda w: {"module_id": _other_module(w).pk}),
    LeakCase("learning:module", lambda w: {"module_id": _other_module(w).pk}, method="post"),
    LeakCase("learning:lesson", _lesson_kwargs),
    LeakCase("learning:lesson", _lesson_kwargs, method="post"),
    LeakCase("learning:leave", lambda w: {"module_id": _other_enrolled_module(w).pk}, method="post"),
    LeakCase("learning:staff_citizen", lambda w: {"citizen_id": _other_enrolled_citizen(w).pk}),
    LeakCase("learning:staff_citizen", lambda w: {"citizen_id": _other_enrolled_citizen(w).pk}, method="post",
             data={"module": "1"}),
    LeakCase("learning:sharing", lambda w: {"module_id": _other_enrolled_module(w).pk}, method="post",
             data={"share_progress": "on"}),
    LeakCase("learning:interview", _other_interview),
    LeakCase("learning:interview", _other_interview, method="post", data={f"answer-{n}": "svar" for n in range(1, 6)}),
    LeakCase("learning:interview_review", _other_interview),
    LeakCase("learning:interview_review", _other_interview, method="post", data={"covered-1": "0"}),
    LeakCase("learning:interview_delete", _other_interview, method="post"),
    LeakCase("learning:interview_share", _other_answer, method="post", data={"consent": "2026-12-06"}),
    LeakCase("learning:interview_withdraw", _other_answer, method="post"),
    LeakCase("learning:interview_recording", _other_recording),
    LeakCase("learning:staff_recording", _other_recording),
]

NO_CITIZEN_DATA = {
    "learning:catalogue": "the signed-in citizen's own modules; anyone else gets 404",
    "learning:module": "the signed-in citizen's own enrolment; anyone else gets 404",
    "learning:lesson": "the signed-in citizen's own quiz answers; anyone else gets 404",
    "learning:leave": "the signed-in citizen's own enrolment; anyone else gets 404",
    "learning:sharing": "the signed-in citizen's own choice; anyone else gets 404",
    "learning:interviews": "the signed-in citizen's own interview practices; anyone else gets 404",
    "learning:interview": "the signed-in citizen's own practice and answers; anyone else gets 404",
    "learning:interview_review": "the signed-in citizen's own review; anyone else gets 404",
    "learning:interview_delete": "the signed-in citizen's own practice; anyone else gets 404",
    "learning:interview_share": "the signed-in citizen shares their own recording; anyone else gets 404",
    "learning:interview_withdraw": "the signed-in citizen withdraws their own recording; anyone else gets 404",
    "learning:interview_recording": "the signed-in citizen's own shared recording; anyone else gets 404 (staff "
                                    "play it through learning:staff_recording, access-logged)",
}

ACCESS_LOG_CASES = [
    AccessLogCase("learning:staff_citizen", lambda w: {"citizen_id": _home_citizen(w).pk}, Role.JOB_ADVISER),
    AccessLogCase("learning:staff_recording", _home_recording, Role.JOB_ADVISER),
    AccessLogCase("learning:staff_recording", _home_recording, Role.PERSONAL_CONSULTANT),
]

EXEMPT = {
    "api:get_statements": "national API for a vendor's server, signed with the vendor's reporting key: only the "
                          "statements that vendor sent (test_statements)",
    "api:post_statements": "national API for a vendor's server, signed with the vendor's reporting key, not a "
                           "session; another vendor's offer is refused and each statement lands in the enrolled "
                           "citizen's municipality (test_statements)",
}
NO_CITIZEN_DATA.update({
    "api:get_statements": "a vendor reads back only the learning records it sent itself, by pseudonym",
    "api:post_statements": "a vendor's server writes learning records by the citizen's pseudonym and reads back only "
                           "what it sent itself; the write is in the citizen's access log (statements_record)",
})
