import pytest
from django.utils import translation

from jobunivers.citizens.models import JobLogEntry
from jobunivers.core.context import tenant_context
from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.employers import services
from jobunivers.employers.models import Follow, Organisation, OrganisationPosting
from jobunivers.jobs.tests.factories import JobPostingFactory

from . import factories


@pytest.mark.django_db
def test_postings_become_organisations_by_cvr_else_by_normalised_name():
    # given postings of one firm with a CVR number under two names, and a firm without CVR in two spellings
    made = [JobPostingFactory(employer_name="Netto A/S", employer_cvr="12345678"),
            JobPostingFactory(employer_name="Netto Aarhus", employer_cvr="12345678"),
            JobPostingFactory(employer_name="Bager Hansen ApS"),
            JobPostingFactory(employer_name="BAGER HANSEN aps.")]
    # when they are indexed
    linked = services.organisations_index(posting_ids=[p.pk for p in made])
    # then there are two organisations, each with its postings
    assert linked == 4
    assert sorted(Organisation.objects.values_list("key", "cvr")) == [("cvr:12345678", "12345678"),
                                                                     ("name:bager hansen", "")]
    netto = Organisation.objects.get(cvr="12345678")
    assert netto.postings.count() == 2


@pytest.mark.django_db
def test_indexing_again_is_idempotent_and_follows_a_changed_employer():
    # given an indexed posting
    posting = JobPostingFactory(employer_name="Firma A")
    services.organisations_index(posting_ids=[posting.pk])
    # when its employer changes and it is indexed twice
    posting.employer_name = "Firma B"
    posting.save()
    services.organisations_index(posting_ids=[posting.pk])
    services.organisations_index(posting_ids=[posting.pk])
    # then it belongs to the new organisation only
    assert list(OrganisationPosting.objects.values_list("organisation__key", flat=True)) == ["name:firma b"]


@pytest.mark.django_db
def test_the_published_event_indexes_the_postings(django_capture_on_commit_callbacks):
    # given a posting saved through the employer's service path's event
    from jobunivers.core.events import publish_on_commit
    from jobunivers.jobs.contracts import PostingsPublished

    posting = JobPostingFactory(employer_name="Event Firma")
    with django_capture_on_commit_callbacks(execute=True):
        publish_on_commit(PostingsPublished(source="test", created_ids=(posting.pk,)))
    # then the handler linked it
    assert OrganisationPosting.objects.get(posting=posting).organisation.name == "Event Firma"


@pytest.mark.django_db
def test_missing_postings_are_indexed_by_the_sweep():
    made = [JobPostingFactory(employer_name=f"Firma {n}") for n in range(3)]
    assert services.organisations_index_missing(batch_size=2) == 3
    assert OrganisationPosting.objects.filter(posting__in=made).count() == 3
    assert services.organisations_index_missing() == 0


def test_a_citizen_follows_an_employer_once(citizen):
    # given an employer
    organisation = factories.organisation("Netto")
    with tenant_context(citizen.municipality):
        # when the citizen follows it twice
        first, created = services.follow_employer(actor=citizen.user, citizen=citizen, organisation_id=organisation.pk)
        again, created_again = services.follow_employer(actor=citizen.user, citizen=citizen,
                                                        organisation_id=str(organisation.pk))
    # then there is one follow
    assert (created, created_again, first.pk == again.pk) == (True, False, True)
    assert Follow.all_tenants.count() == 1


@pytest.mark.parametrize("organisation_id", [999999, "abc", "", None, -1])
def test_following_an_employer_that_does_not_exist_is_refused_in_danish(citizen, organisation_id):
    with tenant_context(citizen.municipality), translation.override("da"):
        with pytest.raises(ValidationFailed) as error:
            services.follow_employer(actor=citizen.user, citizen=citizen, organisation_id=organisation_id)
    assert error.value.messages == {"__all__": ["Vi kender ikke den virksomhed."]}
    assert Follow.all_tenants.count() == 0


def test_nobody_follows_for_another_citizen(citizen, other_citizen):
    organisation = factories.organisation("Netto")
    with tenant_context(citizen.municipality), pytest.raises(NotFound):
        services.follow_employer(actor=other_citizen.user, citizen=citizen, organisation_id=organisation.pk)
    assert Follow.all_tenants.count() == 0


@pytest.mark.parametrize("code", ["", "12345", "93a4", "8888"])
def test_an_unknown_occupation_field_is_refused(citizen, code):
    with tenant_context(citizen.municipality), pytest.raises(ValidationFailed):
        services.follow_occupation_field(actor=citizen.user, citizen=citizen, isco_code=code)
    assert Follow.all_tenants.count() == 0


def test_a_citizen_follows_an_occupation_field_once(citizen):
    with tenant_context(citizen.municipality):
        _, created = services.follow_occupation_field(actor=citizen.user, citizen=citizen, isco_code="9334")
        _, again = services.follow_occupation_field(actor=citizen.user, citizen=citizen, isco_code=" 9334 ")
    assert (created, again) == (True, False)
    assert list(Follow.all_tenants.values_list("kind", "isco_code")) == [("occupation_field", "9334")]


def test_an_unsolicited_application_goes_into_the_job_log_in_one_step(citizen, warehouse):
    organisation = factories.organisation("Netto", occupation=warehouse)
    with tenant_context(citizen.municipality), translation.override("da"):
        entry = services.unsolicited_application_log(actor=citizen.user, citizen=citizen,
                                                     organisation_id=organisation.pk, occupation_id=warehouse.pk)
    stored = JobLogEntry.all_tenants.get(pk=entry.pk)
    assert (stored.citizen_id, stored.employer, stored.job_title, stored.kind, stored.status) == (
        citizen.pk, "Netto", "Uopfordret ansøgning som lagermedarbejder", "application", "sent")


def test_an_unsolicited_application_to_an_unknown_employer_writes_nothing(citizen):
    with tenant_context(citizen.municipality), pytest.raises(ValidationFailed):
        services.unsolicited_application_log(actor=citizen.user, citizen=citizen, organisation_id=424242)
    assert JobLogEntry.all_tenants.count() == 0


def test_unfollow_and_notice_preference(citizen):
    organisation = factories.organisation("Netto")
    follow = factories.follow(citizen, organisation)
    with tenant_context(citizen.municipality):
        services.follow_set_notify(actor=citizen.user, citizen=citizen, follow=follow, notify=False)
        assert Follow.all_tenants.get(pk=follow.pk).notify is False
        services.unfollow(actor=citizen.user, citizen=citizen, follow=follow)
    assert Follow.all_tenants.count() == 0


@pytest.mark.django_db
def test_the_sweep_task_and_the_command_link_the_back_catalogue():
    from io import StringIO

    from django.core.management import call_command

    from jobunivers.employers.tasks import index_missing_postings

    JobPostingFactory(employer_name="Firma 1")
    assert index_missing_postings() == 1
    JobPostingFactory(employer_name="Firma 2")
    out = StringIO()
    call_command("employers_index", stdout=out)
    assert out.getvalue().strip() == "linked 1 postings to their employers"


@pytest.mark.django_db
def test_the_demo_links_the_demo_postings_each_run():
    import random
    from io import StringIO

    from jobunivers.employers.demo import load

    JobPostingFactory(employer_name="Demo Firma")
    load(rng=random.Random(1), stdout=StringIO())
    load(rng=random.Random(1), stdout=StringIO())
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Demo Firma"]
