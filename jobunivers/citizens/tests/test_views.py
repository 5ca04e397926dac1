import io
import zipfile

import pytest
from django.test import override_settings
from django.utils import timezone

from jobunivers.citizens.models import (
    Citizen,
    CvDocument,
    JobLogEntry,
    OnboardingAnswers,
    PlanItem,
    PlanItemStatus,
    Profile,
    SavedJob,
)
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.citizens.tests.helpers import make_occupation, make_posting
from jobunivers.core.testing import client_for, murl
from jobunivers.tenancy.roles import Role

pytestmark = pytest.mark.django_db

ANSWERS = {"self_assessed_chances": "4", "expected_weeks_to_job": "8", "job_search_confidence": "3",
           "barriers": ["transport"], "digital_skills": "confident", "preferred_contact": "virtual",
           "contact_channels": ["video"], "education_level": "vocational", "work_history_summary": "Tømrer"}


@pytest.fixture
def citizen(municipality):
    return CitizenFactory(municipality=municipality)


@pytest.fixture
def private_media(tmp_path):
    with override_settings(PRIVATE_MEDIA_ROOT=tmp_path):
        yield tmp_path


def test_first_visit_goes_through_welcome_to_the_questionnaire_and_back(citizen, municipality):
    client = client_for(citizen.user)
    # when a new citizen opens their page, they are welcomed first
    response = client.get(murl(municipality, "citizens:home"))
    assert response.status_code == 302 and response.url == murl(municipality, "citizens:welcome")
    page = client.get(response.url).content.decode()
    assert "Dine rettigheder og pligter" in page
    # when they continue, they get the questionnaire
    response = client.post(murl(municipality, "citizens:welcome"))
    assert response.url == murl(municipality, "citizens:questionnaire")
    response = client.post(murl(municipality, "citizens:questionnaire"), ANSWERS)
    assert response.status_code == 302
    # then their answers are shown back, and the intro meeting is in the plan
    page = client.get(murl(municipality, "citizens:questionnaire")).content.decode()
    assert "Transport eller afstand" in page
    assert OnboardingAnswers.all_tenants.get(citizen=citizen).revision == 1
    plan = client.get(murl(municipality, "citizens:plan")).content.decode()
    assert "Intromøde med en jobrådgiver" in plan
    assert client.get(murl(municipality, "citizens:home")).status_code == 200


def test_questionnaire_errors_are_in_danish_and_nothing_is_saved(citizen, municipality):
    response = client_for(citizen.user).post(murl(municipality, "citizens:questionnaire"),
                                             {**ANSWERS, "expected_weeks_to_job": "-3"})
    assert response.status_code == 200
    assert "Ret venligst fejlene nedenfor." in response.content.decode()
    assert OnboardingAnswers.all_tenants.count() == 0


def test_profile_two_tabs_second_save_gets_a_conflict(citizen, municipality):
    client = client_for(citizen.user)
    url = murl(municipality, "citizens:profile")
    client.get(url)
    version = Profile.all_tenants.get(citizen=citizen).version
    form = {"version": version, "radius_km": 25, "summary": "Første fane", "postcode": ""}
    assert client.post(url, form).status_code == 302
    # when the second tab, built from the same version, saves
    response = client.post(url, {**form, "summary": "Anden fane"}, follow=True)
    # then it is told so and the first save stands
    assert "Din ændring blev ikke gemt" in response.content.decode()
    assert Profile.all_tenants.get(citizen=citizen).summary == "Første fane"


def test_occupation_search_works_without_javascript_and_adds_two(citizen, municipality):
    client = client_for(citizen.user)
    truck = make_occupation("Truckfører", "8344")
    warehouse = make_occupation("Lagerarbejder", "9333")
    # when searching without JavaScript, the profile page lists the matches
    response = client.get(murl(municipality, "citizens:occupation_search"), {"occupation_query": "truck"},
                          follow=True)
    assert "Truckfører" in response.content.decode()
    # and with HTMX the fragment comes back
    fragment = client.get(murl(municipality, "citizens:occupation_search"), {"occupation_query": "lager"},
                          HTTP_HX_REQUEST="true").content.decode()
    assert "Lagerarbejder" in fragment and "<h1" not in fragment
    for occupation in (truck, warehouse):
        client.post(murl(municipality, "citizens:occupation_add"), {"occupation_id": occupation.pk})
    profile = Profile.all_tenants.get(citizen=citizen)
    assert sorted(o.preferred_label for o in profile.occupations.all()) == ["Lagerarbejder", "Truckfører"]


def test_plan_item_conflict_and_version_history(citizen, municipality):
    client = client_for(citizen.user)
    client.post(murl(municipality, "citizens:plan"), {"item_type": "own_activity", "title": "Ring til Arla",
                                                      "status": "planned"})
    item = PlanItem.all_tenants.get(citizen=citizen)
    url = murl(municipality, "citizens:plan_item", plan_item_id=item.pk)
    form = {"version": 1, "item_type": "own_activity", "title": "Ring til Arla i dag", "status": "in_progress"}
    assert client.post(url, form).status_code == 302
    response = client.post(url, {**form, "title": "Gammel fane"}, follow=True)
    page = response.content.decode()
    assert "Din ændring blev ikke gemt" in page
    assert "Status: Planlagt → I gang" in page
    item.refresh_from_db()
    assert (item.title, item.version) == ("Ring til Arla i dag", 2)


def test_plan_refuses_due_before_start(citizen, municipality):
    today = timezone.localdate()
    response = client_for(citizen.user).post(murl(municipality, "citizens:plan"), {
        "item_type": "course", "title": "Kursus", "status": "planned", "starts_on": today.isoformat(),
        "due_on": (today - timezone.timedelta(days=2)).isoformat()})
    assert response.status_code == 400
    assert "Slutdatoen kan ikke ligge før startdatoen." in response.content.decode()
    assert PlanItem.all_tenants.count() == 0


def test_job_log_entry_and_weekly_count_and_exports(citizen, municipality):
    client = client_for(citizen.user)
    url = murl(municipality, "citizens:job_log")
    future = (timezone.localdate() + timezone.timedelta(days=3)).isoformat()
    response = client.post(url, {"kind": "application", "employer": "Arla", "job_title": "Chauffør",
                                 "occurred_on": future, "status": "sent"})
    assert "Datoen kan ikke ligge i fremtiden." in response.content.decode()
    assert JobLogEntry.all_tenants.count() == 0
    client.post(url, {"kind": "application", "employer": "=Arla", "job_title": "Chauffør",
                      "occurred_on": timezone.localdate().isoformat(), "status": "sent"})
    assert "Denne uge: 1 ansøgning" in client.get(url).content.decode()
    csv_text = client.get(murl(municipality, "citizens:job_log_export", file_format="csv")).content.decode("utf-8-sig")
    assert "'=Arla;Chauffør" in csv_text
    pdf = client.get(murl(municipality, "citizens:job_log_export", file_format="pdf"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    plan_pdf = client.get(murl(municipality, "citizens:plan_pdf"))
    assert plan_pdf.content.startswith(b"%PDF-")


def test_from_a_job_ad_add_to_plan_then_applied(citizen, municipality):
    client = client_for(citizen.user)
    posting = make_posting(title="Lagermedarbejder", employer_name="Salling Group")
    back = "/aarhus/job/1/"
    response = client.post(murl(municipality, "citizens:job_add_to_plan", posting_id=posting.pk), {"next": back})
    assert response.url == back
    client.post(murl(municipality, "citizens:job_save", posting_id=posting.pk))
    client.post(murl(municipality, "citizens:job_applied", posting_id=posting.pk))
    client.post(murl(municipality, "citizens:job_applied", posting_id=posting.pk))
    entry = JobLogEntry.all_tenants.get(citizen=citizen)
    item = PlanItem.all_tenants.get(citizen=citizen, posting=posting)
    assert (entry.posting_id, entry.plan_item_id, entry.employer, entry.how_applied) == (
        posting.pk, item.pk, "Salling Group", "platform")
    assert item.status == PlanItemStatus.DONE
    assert SavedJob.all_tenants.filter(citizen=citizen, posting=posting).count() == 1


def test_applied_first_then_add_to_plan_links_and_marks_done(citizen, municipality):
    client = client_for(citizen.user)
    posting = make_posting()
    client.post(murl(municipality, "citizens:job_applied", posting_id=posting.pk))
    client.post(murl(municipality, "citizens:job_add_to_plan", posting_id=posting.pk))
    item = PlanItem.all_tenants.get(citizen=citizen, posting=posting)
    assert item.status == PlanItemStatus.DONE
    assert JobLogEntry.all_tenants.get(citizen=citizen).plan_item_id == item.pk


def test_job_ad_actions_need_post_and_a_real_ad(citizen, municipality):
    client = client_for(citizen.user)
    assert client.get(murl(municipality, "citizens:job_applied", posting_id=1)).status_code == 405
    response = client.post(murl(municipality, "citizens:job_applied", posting_id=999999), follow=True)
    assert "Jobopslaget findes ikke længere." in response.content.decode()
    assert JobLogEntry.all_tenants.count() == 0


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def test_cv_upload_checks_content_and_is_served_only_to_owner_and_local_staff(
        citizen, municipality, other_municipality, member, private_media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jobunivers.audit.models import AccessLogEntry

    client = client_for(citizen.user)
    url = murl(municipality, "citizens:cv")
    # a renamed executable is refused
    response = client.post(url, {"file": SimpleUploadedFile("cv.pdf", b"MZ\x90\x00binary", "application/pdf")})
    assert response.context["cv_form"].errors["file"] == ["CV'et skal være en PDF eller et Word-dokument (DOCX)."]
    assert CvDocument.all_tenants.count() == 0
    # a real DOCX is stored privately
    client.post(url, {"file": SimpleUploadedFile("mit cv.docx", _docx_bytes(), "application/octet-stream")})
    document = CvDocument.all_tenants.get(citizen=citizen)
    assert (private_media / "cv" / document.storage_name).exists()
    assert client.get(url).status_code == 200
    # staff here can read it (logged); staff elsewhere get 404
    staff = member(Role.JOB_ADVISER, municipality)
    response = client_for(staff).get(murl(municipality, "citizens:staff_cv", citizen_id=citizen.pk))
    assert response.status_code == 200
    assert AccessLogEntry.all_tenants.filter(citizen_id=citizen.pk, actor_user_id=staff.pk).count() == 1
    elsewhere = member(Role.JOB_ADVISER, other_municipality)
    assert client_for(elsewhere).get(murl(other_municipality, "citizens:staff_cv",
                                          citizen_id=citizen.pk)).status_code == 404
    other_citizen = CitizenFactory(municipality=municipality)
    assert client_for(other_citizen.user).get(url).status_code == 404


def test_admin_edits_welcome_text_citizens_see_it(citizen, municipality, member):
    admin = member(Role.MUNICIPALITY_ADMIN, municipality)
    url = murl(municipality, "citizens:admin_welcome")
    response = client_for(admin).post(url, {"version": 0, "intro_da": "Velkommen til Jobcenter Aarhus!"})
    assert response.status_code == 302
    assert "Velkommen til Jobcenter Aarhus!" in client_for(citizen.user).get(
        murl(municipality, "citizens:welcome")).content.decode()
    assert client_for(citizen.user).get(url).status_code == 403


def test_simple_start_page_for_citizens_who_asked_for_support(citizen, municipality):
    client = client_for(citizen.user)
    client.post(murl(municipality, "citizens:questionnaire"), {**ANSWERS, "digital_skills": "needs_help"})
    page = client.get(murl(municipality, "citizens:home")).content.decode()
    assert "Du har bedt om mere støtte." in page
    assert "Gemte job" not in page
    assert Citizen.all_tenants.get(pk=citizen.pk).onboarding_completed_at is not None


def test_esco_skills_are_found_added_and_removed_and_reach_matching(citizen, municipality):
    from jobunivers.citizens import selectors
    from jobunivers.citizens.tests.helpers import make_skill
    from jobunivers.core.context import tenant_context

    client = client_for(citizen.user)
    forklift = make_skill("Betjene gaffeltruck")
    # when searching without JavaScript, the profile lists the skill; adding it stores its URI
    page = client.get(murl(municipality, "citizens:skill_search"), {"skill_query": "gaffel"}, follow=True)
    assert "Tilføj kompetencen Betjene gaffeltruck" in page.content.decode()
    client.post(murl(municipality, "citizens:skill_add"), {"skill_uri": forklift.uri})
    client.post(murl(municipality, "citizens:skill_add"), {"skill_uri": "http://example.org/not-esco"})
    with tenant_context(municipality):
        assert selectors.profile_for(citizen_id=citizen.pk).skill_uris == (forklift.uri,)
    # and removing it takes it away again
    client.post(murl(municipality, "citizens:skill_remove"), {"skill_uri": forklift.uri})
    assert Profile.all_tenants.get(citizen=citizen).skill_uris == []


def test_the_start_page_counts_overdue_activities_and_lists_the_next_due(citizen, municipality):
    import datetime

    from jobunivers.citizens.models import PlanItem, PlanItemStatus

    # given two overdue open activities, one due next week, one due in a month, and one overdue but done
    today = timezone.localdate()
    client = client_for(citizen.user)
    client.post(murl(municipality, "citizens:questionnaire"), ANSWERS)
    for title, days, status in (("Ring til Netto", -3, PlanItemStatus.PLANNED), ("Send CV", -1, PlanItemStatus.IN_PROGRESS),
                                ("Jobsamtale", 6, PlanItemStatus.PLANNED), ("Kursus", 30, PlanItemStatus.PLANNED),
                                ("Gammel opgave", -9, PlanItemStatus.DONE)):
        PlanItem.all_tenants.create(municipality=municipality, citizen=citizen, item_type="own_activity", title=title,
                                    status=status, due_on=today + datetime.timedelta(days=days))
    # when the citizen opens the start page
    page = client.get(murl(municipality, "citizens:home")).content.decode()
    # then the two open overdue ones are counted, and the open ones due within two weeks are listed by date
    assert "2 aktiviteter har overskredet fristen." in page
    listed = [title for title in ("Ring til Netto", "Send CV", "Jobsamtale", "Kursus", "Gammel opgave") if f">{title}</a>" in page]
    assert listed == ["Ring til Netto", "Send CV", "Jobsamtale"]
    assert page.index(">Ring til Netto</a>") < page.index(">Send CV</a>") < page.index(">Jobsamtale</a>")
