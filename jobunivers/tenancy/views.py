from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jobunivers.tenancy.decorators import municipal_view, national_view

from .forms import MunicipalitySettingsForm, ThemeForm
from .models import Municipality
from .roles import Role
from .selectors import settings_for, theme_for
from .services import settings_update, theme_update


@municipal_view(Role.MUNICIPALITY_ADMIN)
def admin_home(request):
    municipality = request.municipality
    theme = theme_for(municipality)
    municipal_settings = settings_for(municipality)
    theme_form = ThemeForm(instance=theme, prefix="theme")
    settings_form = MunicipalitySettingsForm(instance=municipal_settings, prefix="settings")
    if request.method == "POST":
        theme_form = ThemeForm(request.POST, instance=theme, prefix="theme")
        settings_form = MunicipalitySettingsForm(request.POST, instance=municipal_settings, prefix="settings")
        if theme_form.is_valid() and settings_form.is_valid():
            with transaction.atomic():
                theme_update(actor=request.user, theme=theme, data=theme_form.cleaned_data)
                settings_update(actor=request.user, settings=municipal_settings, data=settings_form.cleaned_data)
            messages.success(request, _("The settings were saved."))
            return redirect("tenancy:admin_home")
        messages.error(request, _("Please correct the errors below."))
    return render(request, "tenancy/admin_home.html", {"theme_form": theme_form, "settings_form": settings_form})


@national_view(Role.PLATFORM_OPERATOR)
def platform_home(request):
    return render(request, "tenancy/platform_home.html", {
        "municipalities": Municipality.objects.filter(is_active=True).order_by("name"),
        "municipality_count": Municipality.objects.count(),
        "heartbeat": cache.get("jobunivers:heartbeat"),
    })
