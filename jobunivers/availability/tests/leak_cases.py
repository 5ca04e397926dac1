from jobunivers.audit.testing import AccessLogCase
from jobunivers.core.testing import ListLeakCase
from jobunivers.tenancy.roles import Role


def _past_deadline_in_other(world):
    import datetime

    from django.utils import timezone

    from jobunivers.availability.models import AvailabilityStatus

    user = world.other_users["citizen"]
    user.first_name = "MARKEROTHERCITIZEN"
    user.save(update_fields=["first_name"])
    today = timezone.localdate()
    AvailabilityStatus.all_tenants.create(
        municipality=world.other, citizen=user.citizen, state="deadline_passed",
        last_action_at=timezone.now() - datetime.timedelta(days=40), last_action_kind="job_log_entry",
        state_since=timezone.now(), deadline_on=today - datetime.timedelta(days=10),
        grace_until=today + datetime.timedelta(days=1),
    )
    return "MARKEROTHERCITIZEN", {}


LIST_URLS = [
    ListLeakCase("availability:worklist", _past_deadline_in_other),
    ListLeakCase("availability:mine", _past_deadline_in_other),
]


def _home_past_deadline(world):
    """A citizen of A past the deadline, so the availability worklist lists someone."""
    import datetime

    from django.utils import timezone

    from jobunivers.availability.models import AvailabilityStatus

    today = timezone.localdate()
    AvailabilityStatus.all_tenants.create(
        municipality=world.home, citizen=world.users["citizen"].citizen, state="deadline_passed",
        last_action_at=timezone.now() - datetime.timedelta(days=40), last_action_kind="job_log_entry",
        state_since=timezone.now(), deadline_on=today - datetime.timedelta(days=10),
        grace_until=today + datetime.timedelta(days=1),
    )
    return {}


ACCESS_LOG_CASES = [
    AccessLogCase("availability:worklist", _home_past_deadline, Role.JOB_ADVISER),
]
