"""Coffee meetings' writes: publishing (and its Danish refusals), offering to those who fit and allow it, the
one answer and its snapshot, staff's answer on a citizen's behalf, the employer's acceptance with a booked
time, attendance, outcome and the funnel."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from jobunivers.audit.models import AccessLogEntry
from jobunivers.citizens.models import Profile
from jobunivers.coffee import selectors, services
from jobunivers.coffee.models import Answer, FunnelEvent, Invitation, Offer
from jobunivers.core.errors import ConflictError, NotFound, ValidationFailed
from jobunivers.notifications.models import Notification

from .helpers import cook, employer, invitation_data, seeker

pytestmark = pytest.mark.django_db


def _publish(boss, sought, **changes):
    """Publish, and offer as the task after commit would (tests roll back, so on-commit never fires)."""
    user, membership = boss
    invitation = services.invitation_publish(actor=user, membership=membership, data=invitation_data(sought, **changes))
    services.invitation_offer(invitation_id=invitation.pk)
    return invitation


def _events(invitation):
    return sorted(FunnelEvent.all_tenants.filter(invitation=invitation).values_list("step", flat=True))


def test_an_invitation_is_offered_to_those_who_fit_and_allow_it_and_no_one_else(
        boss, occupation, sara, municipality, other_municipality, django_capture_on_commit_callbacks):
    # given Sara (visible for craft jobs), a carpenter in København who is visible too, a carpenter who is not
    # visible, a visible carpenter who chose only service jobs, and a visible cook
    far = seeker(other_municipality, occupation, first_name="Ole", postcode="1050")
    services.visibility_set(actor=far.user, citizen=far, is_open=True, job_kinds=["7"], fields=["name"])
    seeker(municipality, occupation, first_name="Hanne")  # seeks the trade but is not visible
    other_kind = seeker(municipality, occupation, first_name="Kim")
    services.visibility_set(actor=other_kind.user, citizen=other_kind, is_open=True, job_kinds=["5"], fields=[])
    chef = seeker(municipality, cook(), first_name="Karl")
    services.visibility_set(actor=chef.user, citizen=chef, is_open=True, job_kinds=["7", "5"], fields=[])
    # when the employer publishes an invitation for carpenters in Aarhus (offered after commit)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _publish(boss, occupation)
    # then Sara and the København carpenter get a card (the nearer first), no one else
    offers = list(Offer.all_tenants.filter(invitation=invitation).order_by("-score"))
    assert [o.citizen_id for o in offers] == [sara.pk, far.pk]
    assert [o.municipality_id for o in offers] == [municipality.pk, other_municipality.pk]
    assert offers[0].score > offers[1].score >= services.FIT_THRESHOLD
    assert offers[0].reasons[0][0] == "Søger job inden for netop denne stilling"
    assert offers[0].reasons[1][0] == "1 km fra mødestedet, inden for den afstand personen søger job i"
    assert _events(invitation) == ["shown", "shown"]
    notice = Notification.all_tenants.get(recipient=sara.user, kind="coffee")
    assert notice.title == "Et kaffemøde med Byggesen Tømrer ApS?"
    assert notice.link == "/aarhus/min-side/kaffemoeder/"
    # and offering again makes nothing new
    assert services.invitation_offer(invitation_id=invitation.pk) == 0
    assert Offer.all_tenants.filter(invitation=invitation).count() == 2


def test_a_citizen_who_opens_up_later_gets_the_open_invitations(boss, occupation, municipality):
    invitation = _publish(boss, occupation)
    late = seeker(municipality, occupation)
    assert Offer.all_tenants.filter(citizen=late).count() == 0
    services.visibility_set(actor=late.user, citizen=late, is_open=True, job_kinds=["7"], fields=["name"])
    assert list(Offer.all_tenants.filter(citizen=late).values_list("invitation_id", flat=True)) == [invitation.pk]


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"first_day": timezone.localdate() - datetime.timedelta(days=3),
      "last_day": timezone.localdate() - datetime.timedelta(days=1)}, "first_day",
     "Tidsrummet ligger i fortiden. Vælg dage fra i dag og frem."),
    ({"meetings": 0}, "meetings", "Antallet af møder skal være mindst 1."),
    ({"meetings": 51}, "meetings", "Antallet af møder kan højst være 50."),
    ({"meetings": 40}, "meetings", "Tidsrummet har kun plads til 36 møder (hverdage)."),
    ({"place": "", "video_link": ""}, "place", "Angiv et mødested eller et link til et videomøde."),
    ({"video_link": "javascript:alert(1)"}, "video_link",
     "Linket til videomødet skal være en webadresse, der begynder med https://."),
    ({"day_starts": datetime.time(12, 0), "day_ends": datetime.time(9, 0)}, "day_ends",
     "Møderne skal slutte, efter de begynder."),
    ({"occupation": "999999"}, "occupation", "Vælg stillingsbetegnelsen på listen."),
    ({"postcode": "0000"}, "postcode", "Vi kender ikke postnummeret 0000."),
    ({"meeting_minutes": 7}, "meeting_minutes", "Vælg, hvor lang hvert møde er."),
])
def test_bad_invitations_get_a_clear_danish_error_and_write_nothing(boss, occupation, changes, field, message):
    with pytest.raises(ValidationFailed) as refused:
        _publish(boss, occupation, **changes)
    assert refused.value.messages[field] == [message]
    assert Invitation.objects.count() == 0


def test_a_last_day_before_the_first_is_refused(boss, occupation):
    start = timezone.localdate() + datetime.timedelta(days=5)
    with pytest.raises(ValidationFailed) as refused:
        _publish(boss, occupation, first_day=start, last_day=start - datetime.timedelta(days=1))
    assert refused.value.messages == {"last_day": ["Den sidste dag kan ikke ligge før den første dag."]}


def test_an_employer_account_without_an_organisation_cannot_publish(occupation, member):
    from jobunivers.tenancy.roles import Role

    user = member(Role.EMPLOYER)
    with pytest.raises(ValidationFailed) as refused:
        services.invitation_publish(actor=user, membership=user.memberships.get(), data=invitation_data(occupation))
    assert refused.value.messages == {"__all__": [
        "Din konto handler ikke for en arbejdsgiver endnu. Kontakt platformens drift."]}
    assert Invitation.objects.count() == 0


def _offer(sara, invitation):
    return Offer.all_tenants.get(citizen=sara, invitation=invitation)


def test_a_yes_shares_exactly_the_chosen_fields_as_they_were_at_that_moment(boss, occupation, sara):
    # given Sara's card
    invitation = _publish(boss, occupation)
    offer = _offer(sara, invitation)
    # when she says yes, and later changes her summary and choices
    answer = services.answer_give(actor=sara.user, citizen=sara, offer_id=offer.pk, choice="yes")
    Profile.all_tenants.filter(citizen=sara).update(summary="Ændret senere")
    services.visibility_set(actor=sara.user, citizen=sara, is_open=True, job_kinds=["7"],
                            fields=["name", "summary", "experience"])
    # then the yes shared name, occupations and skills as they were; not her summary or experience
    assert answer.shared == {"name": "Sara Jensen", "occupations": ["tømrer"], "skills": ["træarbejde"]}
    assert Answer.all_tenants.get(pk=answer.pk).shared == answer.shared
    assert _events(invitation) == ["shown", "yes"]


def test_a_yes_after_closing_visibility_shares_nothing(boss, occupation, sara):
    offer = _offer(sara, _publish(boss, occupation))
    services.visibility_set(actor=sara.user, citizen=sara, is_open=False, job_kinds=[], fields=["name"])
    answer = services.answer_give(actor=sara.user, citizen=sara, offer_id=offer.pk, choice="yes")
    assert answer.shared == {}


def test_a_second_answer_is_refused_cleanly(boss, occupation, sara):
    invitation = _publish(boss, occupation)
    offer = _offer(sara, invitation)
    services.answer_give(actor=sara.user, citizen=sara, offer_id=offer.pk, choice="yes")
    with pytest.raises(ConflictError) as refused:
        services.answer_give(actor=sara.user, citizen=sara, offer_id=offer.pk, choice="yes")
    assert str(refused.value) == "Du har allerede svaret på denne invitation."
    assert Answer.all_tenants.count() == 1
    assert _events(invitation) == ["shown", "yes"]


def test_the_database_refuses_a_second_answer_too(boss, occupation, sara):
    from django.db import IntegrityError, transaction

    offer = _offer(sara, _publish(boss, occupation))
    services.answer_give(actor=sara.user, citizen=sara, offer_id=offer.pk, choice="no")
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.all_tenants.create(municipality_id=sara.municipality_id, offer=offer, choice="yes",
                                  answered_at=timezone.now())


def test_someone_elses_card_and_a_closed_invitation_cannot_be_answered(boss, occupation, sara, municipality):
    invitation = _publish(boss, occupation)
    offer = _offer(sara, invitation)
    other = seeker(municipality, occupation, first_name="Per")
    with pytest.raises(NotFound):
        services.answer_give(actor=other.user, citizen=other, offer_id=offer.pk, choice="yes")
    services.invitation_close(actor=boss[0], membership=boss[1], invitation=invitation)
    with pytest.raises(ValidationFailed) as refused:
        services.answer_give(actor=sara.user, citizen=sara, offer_id=offer.pk, choice="yes")
    assert refused.value.messages == {"__all__": ["Invitationen er lukket. Den kan ikke længere besvares."]}
    assert Answer.all_tenants.count() == 0


def test_staff_answer_on_the_citizens_behalf_only_with_a_reason_and_it_is_logged(boss, occupation, sara, world):
    from jobunivers.tenancy.roles import Role

    offer = _offer(sara, _publish(boss, occupation))
    adviser = world.users[Role.JOB_ADVISER]
    with pytest.raises(ValidationFailed) as refused:
        services.answer_give(actor=adviser, citizen=sara, offer_id=offer.pk, choice="yes", reason="kort")
    assert refused.value.messages == {"reason": [
        "Skriv, hvorfor du svarer på borgerens vegne (mindst 10 tegn)."]}
    with pytest.raises(NotFound):  # staff of another municipality
        services.answer_give(actor=world.other_users[Role.JOB_ADVISER], citizen=sara, offer_id=offer.pk,
                             choice="yes", reason="Borgeren ringede og bad om det.")
    answer = services.answer_give(actor=adviser, citizen=sara, offer_id=offer.pk, choice="yes",
                                  reason="Borgeren ringede og bad om det.")
    assert (answer.on_behalf, answer.answered_by_id, answer.on_behalf_reason) == (
        True, adviser.pk, "Borgeren ringede og bad om det.")
    entry = AccessLogEntry.all_tenants.get(actor_user_id=adviser.pk)
    assert (entry.citizen_id, entry.action, entry.what, entry.role) == (sara.pk, "change", "coffee.answer",
                                                                         Role.JOB_ADVISER)


def _said_yes(boss, occupation, sara, **changes):
    invitation = _publish(boss, occupation, **changes)
    offer = _offer(sara, invitation)
    services.answer_give(actor=sara.user, citizen=sara, offer_id=offer.pk, choice="yes")
    return invitation, offer


def test_accepting_books_a_free_time_and_tells_both(boss, occupation, sara, django_capture_on_commit_callbacks):
    user, membership = boss
    invitation, offer = _said_yes(boss, occupation, sara)
    slot = selectors.free_times(invitation=invitation)[0]
    with django_capture_on_commit_callbacks(execute=True):
        services.offer_accept(actor=user, membership=membership, offer_id=offer.pk, slot=slot.isoformat())
    offer.refresh_from_db()
    assert offer.meeting_at == slot and offer.accepted_at is not None
    assert slot not in selectors.free_times(invitation=invitation)
    notice = Notification.all_tenants.get(recipient=sara.user, subject_key=f"coffee:{offer.pk}:booked")
    assert notice.title == "Kaffemødet med Byggesen Tømrer ApS er booket"
    assert [m.to for m in mail.outbox] == [["bente@example.dk"]]
    assert mail.outbox[0].subject == "Et kaffemøde er booket"
    assert _events(invitation) == ["accepted", "shown", "yes"]


def test_a_taken_time_another_employer_and_a_full_invitation_are_refused(boss, occupation, sara, municipality):
    user, membership = boss
    invitation, offer = _said_yes(boss, occupation, sara, meetings=1)
    per = seeker(municipality, occupation, first_name="Per")
    services.visibility_set(actor=per.user, citizen=per, is_open=True, job_kinds=["7"], fields=["name"])
    per_offer = _offer(per, invitation)
    services.answer_give(actor=per.user, citizen=per, offer_id=per_offer.pk, choice="yes")
    slot = selectors.free_times(invitation=invitation)[0]
    other_user, other_membership = employer("Konkurrenten ApS")
    with pytest.raises(NotFound):
        services.offer_accept(actor=other_user, membership=other_membership, offer_id=offer.pk, slot=slot.isoformat())
    with pytest.raises(ValidationFailed) as bad_time:
        services.offer_accept(actor=user, membership=membership, offer_id=offer.pk, slot="2020-01-01T09:00:00+01:00")
    assert bad_time.value.messages == {"slot": ["Vælg et af de ledige tidspunkter."]}
    services.offer_accept(actor=user, membership=membership, offer_id=offer.pk, slot=slot.isoformat())
    with pytest.raises(ValidationFailed) as full:
        services.offer_accept(actor=user, membership=membership, offer_id=per_offer.pk,
                              slot=selectors.free_times(invitation=invitation)[0].isoformat())
    assert full.value.messages == {"__all__": ["Alle 1 møder er booket."]}
    with pytest.raises(ConflictError):
        services.offer_accept(actor=user, membership=membership, offer_id=offer.pk, slot=slot.isoformat())
    assert Offer.all_tenants.filter(accepted_at__isnull=False).count() == 1


def test_a_candidate_who_said_no_cannot_be_accepted(boss, occupation, sara):
    user, membership = boss
    invitation = _publish(boss, occupation)
    offer = _offer(sara, invitation)
    services.answer_give(actor=sara.user, citizen=sara, offer_id=offer.pk, choice="no")
    with pytest.raises(NotFound):
        services.offer_accept(actor=user, membership=membership, offer_id=offer.pk,
                              slot=selectors.free_times(invitation=invitation)[0].isoformat())


def test_attendance_outcome_and_the_funnel(boss, occupation, sara, municipality, other_municipality, world):
    from jobunivers.tenancy.roles import Role

    user, membership = boss
    invitation, offer = _said_yes(boss, occupation, sara)
    services.offer_accept(actor=user, membership=membership, offer_id=offer.pk,
                          slot=selectors.free_times(invitation=invitation)[0].isoformat())
    with pytest.raises(ValidationFailed) as early:
        services.attendance_by_citizen(actor=sara.user, citizen=sara, offer_id=offer.pk, value="met")
    assert early.value.messages == {"__all__": ["Du kan registrere, om I mødtes, når mødet er begyndt."]}
    with pytest.raises(ValidationFailed) as too_soon:
        services.outcome_record(actor=user, membership=membership, offer_id=offer.pk, outcome="job")
    assert too_soon.value.messages == {"__all__": ["Registrér først, at I har mødtes."]}
    Offer.all_tenants.filter(pk=offer.pk).update(meeting_at=timezone.now() - datetime.timedelta(hours=1))
    services.attendance_by_citizen(actor=sara.user, citizen=sara, offer_id=offer.pk, value="met")
    services.attendance_by_employer(actor=user, membership=membership, offer_id=offer.pk, value="met")
    with pytest.raises(ConflictError):
        services.attendance_by_employer(actor=user, membership=membership, offer_id=offer.pk, value="no_show")
    services.outcome_record(actor=user, membership=membership, offer_id=offer.pk, outcome="job")
    funnel = selectors.invitation_funnel(invitation=invitation)
    assert (funnel.shown, funnel.yes, funnel.no, funnel.accepted, funnel.met, funnel.no_show, funnel.interview,
            funnel.job) == (1, 1, 0, 1, 1, 0, 1, 1)
    here = selectors.municipality_funnel(actor=world.users[Role.JOB_ADVISER], municipality_id=municipality.pk)
    assert here.total == funnel and [i.pk for i, _ in here.invitations] == [invitation.pk]
    there = selectors.municipality_funnel(actor=world.other_users[Role.JOB_ADVISER],
                                          municipality_id=other_municipality.pk)
    assert there.total.shown == 0 and there.invitations == []
    with pytest.raises(NotFound):
        selectors.municipality_funnel(actor=world.other_users[Role.JOB_ADVISER], municipality_id=municipality.pk)


def test_the_employer_sees_consenting_candidates_only_and_every_look_is_logged(boss, occupation, sara, municipality):
    from jobunivers.audit.presentation import lookup_sentences

    user, membership = boss
    invitation, offer = _said_yes(boss, occupation, sara)
    silent = seeker(municipality, occupation, first_name="Nej")
    services.visibility_set(actor=silent.user, citizen=silent, is_open=True, job_kinds=["7"], fields=["name"])
    services.answer_give(actor=silent.user, citizen=silent, offer_id=_offer(silent, invitation).pk, choice="no")
    candidates = selectors.invitation_candidates(actor=user, invitation=invitation)
    assert [(c.offer_id, c.display_name) for c in candidates] == [(offer.pk, "Sara Jensen")]
    assert [name for name, _label, _value in candidates[0].fields] == ["name", "occupations", "skills"]
    entries = list(AccessLogEntry.all_tenants.filter(actor_user_id=user.pk))
    assert [(e.municipality_id, e.citizen_id, e.actor_kind, e.role, e.what) for e in entries] == [
        (municipality.pk, sara.pk, "employer", "employer", "coffee.candidate (Byggesen Tømrer ApS)")]
    sentence = lookup_sentences(entries)[0]["sentence"]
    assert sentence.startswith("Virksomhed Bente Byggesen så det, du valgte at dele, da du sagde ja til et kaffemøde")
