"""Django admin for municipalities, memberships, themes and settings (operators only, behind TOTP:
accounts.admin_site).

Citizen memberships are not shown (who is a citizen where is citizen data; a citizen's membership
is made by the sign-in, `accounts.services`). A membership granted here goes through
`services.membership_grant`, the same rule the other entry points use (national roles without a
municipality, municipal roles with one). Theme and settings forms validate the model's bounds.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jobunivers.core.errors import ValidationFailed

from .models import Membership, Municipality, MunicipalitySettings, Theme
from .roles import NATIONAL_ROLES, Role
from .services import membership_grant


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "region", "is_active", "is_demo")
    search_fields = ("code", "name")
    list_filter = ("is_active", "region")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "municipality", "is_team_lead", "is_active")
    list_filter = ("role", "municipality")
    raw_id_fields = ("user",)

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(role=Role.CITIZEN)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        role = form.base_fields.get("role")
        if role is not None:
            role.choices = [c for c in role.choices if c[0] != Role.CITIZEN]
        original_clean = form.clean

        def clean(self):
            data = original_clean(self)
            role_value, municipality = data.get("role"), data.get("municipality")
            if role_value and (role_value in NATIONAL_ROLES) != (municipality is None):
                raise ValidationError(_("This role must be given with a municipality, or without one for "
                                        "national roles."))
            return data

        form.clean = clean
        return form

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        try:
            saved = membership_grant(user=obj.user, role=obj.role, municipality=obj.municipality,
                                     is_team_lead=obj.is_team_lead, organisation=obj.organisation)
        except ValidationFailed as error:  # the form's clean checks the same rule first
            messages.error(request, str(error))
            return
        obj.pk = saved.pk


admin.site.register(Theme)
admin.site.register(MunicipalitySettings)
