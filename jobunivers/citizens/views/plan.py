"""The employment plan: list, items, templates, goals, PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobunivers.core.errors import ConflictError, NotFound, ValidationFailed
from jobunivers.tenancy.decorators import municipal_view
from jobunivers.tenancy.roles import Role

from .. import forms, pdf, permissions, selectors, services
from ..models import CreatedByKind, PlanGoal, PlanItem, PlanItemStatus, PlanItemType
from ._common import _citizen, _conflict_text

# --- Plan ------------------------------------------------------------------------------------


@municipal_view(Role.CITIZEN)
def plan(request):
    citizen = _citizen(request)
    form = forms.PlanItemForm(initial={"item_type": PlanItemType.OWN_ACTIVITY})
    goal_form = forms.PlanGoalForm(prefix="goal")
    status = 200
    if request.method == "POST":
        form = forms.PlanItemForm(request.POST)
        if form.is_valid():
            try:
                services.plan_item_create(actor=request.user, citizen=citizen, created_by_kind=CreatedByKind.CITIZEN,
                                          **form.cleaned_data)
            except ValidationFailed as error:
                forms.apply_errors(form, error)
            else:
                messages.success(request, _("The activity was added to your plan."))
                return redirect("citizens:plan")
        messages.error(request, _("Please correct the errors below."))
        status = 400
    items = list(selectors.plan_items_for(citizen_id=citizen.pk))
    return render(request, "citizens/plan.html", {
        "citizen": citizen, "form": form, "goal_form": goal_form,
        "suggested_items": [i for i in items if i.status == PlanItemStatus.SUGGESTED],
        "open_items": [i for i in items if i.status in (PlanItemStatus.PLANNED, PlanItemStatus.IN_PROGRESS)],
        "closed_items": [i for i in items if i.status in (PlanItemStatus.DONE, PlanItemStatus.CANCELLED)],
        "goals": selectors.plan_goals_for(citizen_id=citizen.pk), "templates": selectors.plan_templates(),
        "today": timezone.localdate(),
    }, status=status)


@municipal_view()
def plan_item(request, plan_item_id: int):
    item = selectors.access_own_plan_item(actor=request.user, id=plan_item_id)
    # What the job centre set is the citizen's to answer, not to change (permissions module).
    editable = permissions.can_edit_plan_item(request.user, item)
    fields = list(forms.PlanItemEditForm.base_fields)
    form = forms.PlanItemEditForm(initial={f: getattr(item, f) for f in fields}) if editable else None
    comment_form = forms.PlanItemCommentForm(prefix="comment")
    status = 200
    if request.method == "POST" and "comment-text" in request.POST:
        comment_form = forms.PlanItemCommentForm(request.POST, prefix="comment")
        if comment_form.is_valid():
            try:
                services.plan_item_comment_add(actor=request.user, plan_item=item,
                                               text=comment_form.cleaned_data["text"])
            except ValidationFailed as error:
                forms.apply_errors(comment_form, error)
            else:
                messages.success(request, _("Your comment was sent to the job centre."))
                return redirect(reverse("citizens:plan_item", kwargs={"plan_item_id": item.pk}) + "#comments")
        messages.error(request, _("Please correct the errors below."))
        status = 400
    elif request.method == "POST" and not editable:
        # No edit form is shown for what the job centre set; a hand-made POST still goes to the
        # service, which refuses it with a Danish message and writes nothing.
        attempted = {field: request.POST[field] for field in ("title", "status", "description", "location")
                     if field in request.POST}
        try:
            services.plan_item_update(actor=request.user, plan_item=item, expected_version=item.version,
                                      changed_by_kind=CreatedByKind.CITIZEN, **attempted)
        except ValidationFailed as error:
            for texts in error.messages.values():
                for text in texts:
                    messages.error(request, text)
            status = 403
        else:
            return redirect("citizens:plan_item", plan_item_id=item.pk)
    elif request.method == "POST":
        form = forms.PlanItemEditForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            if item.item_type != PlanItemType.SEARCH_AGREEMENT:
                data.setdefault("weekly_target", None)
            try:
                services.plan_item_update(actor=request.user, plan_item=item, expected_version=version,
                                          changed_by_kind=CreatedByKind.CITIZEN, **data)
            except ConflictError:
                messages.error(request, _conflict_text())
                return redirect("citizens:plan_item", plan_item_id=item.pk)
            except ValidationFailed as error:
                forms.apply_errors(form, error)
            else:
                messages.success(request, _("The activity was saved."))
                return redirect("citizens:plan_item", plan_item_id=item.pk)
        messages.error(request, _("Please correct the errors below."))
        status = 400
    return render(request, "citizens/plan_item.html", {
        "item": item, "form": form, "agreed": not editable, "comment_form": comment_form,
        "comments": selectors.plan_item_comments(plan_item_id=item.pk),
        "versions": [(version, _describe_changes(version)) for version in
                     selectors.plan_item_versions(plan_item_id=item.pk)],
    }, status=status)


def _describe_changes(version) -> list[str]:
    """Readable "field: old → new" lines, with the fields' and choices' translated labels."""
    lines = []
    for name, (old, new) in (version.changes or {}).items():
        try:
            field: Any = PlanItem._meta.get_field(name)
        except Exception:  # a field removed since: show its name
            lines.append(f"{name}: {old} → {new}")
            continue
        choices = dict(field.choices or [])

        def show(value, choices=choices):
            if value in (None, ""):
                return "—"
            if isinstance(value, bool):
                return _("Yes") if value else _("No")
            return str(choices.get(value, value))

        lines.append(f"{str(field.verbose_name).capitalize()}: {show(old)} → {show(new)}")
    return lines


@municipal_view(Role.CITIZEN)
@require_POST
def plan_from_template(request):
    citizen = _citizen(request)
    template = selectors.plan_templates().filter(pk=request.POST.get("template_id") or 0).first()
    if template is None:
        messages.error(request, _("Choose one of the templates."))
        return redirect("citizens:plan")
    try:
        services.plan_item_from_template(actor=request.user, citizen=citizen, template=template)
    except ValidationFailed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The activity was added to your plan."))
    return redirect("citizens:plan")


@municipal_view(Role.CITIZEN)
@require_POST
def plan_goal_add(request):
    citizen = _citizen(request)
    form = forms.PlanGoalForm(request.POST, prefix="goal")
    if form.is_valid():
        try:
            services.plan_goal_add(actor=request.user, citizen=citizen, **form.cleaned_data)
        except ValidationFailed as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("The goal was added."))
            return redirect(reverse("citizens:plan") + "#goals")
    for field_errors in form.errors.values():
        for message in field_errors:
            messages.error(request, message)
    return redirect(reverse("citizens:plan") + "#goals")


@municipal_view()
@require_POST
def plan_goal_toggle(request, goal_id: int):
    if not PlanGoal.objects.filter(pk=goal_id).exists():
        raise NotFound
    citizen = _citizen(request)
    services.plan_goal_set_achieved(actor=request.user, citizen=citizen, goal_id=goal_id,
                                    achieved=request.POST.get("achieved") == "1")
    return redirect(reverse("citizens:plan") + "#goals")


@municipal_view(Role.CITIZEN)
def plan_pdf(request):
    citizen = _citizen(request)
    content = pdf.plan_pdf(citizen=citizen, municipality_name=request.municipality.name,
                           items=selectors.plan_items_for(citizen_id=citizen.pk),
                           goals=selectors.plan_goals_for(citizen_id=citizen.pk))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="min-plan.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


