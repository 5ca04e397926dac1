from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaxonomyConfig(AppConfig):
    name = "jobunivers.taxonomy"
    label = "taxonomy"
    verbose_name = _("Taxonomy and geography")

    def ready(self) -> None:
        from django.core import signals

        from . import selectors

        # A reading request checks the taxonomy's freshness once (selectors._freshness).
        signals.request_started.connect(selectors.request_started, dispatch_uid="taxonomy_request_started")
        signals.request_finished.connect(selectors.request_finished, dispatch_uid="taxonomy_request_finished")
