"""The citizen and their own space. The citizen journey issue extends this app."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jobunivers.core.models import TenantOwnedModel


class Citizen(TenantOwnedModel):
    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other or not stated")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="citizen", verbose_name=_("user")
    )
    postcode = models.ForeignKey(
        "taxonomy.Postcode", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("home postcode"),
    )
    birth_year = models.PositiveIntegerField(_("year of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, default=Gender.OTHER)
    registered_on = models.DateField(_("registered as unemployed on"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("citizen")
        verbose_name_plural = _("citizens")
        indexes = [models.Index(fields=["municipality", "registered_on"])]

    def __str__(self) -> str:
        return str(self.user)
