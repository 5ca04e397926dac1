"""A new municipality gets its theme and its settings (with the defaults) when it is created, so
reads (`selectors.settings_for`, `selectors.theme_for`) never have to write."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Municipality, MunicipalitySettings, Theme


@receiver(post_save, sender=Municipality, dispatch_uid="tenancy.municipality_created")
def municipality_created(sender, instance: Municipality, created: bool, raw: bool = False, **kwargs) -> None:
    if not created or raw:  # raw: loaddata brings its own rows
        return
    Theme.objects.get_or_create(municipality=instance, defaults={"display_name": f"Jobcenter {instance.name}"})
    MunicipalitySettings.objects.get_or_create(municipality=instance)
