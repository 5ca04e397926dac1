from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupConfig(AppConfig):
    """Operator commands: backup, restore and the separate key file (docs/operations.md, ADR 0082)."""

    name = "jobunivers.backup"
    label = "backup"
    verbose_name = _("Backup and restore")
