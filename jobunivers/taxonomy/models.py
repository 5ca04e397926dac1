"""Reference data shared by all municipalities (not tenant-owned)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Postcode(models.Model):
    code = models.CharField(_("postcode"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    municipality_code = models.CharField(_("municipality code"), max_length=4, db_index=True)

    class Meta:
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
