from django.contrib import admin

from .models import Membership, Municipality, MunicipalitySettings, Theme


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


admin.site.register(Theme)
admin.site.register(MunicipalitySettings)
