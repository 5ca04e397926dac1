from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "jobunivers.tenancy"
    label = "tenancy"
    verbose_name = _("Municipalities")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import signals  # noqa: F401  (theme and settings on municipality creation)
        from .permissions import forget_roles

        # A membership changed during a request: its remembered roles are read again (permissions.roles_of).
        post_save.connect(forget_roles, sender="tenancy.Membership", dispatch_uid="tenancy-forget-roles-save")
        post_delete.connect(forget_roles, sender="tenancy.Membership", dispatch_uid="tenancy-forget-roles-delete")
