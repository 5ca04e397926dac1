from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkerConfig(AppConfig):
    name = "jobunivers.caseworker"
    label = "caseworker"
    verbose_name = _("Staff workspace")
