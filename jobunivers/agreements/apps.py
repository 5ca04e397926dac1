from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "jobunivers.agreements"
    label = "agreements"
    verbose_name = _("Agreements and statements")

    def ready(self):
        # The marketplace lets a municipality enable a vendor's offer only while an agreement covers it;
        # it sits below this app, so it asks through the hook it offers (marketplace.contracts).
        from jobunivers.marketplace.contracts import register_agreement_check

        from .contracts import has_agreement

        register_agreement_check(has_agreement)
