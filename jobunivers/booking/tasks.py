from celery import shared_task


@shared_task
def send_reminders() -> int:
    """The 24-hour and 1-hour reminders that are due (every five minutes; idempotent)."""
    from .services import reminders_send

    return reminders_send()


@shared_task
def purge_old_bookings() -> dict[int, int]:
    """Bookings and minutes older than each municipality's BookingSettings.retention_days."""
    from jobunivers.tenancy.selectors import active_municipalities

    from .models import BookingSettings
    from .services import bookings_purge

    periods = dict(BookingSettings.all_tenants.values_list("municipality_id", "retention_days"))
    default = BookingSettings._meta.get_field("retention_days").default
    return {municipality_id: bookings_purge(municipality_id=municipality_id,
                                            retention_days=periods.get(municipality_id, default))
            for municipality_id in active_municipalities().values_list("pk", flat=True)}
