"""Cross-municipality cases of journeys: every page that names a journey, version, step, experiment or a
citizen's step is 404 under A's prefix for everyone of A; the lists (journeys, experiments, the citizen's own
journeys) never show B's."""

from jobunivers.core.testing import LeakCase, ListLeakCase
from jobunivers.tenancy.roles import Role


def _built(world, *, experiment=False, publish=True, name="Forløb B"):
    from jobunivers.journeys.tests.factories import journey, step, two_arms

    admin = world.other_users[Role.MUNICIPALITY_ADMIN]
    return journey(world.other, admin, name=name, steps=[step(title="MARKEROTHERSTEP")],
                   experiment=two_arms(key="b-leak") if experiment else None,
                   publish=publish)


def _journey(world):
    made, _version = _built(world)
    return {"journey_id": made.pk}


def _draft(world):
    _made, version = _built(world, publish=False)
    return {"version_id": version.pk}


def _draft_step(world):
    from jobunivers.journeys.models import Step

    _made, version = _built(world, publish=False)
    return {"step_id": Step.all_tenants.get(version=version).pk}


def _experiment(world):
    from jobunivers.journeys.models import Experiment

    _made, version = _built(world, experiment=True)
    return {"experiment_id": Experiment.all_tenants.get(version=version).pk}


def _sent_step(world):
    from jobunivers.journeys import engine
    from jobunivers.journeys.models import StepRun
    from jobunivers.journeys.tests.factories import on_track

    _built(world)
    on_track(world.other)
    engine.enrol(municipality_id=world.other.pk)
    engine.advance(municipality_id=world.other.pk)
    run = StepRun.all_tenants.get(municipality=world.other)
    return {"enrolment_id": run.enrolment_id, "step_id": run.step_id}


def _journeys_marker(world):
    _built(world, name="MARKEROTHERJOURNEY")
    return "MARKEROTHERJOURNEY", {}


def _experiments_marker(world):
    from jobunivers.journeys.models import Experiment

    _built(world, experiment=True)
    Experiment.all_tenants.filter(municipality=world.other).update(name="MARKEROTHEREXPERIMENT")
    return "MARKEROTHEREXPERIMENT", {}


def _own_marker(world):
    from jobunivers.journeys import engine
    from jobunivers.journeys.tests.factories import on_track

    _built(world, name="MARKEROTHERMINE")
    on_track(world.other)
    engine.enrol(municipality_id=world.other.pk)
    return "MARKEROTHERMINE", {}


OBJECT_URLS = [
    LeakCase("journeys:journey_detail", _journey),
    LeakCase("journeys:journey_detail", _journey, method="post", data={"name": "X", "why": "Y", "track_key": "x"}),
    LeakCase("journeys:draft_new", _journey, method="post"),
    LeakCase("journeys:step_new", _draft),
    LeakCase("journeys:step_new", _draft, method="post", data={"kind": "message", "title": "X", "wait_days": "0"}),
    LeakCase("journeys:step_edit", _draft_step),
    LeakCase("journeys:step_delete", _draft_step, method="post"),
    LeakCase("journeys:step_delete", _draft_step),  # the confirmation page (arm texts go with the step)
    LeakCase("journeys:step_delete", _draft_step, method="post", data={"arm_texts": "0"}),
    LeakCase("journeys:experiment_edit", _draft),
    LeakCase("journeys:experiment_edit", _draft, method="post", data={
        "key": "leak", "name": "X", "step": "", "holdout_percent": "0", "variant_1_key": "a", "variant_1_name": "A",
        "variant_1_weight": "50", "variant_2_key": "b", "variant_2_name": "B", "variant_2_weight": "50",
        "variant_2_step_1_title": "Overtaget"}),
    LeakCase("journeys:experiment_edit", _draft, method="post", data={  # "Add an arm": the form drawn again
        "key": "leak", "name": "X", "step": "", "holdout_percent": "0", "arm_count": "2", "arm_action": "add",
        "variant_1_key": "a", "variant_1_name": "A", "variant_1_weight": "50"}),
    LeakCase("journeys:publish", _draft, method="post"),
    LeakCase("journeys:experiment_result", _experiment),
    LeakCase("journeys:experiment_refresh", _experiment, method="post"),
    LeakCase("journeys:opt_out", _journey, method="post", data={"fravalg": "1"}),
    LeakCase("journeys:follow", _sent_step),
]

LIST_URLS = [
    ListLeakCase("journeys:admin_list", _journeys_marker),
    ListLeakCase("journeys:journey_new", _journeys_marker),
    ListLeakCase("journeys:experiments", _experiments_marker),
    ListLeakCase("journeys:mine", _own_marker),
]

NO_CITIZEN_DATA = {
    "journeys:admin_list": "journeys of the administrator's own municipality and how many citizens are on each; "
                           "no citizen is named",
    "journeys:journey_new": "a form; the track names of the administrator's own municipality",
    "journeys:journey_detail": "a journey's steps, versions and experiment; no citizen",
    "journeys:experiments": "the experiments of the staff member's own municipality; no citizen",
    "journeys:experiment_result": "counts per arm (cells under 5 suppressed) and statistics; no citizen is named",
    "journeys:experiment_refresh": "queues a new computation of the results page's aggregates; no citizen",
    "journeys:draft_new": "makes a draft of the administrator's own journey; no citizen",
    "journeys:step_new": "a form for a step of a draft; no citizen",
    "journeys:step_edit": "a form for a step of a draft; no citizen",
    "journeys:step_delete": "asks to confirm, then removes a step of a draft and its arms' texts; no citizen",
    "journeys:experiment_edit": "a form for the experiment of a draft; no citizen",
    "journeys:publish": "publishes a draft; no citizen",
    "journeys:opt_out": "the citizen's own choice; staff get 404",
    "journeys:follow": "the citizen's own step link; staff get 404",
}
