"""`make demo` makes a citizen who has not been onboarded, afresh on every run."""

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from jobunivers.accounts.models import User
from jobunivers.citizens.models import Citizen, OnboardingAnswers, PlanItem
from jobunivers.segmentation.models import Suggestion
from jobunivers.segmentation.tests.factories import suggestion
from jobunivers.taxonomy.models import Postcode
from jobunivers.tenancy.models import Membership
from jobunivers.tenancy.tests.factories import MunicipalityFactory


def _persona():
    user = User.objects.get(username="demo-demoby-borger-000")
    return user, Citizen.all_tenants.get(user=user)


def test_every_demo_run_resets_the_first_day_citizen(db):
    # given a demo municipality, and the demo loaded once
    municipality = MunicipalityFactory(code="0999", slug="demoby", name="Demoby", is_demo=True)
    Postcode.objects.create(code="9999", name="Demoby", latitude=56.1, longitude=10.1, municipality_code="0999")
    call_command("demo", only=["first_day_citizen"], stdout=StringIO())
    user, citizen = _persona()
    # and the persona walked part of their first day
    Citizen.all_tenants.filter(pk=citizen.pk).update(welcome_seen_at=timezone.now(),
                                                     onboarding_completed_at=timezone.now())
    OnboardingAnswers.all_tenants.create(municipality=municipality, citizen=citizen, self_assessed_chances=4,
                                         expected_weeks_to_job=8, job_search_confidence=3, digital_skills="independent",
                                         preferred_contact="digital", submitted_at=timezone.now(),
                                         revised_at=timezone.now())
    PlanItem.all_tenants.create(municipality=municipality, citizen=citizen, item_type="own_activity", title="CV",
                                created_by_kind="citizen")
    suggestion(citizen)
    # when the demo is loaded again
    out = StringIO()
    call_command("demo", only=["first_day_citizen"], stdout=out)
    # then the persona is there once, not onboarded, with nothing of the earlier walk
    new_user, new_citizen = _persona()
    assert "first_day_citizen reset" in out.getvalue()
    assert (new_user.first_name, new_user.last_name, new_user.is_demo) == ("Nadia", "Nybegynder", True)
    assert (new_citizen.welcome_seen_at, new_citizen.onboarding_completed_at) == (None, None)
    assert new_citizen.postcode.code == "9999"
    assert list(Membership.objects.filter(user=new_user).values_list("role", flat=True)) == ["citizen"]
    assert not User.objects.filter(pk=user.pk).exists()
    assert OnboardingAnswers.all_tenants.count() == PlanItem.all_tenants.count() == Suggestion.all_tenants.count() == 0
