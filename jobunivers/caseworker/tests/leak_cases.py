from jobunivers.core.testing import ListLeakCase


def _other_citizen_name(world):
    user = world.other_users["citizen"]
    user.first_name = "MARKEROTHERCITIZEN"
    user.save(update_fields=["first_name"])
    return "MARKEROTHERCITIZEN", {}


LIST_URLS = [ListLeakCase("caseworker:home", _other_citizen_name)]
