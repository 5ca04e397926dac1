from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "jobunivers.agreements"
    label = "agreements"
    verbose_name = _("Agreements and statements")

    def ready(self):
        # The marketplace lets a municipality enable a vendor's offer only while an agreement covers it;
        # it sits below this app, so it asks through the hook it offers (marketplace.contracts).
        # It also refuses a vendor's late report of use for a month whose statement the vendor accepted.
        from jobunivers.marketplace.contracts import register_agreement_check, register_settled_check

        from .contracts import has_agreement, statement_settled

        register_agreement_check(has_agreement)
        register_settled_check(statement_settled)
