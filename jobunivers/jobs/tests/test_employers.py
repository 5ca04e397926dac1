"""Employer ownership by organisation record (jobs.Employer), not by a free-text name, and CVR numbers
checked with the modulus-11 rule (issue 12, item 7)."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from jobunivers.core.errors import ValidationFailed
from jobunivers.core.testing import client_for
from jobunivers.jobs.models import Employer, EmployerAccount, JobPosting
from jobunivers.jobs.services import employer_link
from jobunivers.jobs.tests.factories import JobPostingFactory
from jobunivers.jobs.validation import cvr_is_valid
from jobunivers.tenancy.roles import Role
from jobunivers.tenancy.services import membership_grant


def _employer_user(organisation: str, cvr: str | None):
    from jobunivers.accounts.tests.factories import UserFactory

    user = UserFactory()
    membership = membership_grant(user=user, role=Role.EMPLOYER, municipality=None, organisation=organisation)
    if cvr:
        employer_link(membership=membership, name=organisation, cvr=cvr)
    return user


@pytest.mark.parametrize(("cvr", "valid"), [("12345674", True), ("10150817", True), ("12345678", False),
                                            ("02345674", False), ("1234567", False), ("1234567a", False), ("", False)])
def test_cvr_modulus_11(cvr, valid):
    assert cvr_is_valid(cvr) is valid


def test_same_name_different_employers_cannot_touch_each_others_postings(places):
    # given two firms that typed the same name, with different CVR numbers
    first = _employer_user("Byg ApS", "12345674")
    second = _employer_user("Byg ApS", "10150817")
    theirs = JobPostingFactory(source="employer", owner_organisation="Byg ApS",
                               owner_employer=Employer.objects.get(cvr="10150817"))
    # when the first firm tries to open, change and withdraw the second firm's posting
    client = client_for(first)
    edit = client.get(reverse("jobs:employer_edit", kwargs={"posting_id": theirs.pk}))
    withdraw = client.post(reverse("jobs:employer_withdraw", kwargs={"posting_id": theirs.pk}))
    home = client.get(reverse("jobs:employer_home")).content.decode()
    # then it is as if the posting did not exist, and nothing changed
    assert (edit.status_code, withdraw.status_code) == (404, 404)
    assert theirs.title not in home
    theirs.refresh_from_db()
    assert theirs.status == "active"
    # while its own firm can
    assert client_for(second).get(reverse("jobs:employer_edit", kwargs={"posting_id": theirs.pk})).status_code == 200


def test_an_employer_without_an_employer_record_cannot_post(places):
    # given an employer membership with only a free-text organisation name
    user = _employer_user("Byg ApS", None)
    data = {"title": "Kok", "description": "Køkken.", "postcode": "8000", "hours": "full_time",
            "employment_type": "permanent", "positions": 1, "apply_email": "a@b.example"}
    # when it posts a job
    with translation.override("da"):
        response = client_for(user).post(reverse("jobs:employer_create"), data, HTTP_ACCEPT_LANGUAGE="da")
    # then it is refused in Danish and nothing is written
    assert response.status_code == 200
    assert "Din arbejdsgiverkonto er ikke knyttet til en arbejdsgiver" in response.content.decode()
    assert JobPosting.objects.count() == 0


def test_employer_form_refuses_a_cvr_with_a_wrong_check_digit(places):
    user = _employer_user("Byg ApS", "12345674")
    data = {"title": "Kok", "description": "Køkken.", "postcode": "8000", "hours": "full_time",
            "employment_type": "permanent", "positions": 1, "apply_email": "a@b.example", "employer_cvr": "12345678"}
    client = client_for(user)
    client.cookies["jobunivers_language"] = "da"
    response = client.post(reverse("jobs:employer_create"), data)
    assert response.status_code == 200
    assert "12345678 er ikke et gyldigt CVR-nummer (kontrolcifferet passer ikke)." in response.content.decode()
    assert JobPosting.objects.count() == 0


def test_link_employer_checks_the_cvr_in_danish_and_writes_nothing_when_wrong(db):
    # given an employer user
    user = _employer_user("Byg ApS", None)
    # when the operator links it with a wrong CVR, then with a right one
    with translation.override("da"), pytest.raises(CommandError, match="12345678 er ikke et gyldigt CVR-nummer"):
        call_command("link_employer", user.username, cvr="12345678", name="Byg ApS")
    assert (Employer.objects.count(), EmployerAccount.objects.count()) == (0, 0)
    call_command("link_employer", user.username, cvr="12345674", name="Byg ApS")
    # then the membership acts for that employer
    account = EmployerAccount.objects.get()
    assert (account.employer.cvr, account.employer.name, account.membership.user) == ("12345674", "Byg ApS", user)


def test_link_refuses_a_membership_that_is_not_an_employer(db, municipality, member):
    adviser = member(Role.JOB_ADVISER, municipality)
    with pytest.raises(ValidationFailed):
        employer_link(membership=adviser.memberships.get(), name="Byg ApS", cvr="12345674")
    assert Employer.objects.count() == 0


def test_the_migration_gives_existing_organisation_names_an_employer_record(places):
    # given an employer membership and its posting from before, tied only by the organisation name
    import importlib

    from django.apps import apps

    migration = importlib.import_module("jobunivers.jobs.migrations.0005_employers_from_organisation_names")
    user = _employer_user("Gammel Byg ApS", None)
    posting = JobPostingFactory(source="employer", owner_organisation="Gammel Byg ApS")
    other = JobPostingFactory(source="employer", owner_organisation="Anden ApS")
    # when the migration runs
    migration.forwards(apps, None)
    # then the membership acts for a new employer record that owns the posting, and only that posting
    account = EmployerAccount.objects.get(membership__user=user)
    posting.refresh_from_db()
    other.refresh_from_db()
    assert (account.employer.name, account.employer.cvr) == ("Gammel Byg ApS", None)
    assert (posting.owner_employer, other.owner_employer) == (account.employer, None)


def _registration(label):
    from jobunivers.audit.privacy import registrations

    return next(r for r in registrations() if r.model_label == label)


def test_employer_accounts_and_employers_are_exported_and_erased(places):
    # given two people acting for one employer, one of them alone for a second employer, and a posting of the first
    shared_a = _employer_user("Byg ApS", "12345674")
    shared_b = _employer_user("Byg ApS", "12345674")
    alone = _employer_user("Jens Hansen Tømrer", "10150817")
    JobPostingFactory(source="employer", owner=shared_a, owner_organisation="Byg ApS",
                      owner_employer=Employer.objects.get(cvr="12345674"))
    accounts, employers = _registration("jobs.employeraccount"), _registration("jobs.employer")
    # then each exports what they act for
    assert accounts.export(shared_a) == [{"employer": "Byg ApS", "cvr": "12345674"}]
    assert employers.export(alone)[0] | {"created": ""} == {"name": "Jens Hansen Tømrer", "cvr": "10150817",
                                                           "created": ""}
    # when the sole trader erases their data, their firm record goes with their account
    employers.erase(alone)
    accounts.erase(alone)
    assert not Employer.objects.filter(cvr="10150817").exists()
    assert accounts.export(alone) == [] and employers.export(alone) == []
    # when one of two people acting for an employer with postings erases, only their link goes
    employers.erase(shared_a)
    accounts.erase(shared_a)
    assert Employer.objects.filter(cvr="12345674").exists()
    assert accounts.export(shared_a) == []
    assert accounts.export(shared_b) == [{"employer": "Byg ApS", "cvr": "12345674"}]


def test_full_erasure_of_an_employer_user_succeeds(places):
    from jobunivers.audit.models import ErasureRequest
    from jobunivers.audit.services import personal_data_erase

    user = _employer_user("Jens Hansen Tømrer", "10150817")
    receipt = personal_data_erase(user=user)
    assert receipt.status == ErasureRequest.Status.DONE
    assert {"jobs.employer", "jobs.employeraccount"} <= {e["source"] for e in receipt.erased}
    assert not EmployerAccount.objects.exists() and not Employer.objects.exists()
