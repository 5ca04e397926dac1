from jobunivers.audit.testing import AccessLogCase
from jobunivers.core.testing import LeakCase, ListLeakCase
from jobunivers.segmentation.models import Track
from jobunivers.tenancy.roles import Role


def _other_citizen(world, first_name="MARKEROTHERSEG"):
    user = world.other_users["citizen"]
    user.first_name = first_name
    user.save(update_fields=["first_name"])
    return user.citizen


def _other_suggestion(world):
    from jobunivers.segmentation.tests.factories import suggestion

    return {"suggestion_id": suggestion(_other_citizen(world)).pk}


def _other_citizen_id(world):
    return {"citizen_id": _other_citizen(world).pk}


def _marker_track(world):
    from jobunivers.segmentation.tests.factories import tracks

    tracks(world.other)
    Track.all_tenants.filter(municipality=world.other).update(name_da="MARKER-B-TRACK", name_en="MARKER-B-TRACK")
    return "MARKER-B-TRACK"


def _other_pending_suggestion(world):
    from jobunivers.segmentation.tests.factories import suggestion

    suggestion(_other_citizen(world))
    return "MARKEROTHERSEG", {}


def _other_decision(world):
    from jobunivers.segmentation.tests.factories import decision, suggestion

    marker = _marker_track(world)
    decision(suggestion(_other_citizen(world)), by=world.other_users["job_adviser"])
    return marker, {}


def _other_own_track(world):
    from jobunivers.segmentation.tests.factories import suggestion

    marker = _marker_track(world)
    suggestion(_other_citizen(world))
    return marker, {}


def _other_caseload(world):
    from jobunivers.segmentation.tests.factories import assignment

    assignment(_other_citizen(world), world.other_users["personal_consultant"])
    return "MARKEROTHERSEG", {}


def _other_second_review(world):
    from jobunivers.segmentation.models import SecondReview
    from jobunivers.segmentation.tests.factories import decision, suggestion

    citizen = _other_citizen(world)
    made = decision(suggestion(citizen), by=world.other_users["job_adviser"])
    SecondReview.all_tenants.create(municipality=world.other, decision=made, citizen=citizen,
                                    month=made.created_at.date().replace(day=1))
    return "MARKEROTHERSEG", {}


def _other_fairness_group(world):
    from jobunivers.segmentation.models import FairnessGroup

    FairnessGroup.all_tenants.create(municipality=world.other, key="district", name_da="MARKER-B-GROUP")
    return "MARKER-B-GROUP", {}


OBJECT_URLS = [
    LeakCase("segmentation:suggestion_detail", _other_suggestion),
    LeakCase("segmentation:consultant_assign", _other_citizen_id, method="post",
             data={"consultant": "1", "reason": "x"}),
]
LIST_URLS = [
    ListLeakCase("segmentation:my_track", _other_own_track),
    ListLeakCase("segmentation:worklist", _other_pending_suggestion),
    ListLeakCase("segmentation:override_statistics", _other_decision),
    ListLeakCase("segmentation:caseload", _other_caseload),
    ListLeakCase("segmentation:second_review", _other_second_review),
    ListLeakCase("segmentation:fairness_groups", _other_fairness_group),
]
EXEMPT = {
    "segmentation:my_track_disagree": "POST on the signed-in citizen's own latest suggestion; no id in the URL",
    "segmentation:my_track_wish": "POST on the signed-in citizen's own latest suggestion; no id in the URL",
    "segmentation:active_model_card": "the national model card: aggregate metrics, no municipal data",
    "segmentation:model_registry": "national page for the platform operator; no municipal data",
    "segmentation:model_card": "national model card for the platform operator; no municipal data",
    "segmentation:algorithm_register": "public page: the national model's card and fixed texts; no citizen's data",
    "segmentation:algorithm_register_json": "public JSON: the national model's card and fixed texts; no citizen's data",
}


# --- Access log (audit/tests/test_access_log_coverage.py): data in A (world.home) --------------------
# The assignment POST names the consultant, known only after build; build fills it in before the call.
_ASSIGN_DATA: dict = {"reason": "Ledig kapacitet"}


def _home_citizen(world):
    return world.users["citizen"].citizen


def _home_suggestion(world):
    from jobunivers.segmentation.tests.factories import suggestion

    return {"suggestion_id": suggestion(_home_citizen(world)).pk}


def _home_assignment_post(world):
    _ASSIGN_DATA["consultant"] = str(world.users[Role.PERSONAL_CONSULTANT].pk)
    return {"citizen_id": _home_citizen(world).pk}


def _home_pending(world):
    from jobunivers.segmentation.tests.factories import suggestion

    suggestion(_home_citizen(world))
    return {}


def _home_caseload(world):
    from jobunivers.segmentation.tests.factories import assignment

    assignment(_home_citizen(world), world.users[Role.PERSONAL_CONSULTANT])
    return {}


def _home_second_review(world):
    from jobunivers.segmentation.models import SecondReview
    from jobunivers.segmentation.tests.factories import decision, suggestion

    citizen = _home_citizen(world)
    made = decision(suggestion(citizen), by=world.users[Role.PERSONAL_CONSULTANT])
    SecondReview.all_tenants.create(municipality=world.home, decision=made, citizen=citizen,
                                    month=made.created_at.date().replace(day=1))
    return {}


ACCESS_LOG_CASES = [
    AccessLogCase("segmentation:worklist", _home_pending, Role.JOB_ADVISER),
    AccessLogCase("segmentation:suggestion_detail", _home_suggestion, Role.JOB_ADVISER),
    AccessLogCase("segmentation:consultant_assign", _home_assignment_post, Role.JOB_ADVISER, method="post",
                  data=_ASSIGN_DATA),
    AccessLogCase("segmentation:caseload", _home_caseload, Role.PERSONAL_CONSULTANT),
    AccessLogCase("segmentation:second_review", _home_second_review, Role.JOB_ADVISER),
]
NO_CITIZEN_DATA = {
    "segmentation:fairness_groups": "the municipality's configuration of its fairness groups; no citizen's data",
    "segmentation:override_statistics": "aggregate counts of decisions and changes per track; no person is named",
    "segmentation:active_model_card": "the active model's card: features, reasons and aggregate metrics; "
                                      "no citizen's data",
}
