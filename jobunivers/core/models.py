"""Base models for the shared kernel."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .context import require_municipality_id


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class TenantQuerySet(models.QuerySet):
    pass


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):  # type: ignore[misc]
    """Default manager of tenant-owned models: scoped to the current municipality.

    Refuses to query without a tenant in context, so a forgotten filter fails
    loudly instead of leaking another municipality's data.
    """

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(municipality_id=require_municipality_id())


class TenantOwnedModel(TimeStampedModel):
    municipality = models.ForeignKey(
        "tenancy.Municipality", on_delete=models.PROTECT, verbose_name=_("municipality"), related_name="+"
    )

    objects = TenantManager()
    # Unscoped: admin, migrations, national statistics, cross-tenant tests. Name it on purpose.
    all_tenants = models.Manager()

    class Meta:
        abstract = True
        base_manager_name = "all_tenants"


class DemoDataLoad(models.Model):
    """One row per demo-data contributor that has run, so `manage.py demo` is idempotent."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("demo data load")
        verbose_name_plural = _("demo data loads")

    def __str__(self) -> str:
        return self.name
