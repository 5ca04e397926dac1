"""Django admin for tracks and the model registry. Tenant-owned rows are listed through
`all_tenants` on purpose (the admin is national); tracks show their municipality."""

from django.contrib import admin

from .models import RiskModelVersion, Track


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ("name_da", "municipality", "support_level", "is_active", "order")
    list_filter = ("municipality", "support_level", "is_active")

    def get_queryset(self, request):
        return Track.all_tenants.select_related("municipality")


@admin.register(RiskModelVersion)
class RiskModelVersionAdmin(admin.ModelAdmin):
    list_display = ("version", "status", "is_synthetic", "created_at", "promoted_at")
    exclude = ("artifact",)
    readonly_fields = ("version", "status", "horizon_weeks", "is_synthetic", "model_card", "artifact_sha256",
                       "promoted_by", "promoted_at")

    def has_add_permission(self, request):
        return False  # models come from segmentation_train; promotion is on the risk models page
