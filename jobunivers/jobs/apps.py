from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jobunivers.jobs"
    label = "jobs"
    verbose_name = _("Jobs")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from jobunivers.core import warmup

        from . import catalogue
        from .selectors import warm_search
        from .sources import load_contrib

        load_contrib()
        warmup.register("jobs search", warm_search)
        # The search catalogue reads its version token at most once a second; a write in this process
        # makes the next request read it (catalogue.written).
        post_save.connect(catalogue.written, sender="jobs.JobPosting", dispatch_uid="jobs-catalogue-save")
        post_delete.connect(catalogue.written, sender="jobs.JobPosting", dispatch_uid="jobs-catalogue-delete")
