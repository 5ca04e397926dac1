"""The citizen reads their suggested track on "Mine data" in sentences, not codes."""

from jobunivers.citizens.models import Citizen
from jobunivers.core.testing import client_for, murl
from jobunivers.segmentation.models import Transition
from jobunivers.segmentation.tests.factories import register_data, suggestion
from jobunivers.tenancy.roles import Role


def test_my_data_shows_explanation_tags_inputs_and_reasons_as_danish_sentences(member, municipality):
    # given a suggestion explained by tags, with register inputs, and a transition with a reason
    user = member(Role.CITIZEN, municipality)
    citizen = Citizen.all_tenants.get(user=user)
    register_data(citizen)
    suggestion(citizen, tags=["high_self_assessment", "recent_job"],
               inputs={"register": {"benefit_type": "dagpenge", "weeks_since_last_job": 2}, "answers": None,
                       "first_period_weeks": 13})
    Transition.all_tenants.create(municipality=municipality, citizen=citizen, from_state="standard",
                                  to_state="reminders", reasons=[{"code": "inactive", "days": 30}],
                                  signals={"inactive_days": 30})
    # when the citizen opens My data
    page = client_for(user).get(murl(municipality, "audit:my_data")).content.decode()
    # then each tag and reason is a sentence, inputs are labelled, and no code is shown
    assert ("<dt>Hvorfor</dt><dd><ul><li>Du vurderer selv dine chancer for job som gode</li>"
            "<li>Du har haft job for nylig</li></ul></dd>") in page
    assert "<li>Intet login og ingen joblog i 30 dage</li>" in page
    assert "<li>Ydelse: Dagpenge</li>" in page
    assert "<li>Uger i den første periode: 13</li>" in page
    assert "high_self_assessment" not in page and "recent_job" not in page and "&#x27;code&#x27;" not in page
