from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmployersConfig(AppConfig):
    name = "jobunivers.employers"
    label = "employers"
    verbose_name = _("Employers")

    def ready(self):
        from jobunivers.core import warmup

        from .home import register
        from .selectors import warm_histories

        register()
        warmup.register("employers history", warm_histories)
