from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jobunivers.jobs"
    label = "jobs"
    verbose_name = _("Jobs")

    def ready(self):
        from .sources import load_contrib

        load_contrib()
