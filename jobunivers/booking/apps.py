from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingConfig(AppConfig):
    name = "jobunivers.booking"
    label = "booking"
    verbose_name = _("Booking")

    def ready(self):
        from .video import load_contrib

        load_contrib()
