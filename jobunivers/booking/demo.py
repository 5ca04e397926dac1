"""Demo data for booking: each demo municipality's job advisers publish weekday hours (9–15, every
channel) at the job centre, so a citizen in `make run` sees free times and can book a conversation."""

import datetime

from jobunivers.core.demo import register


@register("booking", order=91)
def load(*, rng, stdout):
    from jobunivers.core.context import tenant_context
    from jobunivers.tenancy.models import Municipality
    from jobunivers.tenancy.roles import Role
    from jobunivers.tenancy.selectors import staff_of

    from . import services
    from .models import WeeklyAvailability

    rules = 0
    for municipality in Municipality.objects.filter(is_demo=True).order_by("code"):
        with tenant_context(municipality):
            advisers = [m.user for m in staff_of(municipality_id=municipality.pk, roles={Role.JOB_ADVISER})]
            admins = [m.user for m in staff_of(municipality_id=municipality.pk, roles={Role.MUNICIPALITY_ADMIN})]
            if not advisers or not admins or WeeklyAvailability.objects.exists():
                continue
            place = services.location_add(actor=admins[0], municipality_id=municipality.pk, name="Jobcentret",
                                          address=f"Jobcenter {municipality.name}", room="Mødelokale 1")
            for adviser in advisers:
                for weekday in range(5):
                    services.availability_add(actor=adviser, municipality_id=municipality.pk, adviser_id=adviser.pk,
                                              weekday=weekday, starts=datetime.time(9, 0),
                                              ends=datetime.time(15, 0), location=place)
                    rules += 1
    stdout.write(f"  booking: {rules} weekly hours for the demo job advisers")
