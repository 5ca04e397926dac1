"""The "What worked for people like you" slot on the citizen's start page (citizens.contracts' slot registry,
ADR 0130). Cheap when there is nothing to show: the citizen's profile is read once per page for every slot
(citizens.selectors.profiles_read_once), so a citizen without a wished occupation costs no query here, and
one without figures for their profile key one indexed query. The consent is read only when there are figures:
the slot offers it once (with the reasons in Danish), shows the figures after a yes, and stays away after a no
(the citizen can turn it on or off again in "Mine data")."""

from django.utils.translation import gettext_lazy as _

from jobunivers.citizens.contracts import HomeSlot, register_home_slot

CONSENT_PURPOSE = "people_like_you"  # audit's ConsentPurpose.PEOPLE_LIKE_YOU


def _people_like_you(request, citizen):
    from jobunivers.audit.selectors import consent_answer
    from jobunivers.citizens.selectors import main_isco_code, profile_for

    from .peoplelikeyou import figures_for

    profile = profile_for(citizen_id=citizen.pk)
    code = main_isco_code(profile.occupations) if profile is not None else ""
    if not code:
        return None
    found = figures_for(code)
    if found is None:
        return None
    answer = consent_answer(user_id=citizen.user_id, purpose=CONSENT_PURPOSE)
    if answer is False:
        return None
    if answer is None:
        return {"offer": True}
    from jobunivers.taxonomy.selectors import isco_group_labels

    group = isco_group_labels([found.profile_key]).get(found.profile_key)
    return {"found": found, "group": group.html() if group else found.profile_key}


def register() -> None:
    register_home_slot(HomeSlot(key="people_like_you", title=_("What worked for people like you"), order=37,
                                template_name="analytics/_home_people_like_you.html", context=_people_like_you))
