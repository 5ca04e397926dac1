from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "jobunivers.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Identity providers register themselves from accounts/contrib/<idp>/provider.py.
        from .contrib.demo import provider  # noqa: F401
        from .contrib.local import provider as local_provider  # noqa: F401
        from .contrib.nemlogin import provider as nemlogin_provider  # noqa: F401
        from .contrib.oidc import provider as oidc_provider  # noqa: F401
        from .contrib.staffsso import provider as staffsso_provider  # noqa: F401

        autodiscover_modules("identity_providers")
        # The Django admin only for platform operators with a verified second factor (django-otp's
        # documented way to swap the default site's class, so every ModelAdmin stays registered).
        from django.contrib import admin
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401  (deployment checks)
        from .admin_site import OperatorAdminSite

        admin.site.__class__ = OperatorAdminSite

        user_logged_in.connect(remember_login_time, dispatch_uid="jobunivers.accounts.login_time")


def remember_login_time(sender, request, user, **kwargs):
    # Sensitive actions (export, erasure) ask for a login within the last minutes; see audit.views.
    import time

    if request is not None and hasattr(request, "session"):
        request.session["jobunivers_auth_at"] = time.time()
