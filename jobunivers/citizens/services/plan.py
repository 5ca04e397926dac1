"""The employment plan: items (activities, applications, agreements, summons), versions, goals."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jobunivers.audit.services import citizen_access_record
from jobunivers.core.errors import ConflictError, ValidationFailed
from jobunivers.core.events import publish_on_commit

from .. import permissions
from ..contracts import PlanItemChanged
from ..models import (
    Citizen,
    CreatedByKind,
    PlanGoal,
    PlanItem,
    PlanItemComment,
    PlanItemStatus,
    PlanItemType,
    PlanItemVersion,
    PlanTemplate,
)
from ._common import (
    PLAN_DATE_FUTURE_DAYS,
    PLAN_DATE_PAST_DAYS,
    _add,
    _full_clean,
    _kind_for,
    _refuse,
    _require_owner_or_staff,
    _today,
)

# --- Employment plan --------------------------------------------------------------


PLAN_ITEM_FIELDS = ["item_type", "status", "title", "description", "starts_on", "due_on", "link", "location",
                    "video_link", "weekly_target", "agreed_with_job_centre"]


def _validate_plan_item(values: dict[str, Any], *, creating: bool, today: datetime.date) -> None:
    errors: dict[str, list[str]] = {}
    if values.get("item_type") not in PlanItemType.values:
        _add(errors, "item_type", _("Choose one of the options."))
    if values.get("status") not in PlanItemStatus.values:
        _add(errors, "status", _("Choose one of the options."))
    if not (values.get("title") or "").strip():
        _add(errors, "title", _("This field is required."))
    earliest = today - datetime.timedelta(days=PLAN_DATE_PAST_DAYS)
    latest = today + datetime.timedelta(days=PLAN_DATE_FUTURE_DAYS)
    for field in ("starts_on", "due_on"):
        value = values.get(field)
        if value is None:
            continue
        if not isinstance(value, datetime.date):
            _add(errors, field, _("Enter a valid date."))
        elif value > latest:
            _add(errors, field, _("The date is more than two years ahead."))
        elif value < earliest:
            _add(errors, field, _("The date is more than a year ago."))
    starts_on, due_on = values.get("starts_on"), values.get("due_on")
    if isinstance(starts_on, datetime.date) and isinstance(due_on, datetime.date) and due_on < starts_on:
        _add(errors, "due_on", _("The end date cannot be before the start date."))
    if values.get("item_type") == PlanItemType.SEARCH_AGREEMENT:
        target = values.get("weekly_target")
        if not target:
            _add(errors, "weekly_target", _("A search agreement needs a number of applications per week."))
    target = values.get("weekly_target")
    if target is not None and not (isinstance(target, int) and 1 <= target <= 50):
        _add(errors, "weekly_target", _("Enter a number from %(low)s to %(high)s.") % {"low": 1, "high": 50})
    _refuse(errors)


def _snapshot(item: PlanItem) -> dict[str, Any]:
    snapshot = {}
    for field in PLAN_ITEM_FIELDS:
        value = getattr(item, field)
        snapshot[field] = value.isoformat() if isinstance(value, datetime.date) else value
    return snapshot


def plan_item_create(*, actor, citizen: Citizen, item_type: str, title: str, description: str = "",
                     starts_on: datetime.date | None = None, due_on: datetime.date | None = None, link: str = "",
                     agreed_with_job_centre: bool = False, created_by_kind: str = CreatedByKind.STAFF,
                     location: str = "", video_link: str = "", status: str = PlanItemStatus.PLANNED,
                     weekly_target: int | None = None, template: PlanTemplate | None = None,
                     posting_id: int | None = None, purpose: str = "help") -> PlanItem:
    """Add an activity to the citizen's plan and record version 1.

    created_by_kind: "citizen" (actor must be the citizen), "staff" (actor must be staff of the
    citizen's municipality) or "system" (actor may be None). Only staff may mark an item as agreed
    with the job centre.
    """
    kind = _kind_for(actor, citizen, created_by_kind)
    if agreed_with_job_centre and kind != CreatedByKind.STAFF:
        raise ValidationFailed({"agreed_with_job_centre": [_("Only the job centre can mark an agreement.")]})
    if kind == CreatedByKind.STAFF and not permissions.can_set_plan_item(actor, citizen):
        # What staff put in the plan binds the citizen: only caseworkers make agreements.
        raise ValidationFailed(_("Only the citizen's job adviser or personal job consultant can add "
                                 "agreements and summonses to the plan."))
    values = {"item_type": item_type, "status": status, "title": (title or "").strip(),
              "description": (description or "").strip(), "starts_on": starts_on, "due_on": due_on,
              "link": (link or "").strip(), "location": (location or "").strip(),
              "video_link": (video_link or "").strip(), "weekly_target": weekly_target,
              "agreed_with_job_centre": bool(agreed_with_job_centre)}
    if status == PlanItemStatus.SUGGESTED and kind == CreatedByKind.CITIZEN:
        raise ValidationFailed({"status": [_("Choose one of the options.")]})
    _validate_plan_item(values, creating=True, today=_today())
    item = PlanItem(citizen=citizen, municipality_id=citizen.municipality_id, created_by_kind=kind,
                    created_by=actor if kind != CreatedByKind.SYSTEM else None, template=template,
                    posting_id=posting_id, **values)
    _full_clean(item)
    with transaction.atomic():
        item.save()
        PlanItemVersion.all_tenants.create(
            plan_item=item, municipality_id=item.municipality_id, version=1,
            changed_by=item.created_by, changed_by_kind=kind, changes={}, snapshot=_snapshot(item),
        )
        if kind == CreatedByKind.STAFF:
            citizen_access_record(actor=actor, municipality_id=citizen.municipality_id, citizen_id=citizen.pk,
                                  action="change", purpose=purpose, what="citizens.plan_item")
        publish_on_commit(PlanItemChanged(citizen_id=citizen.pk, municipality_id=citizen.municipality_id,
                                          plan_item_id=item.pk, version=1, item_type=item.item_type,
                                          changed_by_kind=kind))
    return item


# What a change to a plan item does, each checked with its own permission function.
ACTION_EDIT, ACTION_RENAME, ACTION_CANCEL, ACTION_MARK_DONE = "edit", "rename", "cancel", "mark_done"
ACTION_PERMISSIONS = {
    ACTION_EDIT: permissions.can_edit_plan_item,
    ACTION_RENAME: permissions.can_rename_plan_item,
    ACTION_CANCEL: permissions.can_cancel_plan_item,
    ACTION_MARK_DONE: permissions.can_mark_done_plan_item,
}


def _refusal(action: str) -> str:
    texts = {
        ACTION_RENAME: _("The job centre set this activity. You cannot rename it; write a comment to the "
                         "job centre instead."),
        ACTION_CANCEL: _("The job centre set this activity. You cannot cancel it; write a comment to the "
                         "job centre if it no longer fits."),
        ACTION_MARK_DONE: _("The job centre set this activity. The job centre records whether it is done; "
                            "write a comment to tell them how it went."),
        ACTION_EDIT: _("The job centre set this activity. You cannot change it; write a comment to the "
                       "job centre instead."),
    }
    return texts[action]


def plan_item_actions(diff: dict[str, Any]) -> set[str]:
    """What a change does, in the words of the permission functions: rename, cancel, mark done, edit."""
    actions = set()
    for field, value in diff.items():
        if field == "title":
            actions.add(ACTION_RENAME)
        elif field == "status" and value == PlanItemStatus.CANCELLED:
            actions.add(ACTION_CANCEL)
        elif field == "status" and value == PlanItemStatus.DONE:
            actions.add(ACTION_MARK_DONE)
        else:
            actions.add(ACTION_EDIT)
    return actions


def plan_item_update(*, actor, plan_item: PlanItem, expected_version: int, changed_by_kind: str | None = None,
                     purpose: str = "help", **changes: Any) -> PlanItem:
    """Change fields of a plan item (any of PLAN_ITEM_FIELDS) and record a new version.

    `expected_version` is the version the editor saw. If the item was saved in between (another
    tab, or staff at the same time), ConflictError is raised and nothing is written.
    Each change is checked with the permission for what it does (`plan_item_actions`): the
    citizen cannot edit, rename, cancel or mark done what the job centre set
    (`permissions.is_set_by_job_centre`); they comment on it instead (`plan_item_comment_add`).
    """
    citizen = plan_item.citizen
    if changed_by_kind is None:
        changed_by_kind = CreatedByKind.CITIZEN if permissions.is_owner(actor, citizen) else CreatedByKind.STAFF
    kind = _kind_for(actor, citizen, changed_by_kind)
    unknown = set(changes) - set(PLAN_ITEM_FIELDS)
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    current = PlanItem.all_tenants.select_related("citizen").get(pk=plan_item.pk)
    if current.version != expected_version:
        raise ConflictError
    for key in ("title", "description", "link", "location", "video_link"):
        if key in changes:
            changes[key] = (changes[key] or "").strip()
    diff = {k: v for k, v in changes.items() if getattr(current, k) != v}
    if "agreed_with_job_centre" in diff and not permissions.can_set_plan_item(actor, citizen):
        raise ValidationFailed({"agreed_with_job_centre": [_("Only the job centre can mark an agreement.")]})
    if kind != CreatedByKind.SYSTEM:
        for action in sorted(plan_item_actions(diff)):
            if not ACTION_PERMISSIONS[action](actor, current):
                if permissions.is_owner(actor, citizen):
                    raise ValidationFailed(_refusal(action))
                raise ValidationFailed(_("You may not change this activity."))
    if diff.get("status") == PlanItemStatus.SUGGESTED and kind == CreatedByKind.CITIZEN:
        # A suggestion comes from the job centre or a service; the citizen answers it, never makes one.
        raise ValidationFailed({"status": [_("Choose one of the options.")]})
    if not diff:
        return current
    values = {field: getattr(current, field) for field in PLAN_ITEM_FIELDS}
    values.update(diff)
    _validate_plan_item(values, creating=False, today=_today())
    with transaction.atomic():
        updated = PlanItem.all_tenants.filter(pk=current.pk, version=expected_version).update(
            version=F("version") + 1, updated_at=timezone.now(), **diff
        )
        if not updated:
            raise ConflictError
        item = PlanItem.all_tenants.select_related("citizen").get(pk=current.pk)
        changes_json = {}
        for key, new in diff.items():
            old = getattr(current, key)
            changes_json[key] = [old.isoformat() if isinstance(old, datetime.date) else old,
                                 new.isoformat() if isinstance(new, datetime.date) else new]
        PlanItemVersion.all_tenants.create(
            plan_item=item, municipality_id=item.municipality_id, version=item.version,
            changed_by=actor if kind != CreatedByKind.SYSTEM else None, changed_by_kind=kind,
            changes=changes_json, snapshot=_snapshot(item),
        )
        if kind == CreatedByKind.STAFF:
            citizen_access_record(actor=actor, municipality_id=citizen.municipality_id, citizen_id=citizen.pk,
                                  action="change", purpose=purpose, what="citizens.plan_item")
        publish_on_commit(PlanItemChanged(citizen_id=citizen.pk, municipality_id=citizen.municipality_id,
                                          plan_item_id=item.pk, version=item.version, item_type=item.item_type,
                                          changed_by_kind=kind))
    return item


COMMENT_MAX_LENGTH = 2000


def plan_item_comment_add(*, actor, plan_item: PlanItem, text: str, purpose: str = "help") -> PlanItemComment:
    """The citizen answers or comments on an item (also one the job centre set); staff reply.

    The item itself does not change. Staff comments are access-logged as a change of the
    citizen's data, in the same transaction.
    """
    citizen = plan_item.citizen
    if not permissions.can_comment_plan_item(actor, plan_item):
        raise ValidationFailed(_("You may not comment on this activity."))
    text = (text or "").strip()
    if not text:
        raise ValidationFailed({"text": [_("Write your comment.")]})
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationFailed({"text": [_("Write at most 2,000 characters.")]})
    if "\x00" in text:
        raise ValidationFailed({"text": [_("The text contains characters that are not allowed.")]})
    by_citizen = permissions.is_owner(actor, citizen)
    with transaction.atomic():
        comment = PlanItemComment.all_tenants.create(
            municipality_id=plan_item.municipality_id, plan_item=plan_item, citizen=citizen, author=actor,
            author_kind=CreatedByKind.CITIZEN if by_citizen else CreatedByKind.STAFF, text=text,
        )
        if not by_citizen:
            citizen_access_record(actor=actor, municipality_id=citizen.municipality_id, citizen_id=citizen.pk,
                                  action="change", purpose=purpose, what="citizens.plan_item_comment")
    return comment


def plan_item_from_template(*, actor, citizen: Citizen, template: PlanTemplate, starts_on: datetime.date | None = None,
                            created_by_kind: str = CreatedByKind.CITIZEN) -> PlanItem:
    if template.municipality_id != citizen.municipality_id or not template.is_active:
        raise ValidationFailed(_("This template is not offered by your job centre."))
    starts_on = starts_on or _today()
    due_on = starts_on + datetime.timedelta(weeks=template.duration_weeks) if template.duration_weeks else None
    return plan_item_create(
        actor=actor, citizen=citizen, item_type=template.item_type, title=template.title,
        description=template.description, starts_on=starts_on, due_on=due_on,
        weekly_target=template.weekly_target, created_by_kind=created_by_kind, template=template,
        agreed_with_job_centre=created_by_kind == CreatedByKind.STAFF and template.item_type == PlanItemType.SEARCH_AGREEMENT,
    )


def plan_goal_add(*, actor, citizen: Citizen, text: str, target_on: datetime.date | None = None,
                  created_by_kind: str = CreatedByKind.CITIZEN) -> PlanGoal:
    kind = _kind_for(actor, citizen, created_by_kind)
    errors: dict[str, list[str]] = {}
    if not (text or "").strip():
        _add(errors, "text", _("This field is required."))
    if target_on is not None:
        today = _today()
        if target_on < today:
            _add(errors, "target_on", _("The date cannot be in the past."))
        elif target_on > today + datetime.timedelta(days=PLAN_DATE_FUTURE_DAYS):
            _add(errors, "target_on", _("The date is more than two years ahead."))
    _refuse(errors)
    goal = PlanGoal(citizen=citizen, municipality_id=citizen.municipality_id, text=text.strip(),
                    target_on=target_on, created_by_kind=kind)
    _full_clean(goal)
    goal.save()
    return goal


def plan_goal_set_achieved(*, actor, citizen: Citizen, goal_id: int, achieved: bool) -> None:
    _require_owner_or_staff(actor, citizen)
    PlanGoal.all_tenants.filter(pk=goal_id, citizen=citizen).update(is_achieved=achieved, updated_at=timezone.now())


