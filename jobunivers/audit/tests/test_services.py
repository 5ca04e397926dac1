from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models, transaction
from django.test import RequestFactory
from django.utils import timezone

from jobunivers.audit.models import AccessLogEntry
from jobunivers.audit.selectors import consent_given, profiling_objected
from jobunivers.audit.services import (
    access_log_purge,
    access_log_record,
    access_log_verify,
    consent_set,
    log_staff_access,
    profiling_objection_set,
)
from jobunivers.audit.tasks import purge_access_log
from jobunivers.tenancy.roles import Role


def _record(actor, municipality, citizen_id=7, **overrides):
    values = {"actor": actor, "municipality_id": municipality.pk, "citizen_id": citizen_id, "action": "read",
              "purpose": "help", "what": "citizen overview", "role": Role.JOB_ADVISER}
    values.update(overrides)
    return access_log_record(**values)


def test_record_chains_entries_per_municipality(member, municipality, other_municipality):
    # given a staff member
    adviser = member(Role.JOB_ADVISER, municipality)
    # when three entries are written in two municipalities
    first = _record(adviser, municipality)
    second = _record(adviser, municipality, action="search", citizen_id=None, criterion="tømrer 8000")
    elsewhere = _record(adviser, other_municipality)
    # then each municipality has its own numbered chain, linked by hashes
    assert (first.sequence, second.sequence, elsewhere.sequence) == (1, 2, 1)
    assert second.previous_hash == first.entry_hash
    assert elsewhere.previous_hash == "0" * 64
    assert second.criterion == "tømrer 8000"
    assert access_log_verify(municipality_id=municipality.pk) == []


def test_record_never_stores_a_cpr_number(member, municipality):
    adviser = member(Role.JOB_ADVISER, municipality)
    entry = _record(adviser, municipality, action="search", citizen_id=None, criterion="010190-1234 Hansen",
                    what="search for 0101901234")
    assert entry.criterion == "[CPR] Hansen"
    assert entry.what == "search for [CPR]"


@pytest.mark.parametrize("overrides", [{"action": "peek"}, {"purpose": "marketing"}, {"what": ""},
                                       {"citizen_id": None}, {"purpose": "retention"}])
def test_record_refuses_bad_input_and_writes_nothing(member, municipality, overrides):
    adviser = member(Role.JOB_ADVISER, municipality)
    with pytest.raises(ValueError):
        _record(adviser, municipality, **overrides)
    assert AccessLogEntry.all_tenants.count() == 0


def test_record_is_rolled_back_with_the_callers_transaction(member, municipality):
    adviser = member(Role.JOB_ADVISER, municipality)
    with pytest.raises(RuntimeError), transaction.atomic():
        _record(adviser, municipality)
        raise RuntimeError("the action failed")
    assert AccessLogEntry.all_tenants.count() == 0
    # and the chain continues cleanly afterwards
    assert _record(adviser, municipality).sequence == 1
    assert access_log_verify(municipality_id=municipality.pk) == []


def test_log_staff_access_takes_actor_role_and_municipality_from_the_request(member, municipality):
    adviser = member(Role.PERSONAL_CONSULTANT, municipality)
    request = RequestFactory().get("/")
    request.user, request.municipality_id, request.role = adviser, municipality.pk, Role.PERSONAL_CONSULTANT
    entry = log_staff_access(request, citizen_id=3, what="plan", purpose="availability")
    assert (entry.actor_user_id, entry.role, entry.municipality_id, entry.purpose) == (
        adviser.pk, Role.PERSONAL_CONSULTANT, municipality.pk, "availability")


def test_log_is_append_only(member, municipality):
    adviser = member(Role.JOB_ADVISER, municipality)
    _record(adviser, municipality)
    with pytest.raises(PermissionError):
        AccessLogEntry.all_tenants.all().update(what="nothing")
    with pytest.raises(PermissionError):
        AccessLogEntry.all_tenants.all().delete()


def test_verify_detects_an_altered_entry_and_a_removed_one(member, municipality):
    # given a chain of three
    adviser = member(Role.JOB_ADVISER, municipality)
    entries = [_record(adviser, municipality) for _ in range(3)]
    # when someone alters the second with SQL, bypassing the application
    models.QuerySet.update(AccessLogEntry.all_tenants.filter(pk=entries[1].pk), what="nothing to see")
    # then verification names it, and the command fails
    assert [(p.sequence, p.reason) for p in access_log_verify(municipality_id=municipality.pk)] == [
        (2, "entry altered")]
    with pytest.raises(CommandError):
        call_command("audit_verify_chain")
    # and a removed entry is found too
    models.QuerySet.delete(AccessLogEntry.all_tenants.filter(pk=entries[1].pk))
    reasons = [p.reason for p in access_log_verify(municipality_id=municipality.pk)]
    assert "entry missing" in reasons


def test_purge_removes_old_entries_logs_itself_and_keeps_the_chain_verifiable(member, municipality):
    # given two old entries and one recent
    adviser = member(Role.JOB_ADVISER, municipality)
    long_ago = timezone.now() - timedelta(days=200)
    from unittest import mock
    with mock.patch("jobunivers.audit.services.timezone.now", return_value=long_ago):
        for _ in range(2):
            _record(adviser, municipality)
    recent = _record(adviser, municipality)
    # when the retention task runs (default 183 days)
    result = purge_access_log(municipality.pk)
    # then the old ones are gone, the recent one and a purge entry remain, and the chain verifies
    assert result == {municipality.pk: 2}
    remaining = list(AccessLogEntry.all_tenants.order_by("sequence").values_list("sequence", "action", "purpose"))
    assert remaining == [(recent.sequence, "read", "help"), (4, "delete", "retention")]
    assert access_log_verify(municipality_id=municipality.pk) == []
    call_command("audit_verify_chain")
    # and a second run purges nothing and writes nothing
    assert purge_access_log(municipality.pk) == {municipality.pk: 0}
    assert AccessLogEntry.all_tenants.count() == 2


def test_purge_respects_the_municipalitys_retention(member, municipality):
    from unittest import mock

    from jobunivers.tenancy.selectors import settings_for
    adviser = member(Role.JOB_ADVISER, municipality)
    with mock.patch("jobunivers.audit.services.timezone.now", return_value=timezone.now() - timedelta(days=40)):
        _record(adviser, municipality)
    policy = settings_for(municipality)
    assert access_log_purge(municipality_id=municipality.pk, retention_days=policy.access_log_retention_days).purged == 0
    policy.access_log_retention_days = 30
    policy.save()
    assert purge_access_log(municipality.pk) == {municipality.pk: 1}


def test_consent_is_off_until_given_and_objection_takes_effect(member, municipality):
    citizen = member(Role.CITIZEN, municipality)
    assert consent_given(user_id=citizen.pk, purpose="personalisation") is False
    consent_set(user=citizen, purpose="personalisation", given=True)
    assert consent_given(user_id=citizen.pk, purpose="personalisation") is True
    consent_set(user=citizen, purpose="personalisation", given=False)
    assert consent_given(user_id=citizen.pk, purpose="personalisation") is False
    assert profiling_objected(user_id=citizen.pk) is False
    profiling_objection_set(user=citizen, objected=True)
    assert profiling_objected(user_id=citizen.pk) is True
    with pytest.raises(ValueError):
        consent_given(user_id=citizen.pk, purpose="marketing")
