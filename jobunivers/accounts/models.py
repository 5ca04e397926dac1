from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in. Roles come from tenancy.Membership; citizen data lives in citizens."""

    phone = models.CharField(_("mobile number"), max_length=20, blank=True)
    is_demo = models.BooleanField(_("demo persona"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username
