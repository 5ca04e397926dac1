from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SegmentationConfig(AppConfig):
    name = "jobunivers.segmentation"
    label = "segmentation"
    verbose_name = _("Segmentation")
