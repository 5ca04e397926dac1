"""The operators' admin against the personal-data rule (issue 12, ADR 0064): a ModelAdmin shows no
citizen's personal data. A citizen's data is read by staff only through access-logged selectors,
so an admin must either leave citizens' rows out (checked here by making a citizen's row and
opening the admin), or hold no citizen data at all (checked from the model's relations). An admin
that had to show a citizen's data would have to be read-only and write an access-log entry when
its change page opens; there is none, so none is allowed here until that is built and tested.

Every registered ModelAdmin must be in one of the two tables below: a new admin, ours or a
package's, fails `test_every_admin_is_classified` until it is classified and its check passes.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.cache import cache
from django.urls import reverse

from jobunivers.accounts.tests.test_admin_and_lockout import _sign_in_with_totp
from jobunivers.tenancy.roles import Role

pytestmark = pytest.mark.django_db


def _citizen_user(municipality, member):
    return member(Role.CITIZEN, municipality, first_name="Karen", last_name="Borgersen")


def _citizen_membership(municipality, member):
    from jobunivers.tenancy.models import Membership

    return Membership.objects.get(user=_citizen_user(municipality, member), role=Role.CITIZEN)


def _citizen_device(municipality, member):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=_citizen_user(municipality, member), name="borgerens app", confirmed=True)


# Admins whose queryset leaves citizens' rows out: how to make a citizen's row of the model.
CITIZENS_LEFT_OUT = {
    "accounts.user": _citizen_user,
    "tenancy.membership": _citizen_membership,
    "otp_totp.totpdevice": _citizen_device,
}

# Admins of models that hold no citizen's data: why, and the links to a user they may have (staff only).
NO_CITIZEN_DATA: dict[str, tuple[str, tuple[str, ...]]] = {
    "auth.group": ("permission groups; no person", ()),
    "axes.accessattempt": ("failed password sign-ins of the staff and admin forms; citizens sign in with MitID", ()),
    "axes.accesslog": ("password sign-ins of the staff and admin forms; citizens sign in with MitID", ()),
    "axes.accessfailurelog": ("failed password sign-ins of the staff and admin forms", ()),
    "tenancy.municipality": ("the municipality itself", ()),
    "tenancy.theme": ("the municipality's branding", ()),
    "tenancy.municipalitysettings": ("the municipality's policy", ()),
    "segmentation.track": ("the municipality's tracks", ()),
    "segmentation.riskmodelversion": ("a model version and its card (aggregates only)", ("promoted_by",)),
}


def _registered() -> dict[str, admin.ModelAdmin]:
    return {model._meta.label_lower: model_admin for model, model_admin in admin.site._registry.items()}


def test_every_admin_is_classified():
    registered = set(_registered())
    assert registered - set(CITIZENS_LEFT_OUT) - set(NO_CITIZEN_DATA) == set()
    # and the tables name no admin that has gone (the rule stays exact)
    assert (set(CITIZENS_LEFT_OUT) | set(NO_CITIZEN_DATA)) - registered == set()


@pytest.mark.parametrize("label", sorted(NO_CITIZEN_DATA))
def test_an_admin_said_to_hold_no_citizen_data_has_no_link_to_a_citizen(label):
    model = next(m for m in admin.site._registry if m._meta.label_lower == label)
    _reason, staff_user_fields = NO_CITIZEN_DATA[label]
    user_model = settings.AUTH_USER_MODEL.lower()
    links = {field.name: field.related_model._meta.label_lower for field in model._meta.get_fields()
             if field.is_relation and field.concrete and field.related_model is not None}
    assert "citizens.citizen" not in links.values()
    assert {name for name, target in links.items() if target == user_model} == set(staff_user_fields)


@pytest.fixture
def operator_client(member, settings):
    settings.STAFF_REQUIRE_SECOND_FACTOR = True
    cache.clear()
    operator = member(Role.PLATFORM_OPERATOR, None, is_demo=False, is_staff=True, is_superuser=True)
    return _sign_in_with_totp(operator)


@pytest.mark.parametrize("label", sorted(CITIZENS_LEFT_OUT))
def test_an_admin_that_leaves_citizens_out_neither_lists_nor_opens_a_citizens_row(label, municipality, member,
                                                                                   operator_client):
    # given a citizen's row of the model
    row = CITIZENS_LEFT_OUT[label](municipality, member)
    app_label, model_name = label.split(".")
    change_url = reverse(f"admin:{app_label}_{model_name}_change", args=[row.pk])
    # when an operator opens the list and the row's change page
    listing = operator_client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    opened = operator_client.get(change_url)
    # then the list answers without the row, and the change page says it does not exist (back to the admin)
    assert listing.status_code == 200
    assert change_url not in listing.content.decode()
    assert opened.status_code == 302
    assert opened["Location"] == reverse("admin:index")


def test_a_citizen_cannot_be_given_a_totp_device_in_the_admin(municipality, member, operator_client):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def add_device(user):
        return operator_client.post(reverse("admin:otp_totp_totpdevice_add"), {
            "user": user.pk, "name": "app", "confirmed": "on", "key": "3132333435363738393031323334353637383930",
            "step": 30, "t0": 0, "digits": 6, "tolerance": 1, "drift": 0,
            "throttling_failure_count": 0})

    citizen, adviser = _citizen_user(municipality, member), member(Role.JOB_ADVISER, municipality)
    refused, added = add_device(citizen), add_device(adviser)
    assert refused.status_code == 200 and not TOTPDevice.objects.filter(user=citizen).exists()
    assert added.status_code == 302 and TOTPDevice.objects.filter(user=adviser).count() == 1
