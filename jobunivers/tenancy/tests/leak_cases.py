from jobunivers.core.testing import ListLeakCase
from jobunivers.tenancy.models import Theme


def _other_theme_marker(world):
    Theme.objects.filter(municipality=world.other).update(display_name="MARKER-OTHER-THEME")
    return "MARKER-OTHER-THEME", {}


LIST_URLS = [ListLeakCase("tenancy:admin_home", _other_theme_marker)]
EXEMPT = {"tenancy:platform_home": "national operator page (operator role only)"}

NO_CITIZEN_DATA = {
    "tenancy:admin_home": "municipal admin: the municipality's theme and settings; no citizen's data",
}
