"""Django admin for user accounts (operators only, behind TOTP: accounts.admin_site).

Citizens' accounts are not shown: a citizen's name and phone are citizen data, read by staff only
through access-logged selectors, and changed by the citizen or erased through
`audit.services.personal_data_erase` (with its receipt). Nobody is deleted from the admin for the
same reason: deletion would skip the erasure's registry and receipt. The same holds for the TOTP
devices: a citizen's device (if one ever existed) is neither listed nor given to a citizen here.

Every registered ModelAdmin is checked against this rule by tests/test_admin_personal_data.py.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin as BaseTOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from jobunivers.tenancy.selectors import citizen_user_ids

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "is_demo", "is_break_glass", "is_active")
    list_filter = ("is_demo", "is_break_glass", "is_active", "is_staff")
    # is_break_glass: may sign in with password and TOTP where the municipality uses its own IdP (ADR 0080).
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("Jobunivers", {"fields": ("phone", "is_demo", "is_break_glass")}))

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(pk__in=citizen_user_ids())

    def has_delete_permission(self, request, obj=None) -> bool:
        return False



admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(BaseTOTPDeviceAdmin):
    """django-otp's admin without citizens: staff second factors only."""

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(user_id__in=citizen_user_ids())

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = User.objects.exclude(pk__in=citizen_user_ids())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
