"""Who may do what with a plan item: role × item type × action (citizens.permissions, ADR 0064).

Each cell is checked three ways: the permission function, the service or selector that views, API
and tasks call (a refusal writes nothing), and — for the citizen's attempts on what the job centre
set — the citizen's own page.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from jobunivers.audit.models import AccessLogEntry
from jobunivers.citizens import permissions, selectors, services
from jobunivers.citizens.models import (
    PlanItem,
    PlanItemComment,
    PlanItemStatus,
    PlanItemType,
    PlanItemVersion,
)
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core.context import tenant_context
from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.core.testing import client_for, murl
from jobunivers.tenancy.roles import Role

ROLES = ["citizen", Role.JOB_ADVISER, Role.PERSONAL_CONSULTANT, Role.JOB_JOURNEY_ASSISTANT,
         Role.MUNICIPALITY_ADMIN, "other_municipality_adviser"]
ITEM_TYPES = ["own_activity", "job_application", "search_agreement", "summons", "agreed_item"]
ACTIONS = ["view", "edit", "rename", "cancel", "mark_done", "comment"]
SET_BY_JOB_CENTRE = {"search_agreement", "summons", "agreed_item"}
CHANGES = {"edit", "rename", "cancel", "mark_done"}


def expected(role: str, item_type: str, action: str) -> bool:
    if role in (Role.JOB_ADVISER, Role.PERSONAL_CONSULTANT):
        return True
    if role == "citizen":
        return action in ("view", "comment") or item_type not in SET_BY_JOB_CENTRE
    if role == Role.JOB_JOURNEY_ASSISTANT:
        return action in ("view", "comment")
    return False  # the administrator manages content, not cases; another municipality sees nothing


def _make_item(kind: str, citizen, adviser) -> PlanItem:
    today = timezone.localdate()
    if kind == "own_activity":
        return services.plan_item_create(actor=citizen.user, citizen=citizen, item_type=PlanItemType.OWN_ACTIVITY,
                                         title="Ring til tre virksomheder", created_by_kind="citizen")
    if kind == "job_application":
        return services.plan_item_create(actor=citizen.user, citizen=citizen, item_type=PlanItemType.JOB_APPLICATION,
                                         title="Søg lagerjob hos Arla", created_by_kind="citizen")
    if kind == "search_agreement":
        return services.plan_item_create(actor=adviser, citizen=citizen, item_type=PlanItemType.SEARCH_AGREEMENT,
                                         title="Søg 2 job om ugen", weekly_target=2, agreed_with_job_centre=True,
                                         created_by_kind="staff")
    if kind == "summons":
        from jobunivers.caseworker.services import conversation_summon

        starts_at = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=3),
                                                                  datetime.time(10, 0)))
        with tenant_context(citizen.municipality_id):  # the caseworker's summons runs in its municipality
            conversation = conversation_summon(actor=adviser, citizen=citizen, starts_at=starts_at,
                                               mode="in_person", agenda="Opfølgning",
                                               place="Jobcentret, Værkmestergade 15")
        return PlanItem.all_tenants.select_related("citizen").get(pk=conversation.plan_item_id)
    assert kind == "agreed_item"
    return services.plan_item_create(actor=adviser, citizen=citizen, item_type=PlanItemType.COURSE,
                                     title="Truckcertifikat", agreed_with_job_centre=True, created_by_kind="staff",
                                     starts_on=today)


def _actor(role, member, municipality, other_municipality, citizen):
    if role == "citizen":
        return citizen.user
    if role == "other_municipality_adviser":
        return member(Role.JOB_ADVISER, other_municipality)
    return member(role, municipality)


PERMISSION = {
    "view": permissions.can_view_plan_item,
    "edit": permissions.can_edit_plan_item,
    "rename": permissions.can_rename_plan_item,
    "cancel": permissions.can_cancel_plan_item,
    "mark_done": permissions.can_mark_done_plan_item,
    "comment": permissions.can_comment_plan_item,
}
UPDATE = {
    "edit": {"description": "Ny beskrivelse"},
    "rename": {"title": "Nyt navn"},
    "cancel": {"status": PlanItemStatus.CANCELLED},
    "mark_done": {"status": PlanItemStatus.DONE},
}


def _attempt(action: str, actor, item: PlanItem) -> None:
    if action == "view":
        selectors.access_plan_item(actor=actor, id=item.pk, purpose="help")
    elif action == "comment":
        services.plan_item_comment_add(actor=actor, plan_item=item, text="Jeg kan ikke den dag")
    else:
        services.plan_item_update(actor=actor, plan_item=item, expected_version=item.version, **UPDATE[action])


@pytest.mark.parametrize("item_type", ITEM_TYPES)
@pytest.mark.parametrize("role", ROLES)
def test_role_item_type_action_table(role, item_type, member, municipality, other_municipality):
    citizen = CitizenFactory(municipality=municipality)
    adviser = member(Role.JOB_ADVISER, municipality)
    actor = _actor(role, member, municipality, other_municipality, citizen)
    for action in ACTIONS:
        # given a fresh item of this type in the citizen's plan
        item = _make_item(item_type, citizen, adviser)
        allowed = expected(role, item_type, action)
        versions = PlanItemVersion.all_tenants.filter(plan_item=item).count()
        comments = PlanItemComment.all_tenants.filter(plan_item=item).count()
        # then the permission function says what the table says
        assert PERMISSION[action](actor, item) is allowed, (role, item_type, action)
        # and the service (or selector) does it, or refuses and writes nothing
        with tenant_context(municipality):
            if allowed:
                _attempt(action, actor, item)
            else:
                with pytest.raises((ValidationFailed, NotFound)):
                    _attempt(action, actor, item)
        item_now = PlanItem.all_tenants.get(pk=item.pk)
        if action in CHANGES:
            assert PlanItemVersion.all_tenants.filter(plan_item=item).count() == versions + int(allowed), action
            assert item_now.version == item.version + int(allowed), action
        if action == "comment":
            assert PlanItemComment.all_tenants.filter(plan_item=item).count() == comments + int(allowed)
        if not allowed:
            assert (item_now.title, item_now.status, item_now.description) == (
                item.title, item.status, item.description), (role, item_type, action)


def test_staff_reads_and_changes_are_access_logged_in_the_same_transaction(member, municipality):
    # given an agreed item and a personal job consultant
    citizen = CitizenFactory(municipality=municipality)
    adviser = member(Role.JOB_ADVISER, municipality)
    consultant = member(Role.PERSONAL_CONSULTANT, municipality)
    item = _make_item("agreed_item", citizen, adviser)
    before = AccessLogEntry.all_tenants.filter(actor_user_id=consultant.pk).count()
    # when the consultant reads the item, comments on it and marks it done
    with tenant_context(municipality):
        read = selectors.access_plan_item(actor=consultant, id=item.pk, purpose="availability")
        services.plan_item_comment_add(actor=consultant, plan_item=read, text="Godt gået")
        services.plan_item_update(actor=consultant, plan_item=read, expected_version=read.version,
                                  status=PlanItemStatus.DONE, purpose="availability")
    # then each left exactly one entry, with the consultant's role and the purpose given
    entries = list(AccessLogEntry.all_tenants.filter(actor_user_id=consultant.pk).order_by("sequence")
                   .values_list("action", "what", "purpose", "role", "citizen_id"))[before:]
    assert entries == [
        ("read", "citizens.plan_item", "availability", "personal_consultant", citizen.pk),
        ("change", "citizens.plan_item_comment", "help", "personal_consultant", citizen.pk),
        ("change", "citizens.plan_item", "availability", "personal_consultant", citizen.pk),
    ]


def test_the_citizen_reading_their_own_item_is_not_logged(member, municipality):
    citizen = CitizenFactory(municipality=municipality)
    item = _make_item("own_activity", citizen, member(Role.JOB_ADVISER, municipality))
    with tenant_context(municipality):
        assert selectors.access_plan_item(actor=citizen.user, id=item.pk, purpose="help") == item
    assert AccessLogEntry.all_tenants.filter(actor_user_id=citizen.user_id).count() == 0


@pytest.mark.parametrize("item_type", ["summons", "agreed_item", "search_agreement"])
@pytest.mark.parametrize("attempt,message", [
    ({"title": "Ikke det møde"}, "Jobcenteret har sat denne aktivitet. Du kan ikke omdøbe den"),
    ({"status": "cancelled"}, "Jobcenteret har sat denne aktivitet. Du kan ikke aflyse den"),
    ({"status": "done"}, "Jobcenteret har sat denne aktivitet. Det er jobcenteret, der registrerer"),
    ({"description": "Andet indhold"}, "Jobcenteret har sat denne aktivitet. Du kan ikke ændre den"),
])
def test_the_citizens_page_refuses_changes_to_what_the_job_centre_set(item_type, attempt, message, member,
                                                                    municipality):
    # given something the job centre set in the citizen's plan
    citizen = CitizenFactory(municipality=municipality)
    item = _make_item(item_type, citizen, member(Role.JOB_ADVISER, municipality))
    # when the citizen posts a change to it from their own page
    response = client_for(citizen.user).post(murl(municipality, "citizens:plan_item", plan_item_id=item.pk),
                                             attempt, follow=False)
    # then it is refused with a Danish message, and nothing was written
    assert response.status_code == 403
    assert message in response.content.decode()
    item_now = PlanItem.all_tenants.get(pk=item.pk)
    assert (item_now.version, item_now.title, item_now.status) == (item.version, item.title, item.status)
    assert PlanItemVersion.all_tenants.filter(plan_item=item).count() == 1


def test_the_citizen_answers_a_summons_with_a_comment_from_their_page(member, municipality):
    # given a summons in the citizen's plan
    citizen = CitizenFactory(municipality=municipality)
    item = _make_item("summons", citizen, member(Role.JOB_ADVISER, municipality))
    url = murl(municipality, "citizens:plan_item", plan_item_id=item.pk)
    page = client_for(citizen.user).get(url).content.decode()
    assert 'name="title"' not in page  # no edit form for what the job centre set
    # when they comment
    response = client_for(citizen.user).post(url, {"comment-text": "Jeg kommer, men bliver 10 min forsinket"})
    # then the comment is stored and the item is unchanged
    assert response.status_code == 302
    assert list(PlanItemComment.all_tenants.values_list("author_kind", "text")) == [
        ("citizen", "Jeg kommer, men bliver 10 min forsinket")]
    assert PlanItem.all_tenants.get(pk=item.pk).version == 1


def test_an_empty_comment_is_refused_and_nothing_is_written(member, municipality):
    citizen = CitizenFactory(municipality=municipality)
    item = _make_item("agreed_item", citizen, member(Role.JOB_ADVISER, municipality))
    url = murl(municipality, "citizens:plan_item", plan_item_id=item.pk)
    response = client_for(citizen.user).post(url, {"comment-text": "   "})
    assert response.status_code == 400
    assert PlanItemComment.all_tenants.count() == 0
