"""The municipality administrator's content: welcome text, intro package, plan templates."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jobunivers.core.errors import ConflictError, NotFound, ValidationFailed
from jobunivers.tenancy.decorators import municipal_view
from jobunivers.tenancy.roles import Role

from .. import forms, selectors, services
from ..models import IntroPackageItem, PlanTemplate
from ._common import _conflict_text, _require_role

# --- The administrator's content --------------------------------------------------------------


@municipal_view(Role.MUNICIPALITY_ADMIN)
def admin_welcome(request):
    record = selectors.welcome_content_record(municipality_id=request.municipality_id)
    initial = {f: getattr(record, f) for f in services.WELCOME_FIELDS} if record else {}
    initial["version"] = record.version if record else 0
    form = forms.WelcomeContentForm(initial=initial)
    status = 200
    if request.method == "POST":
        form = forms.WelcomeContentForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.welcome_content_update(actor=request.user, municipality_id=request.municipality_id,
                                                data=data, expected_version=version or 0)
            except ConflictError:
                messages.error(request, _conflict_text())
                return redirect("citizens:admin_welcome")
            except ValidationFailed as error:
                forms.apply_errors(form, error)
            else:
                messages.success(request, _("The welcome texts were saved."))
                return redirect("citizens:admin_welcome")
        messages.error(request, _("Please correct the errors below."))
        status = 400
    return render(request, "citizens/admin_welcome.html", {
        "form": form, "intro_items": selectors.intro_package_items(municipality_id=request.municipality_id),
        "templates": selectors.plan_templates(active_only=False),
        "intro_form": forms.IntroPackageItemForm(prefix="intro"),
        "template_form": forms.PlanTemplateForm(prefix="template"),
    }, status=status)


def _admin_object_form(request, *, model, form_class, prefix, object_id, save, instance_kwarg, success,
                       template_name):
    instance = None
    if object_id is not None:
        instance = model.objects.filter(pk=object_id).first()
        if instance is None:
            raise NotFound
    _require_role(request, Role.MUNICIPALITY_ADMIN)
    form = form_class(instance=instance, prefix=prefix)
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, instance=instance, prefix=prefix)
        if form.is_valid():
            try:
                save(actor=request.user, municipality_id=request.municipality_id, data=form.cleaned_data,
                     **{instance_kwarg: instance})
            except ValidationFailed as error:
                forms.apply_errors(form, error)
            else:
                messages.success(request, success)
                return redirect("citizens:admin_welcome")
        messages.error(request, _("Please correct the errors below."))
        status = 400
    return render(request, template_name, {"form": form, "instance": instance}, status=status)


@municipal_view()
def admin_intro_item(request, item_id: int | None = None):
    return _admin_object_form(request, model=IntroPackageItem, form_class=forms.IntroPackageItemForm, prefix="intro",
                              object_id=item_id, save=services.intro_package_item_save, instance_kwarg="item",
                              success=_("The intro package was saved."), template_name="citizens/admin_intro_item.html")


@municipal_view()
def admin_plan_template(request, template_id: int | None = None):
    return _admin_object_form(request, model=PlanTemplate, form_class=forms.PlanTemplateForm, prefix="template",
                              object_id=template_id, save=services.plan_template_save, instance_kwarg="template",
                              success=_("The plan template was saved."),
                              template_name="citizens/admin_plan_template.html")

