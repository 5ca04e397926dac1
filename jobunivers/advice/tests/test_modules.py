"""Every advice module fires on the facts it names and does not fire on the nearest facts that miss it."""

import dataclasses

import pytest

from jobunivers.advice.diagnosis import findings_for, leading
from jobunivers.advice.facts import CitizenFacts
from jobunivers.advice.modules import MODULES, MODULES_BY_KEY

# A citizen for whom nothing fires.
ON_TRACK = CitizenFacts(
    citizen_id=1, municipality_id=1, occupation_ids=(10,), has_occupation_text=False, has_postcode=True,
    home_postcode="8000", radius_km=25, jobs_nearby=20, jobs_wider=30, wider_radius_km=50, seekers_nearby=10,
    neighbour_occupation_id=None, neighbour_jobs_nearby=0, applications_28_days=6, applications_90_days=12,
    unsolicited_90_days=1, interviews_90_days=1, days_since_last_entry=3, has_cv=True, has_skills=True,
    has_experience=True, has_education=True)

CASES = {
    # module: (facts that fire it, nearest facts that do not)
    "no_occupation": ({"occupation_ids": ()}, {"occupation_ids": (10,)}),
    "few_jobs_nearby": ({"jobs_nearby": 4, "jobs_wider": 6}, {"jobs_nearby": 5, "jobs_wider": 6}),
    "high_competition": ({"jobs_nearby": 5, "seekers_nearby": 15}, {"jobs_nearby": 5, "seekers_nearby": 14}),
    "no_postcode": ({"has_postcode": False}, {"has_postcode": True}),
    "widen_radius": ({"jobs_nearby": 10, "jobs_wider": 20}, {"jobs_nearby": 10, "jobs_wider": 19}),
    "no_recent_activity": ({"days_since_last_entry": 15}, {"days_since_last_entry": 14}),
    "few_applications": ({"applications_28_days": 3}, {"applications_28_days": 4}),
    "no_cv": ({"has_cv": False}, {"has_cv": True}),
    "thin_profile": ({"has_education": False}, {"has_education": True}),
    "no_skills": ({"has_skills": False}, {"has_skills": True}),
    "no_unsolicited": ({"applications_90_days": 3, "unsolicited_90_days": 0},
                       {"applications_90_days": 2, "unsolicited_90_days": 0}),
    "no_interviews": ({"applications_90_days": 10, "interviews_90_days": 0},
                      {"applications_90_days": 9, "interviews_90_days": 0}),
}


def _fired(**changes) -> set[str]:
    return {f["module"] for f in findings_for(dataclasses.replace(ON_TRACK, **changes))}


def test_every_module_has_a_case():
    assert set(CASES) == set(MODULES_BY_KEY)


def test_nothing_fires_for_a_citizen_on_track():
    assert findings_for(ON_TRACK) == []


@pytest.mark.parametrize("key", sorted(CASES))
def test_module_fires(key):
    # given facts that meet the module's rule / when the diagnosis is made / then it fires
    assert key in _fired(**CASES[key][0])


@pytest.mark.parametrize("key", sorted(CASES))
def test_module_does_not_fire(key):
    assert key not in _fired(**CASES[key][1])


def test_never_active_means_no_recent_activity_not_few_applications():
    fired = _fired(days_since_last_entry=None, applications_28_days=0)
    assert "no_recent_activity" in fired and "few_applications" not in fired


def test_the_most_serious_finding_leads():
    # given an attention finding declared before an action finding's topic
    findings = findings_for(dataclasses.replace(ON_TRACK, has_cv=False, days_since_last_entry=30))
    # then the action finding (no recent activity) leads the main sentence
    assert leading(findings)["module"] == "no_recent_activity"


def test_facts_never_hold_gender_or_origin():
    # ADR 0052: no rule can read what the facts do not hold
    names = {field.name for field in dataclasses.fields(CitizenFacts)}
    assert not {name for name in names if "gender" in name or "origin" in name or "birth" in name}


def test_every_module_has_steps_and_a_known_topic():
    from jobunivers.advice.diagnosis import LINKS
    from jobunivers.advice.modules import TOPIC_NAMES

    for module in MODULES:
        assert module.topic in TOPIC_NAMES
        assert 1 <= len(module.steps) <= 3
        assert all(step.link in LINKS for step in module.steps)
