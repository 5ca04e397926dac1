from io import StringIO

from django.core.management import call_command

from jobunivers.accounts.models import User
from jobunivers.citizens.models import Citizen
from jobunivers.tenancy.models import Membership, Municipality

FOUNDATION = ["municipalities", "postcodes", "personas", "citizens"]


def test_demo_creates_three_municipalities_with_every_role_and_is_idempotent(db):
    # when the demo is loaded twice
    call_command("demo", only=FOUNDATION, stdout=StringIO())
    counts = (User.objects.count(), Citizen.all_tenants.count(), Membership.objects.count())
    out = StringIO()
    call_command("demo", only=FOUNDATION, stdout=out)
    # then nothing is duplicated
    assert (User.objects.count(), Citizen.all_tenants.count(), Membership.objects.count()) == counts
    assert "citizens already loaded" in out.getvalue()
    # and three demo municipalities have staff of every role and 300 citizens at their own postcodes
    demo = Municipality.objects.filter(is_demo=True, is_active=True).order_by("code")
    assert [m.code for m in demo] == ["0101", "0751", "0825"]
    for municipality in demo:
        roles = set(Membership.objects.filter(municipality=municipality).values_list("role", flat=True))
        assert roles == {"citizen", "job_adviser", "personal_consultant", "job_journey_assistant", "municipality_admin"}
        citizens = Citizen.all_tenants.filter(municipality=municipality)
        assert citizens.count() == 300
        assert set(citizens.values_list("postcode__municipality_code", flat=True)) == {municipality.code}
    national = set(Membership.objects.filter(municipality__isnull=True).values_list("role", flat=True))
    assert national == {"vendor", "employer", "platform_operator"}
    assert not User.objects.filter(is_demo=False).exists()


def test_demo_login_is_refused_without_demo(client, settings, municipality, member):
    # given demo login switched off
    settings.DEMO = False
    user = member("job_adviser", municipality)
    # when someone posts a persona login
    response = client.post("/demo/log-ind/", {"user_id": user.pk})
    # then it does not exist, and the persona list is gone
    assert response.status_code == 404
    assert client.get(f"/{municipality.slug}/demo/").status_code == 404
    assert "_auth_user_id" not in client.session
