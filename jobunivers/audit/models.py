"""Models of the audit app: the access log (append-only, hash-chained per municipality),
the chain head that serialises writers, the citizen's consents and objection to profiling,
and the citizen's data-rights requests (export, erasure)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jobunivers.core.models import TenantManager


class Action(models.TextChoices):
    READ = "read", pgettext_lazy("access log action", "Read")
    SEARCH = "search", pgettext_lazy("access log action", "Search")
    CHANGE = "change", pgettext_lazy("access log action", "Change")
    EXPORT = "export", pgettext_lazy("access log action", "Export")
    DELETE = "delete", pgettext_lazy("access log action", "Deletion")


class Purpose(models.TextChoices):
    HELP = "help", _("Help with your job journey")
    AVAILABILITY = "availability", _("Checking your availability for work")
    # Written by the platform itself, never by a caller of access_log_record.
    RETENTION = "retention", _("Deleting old log entries after the retention period")


class AppendOnlyQuerySet(models.QuerySet):
    """The access log is append-only: bulk updates and deletes are refused.

    Old entries leave only through `audit.services.access_log_purge`, which
    records the purge in the chain head and as a new entry.
    """

    def update(self, **kwargs):  # noqa: ARG002
        raise PermissionError("The access log is append-only.")

    def delete(self):
        raise PermissionError("The access log is append-only; old entries are purged by retention only.")


class AccessLogManager(TenantManager.from_queryset(AppendOnlyQuerySet)):  # type: ignore[misc]
    pass


class AllTenantsAccessLogManager(models.Manager.from_queryset(AppendOnlyQuerySet)):  # type: ignore[misc]
    pass


class AccessLogEntry(models.Model):
    """One use of a citizen's personal data by staff or an API client.

    No foreign keys to users or citizens: the log must outlive an erased
    account unchanged (the hash chain would break otherwise), and it must
    never hold a CPR number (texts are redacted before they are stored).
    """

    municipality = models.ForeignKey(
        "tenancy.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    sequence = models.PositiveBigIntegerField(_("number in the municipality's chain"))
    created_at = models.DateTimeField(_("when"), db_index=True)
    actor_user_id = models.BigIntegerField(_("staff member (user id)"), null=True, blank=True)
    actor_kind = models.CharField(_("kind of actor"), max_length=20, default="staff")
    role = models.CharField(_("role"), max_length=40, blank=True)
    citizen_id = models.BigIntegerField(_("citizen (id)"), null=True, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    what = models.CharField(_("what"), max_length=300)
    criterion = models.CharField(_("search criterion"), max_length=500, blank=True)
    previous_hash = models.CharField(_("previous entry's hash"), max_length=64)
    entry_hash = models.CharField(_("this entry's hash"), max_length=64)

    objects = AccessLogManager()
    all_tenants = AllTenantsAccessLogManager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log entries")
        base_manager_name = "all_tenants"
        ordering = ["municipality_id", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "sequence"], name="access_log_unique_sequence"),
        ]
        indexes = [models.Index(fields=["municipality", "created_at"])]

    def __str__(self) -> str:
        return f"{self.municipality_id}#{self.sequence} {self.action} {self.what}"


class AccessLogChainHead(models.Model):
    """The last entry of a municipality's chain; locked while appending, so writers queue."""

    municipality = models.OneToOneField(
        "tenancy.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    last_sequence = models.PositiveBigIntegerField(_("last number"), default=0)
    last_hash = models.CharField(_("last hash"), max_length=64, default="0" * 64)
    # After a retention purge the chain starts after the purged entries; verification starts here.
    purged_through_sequence = models.PositiveBigIntegerField(_("purged up to number"), default=0)
    purged_through_hash = models.CharField(_("hash of the last purged entry"), max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("access log chain")
        verbose_name_plural = _("access log chains")

    def __str__(self) -> str:
        return f"{self.municipality_id}: {self.last_sequence}"


class ConsentPurpose(models.TextChoices):
    PERSONALISATION = "personalisation", _("Personalisation from how I use the platform")
    PEOPLE_LIKE_YOU = "people_like_you", _("Show what worked for people with a profile like mine")


class Consent(models.Model):
    """A citizen's consent for one purpose. No row means no consent (off until turned on)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents", verbose_name=_("user")
    )
    purpose = models.CharField(_("purpose"), max_length=40, choices=ConsentPurpose.choices)
    given = models.BooleanField(_("given"), default=False)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [models.UniqueConstraint(fields=["user", "purpose"], name="consent_unique_purpose")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.purpose} {self.given}"


class ProfilingObjection(models.Model):
    """The citizen objects to profiling (GDPR art. 21): segmentation and matching stop using it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profiling_objection",
        verbose_name=_("user"),
    )
    objected = models.BooleanField(_("objects to profiling"), default=False)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("objection to profiling")
        verbose_name_plural = _("objections to profiling")

    def __str__(self) -> str:
        return f"{self.user_id} {self.objected}"


class ErasureRequest(models.Model):
    """A citizen's request to erase their data, and what came of it (kept without personal data)."""

    class Status(models.TextChoices):
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    user_id_at_request = models.BigIntegerField(_("user id"))
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    erased = models.JSONField(_("erased or anonymised"), default=list)
    kept = models.JSONField(_("kept by law"), default=list)

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")

    def __str__(self) -> str:
        return f"{self.user_id_at_request} {self.status}"
