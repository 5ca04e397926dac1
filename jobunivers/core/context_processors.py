from django.conf import settings

from .navigation import items_for


def platform(request):
    municipality = getattr(request, "municipality", None)
    role = getattr(request, "role", None)
    membership = getattr(request, "membership", None)
    theme = getattr(municipality, "theme", None) if municipality is not None else None
    enabled = None
    if municipality is not None:
        municipal_settings = getattr(municipality, "settings", None)
        if municipal_settings is not None and municipal_settings.enabled_modules:
            enabled = set(municipal_settings.enabled_modules)
    return {
        "site_name": settings.JOBUNIVERS_SITE_NAME,
        "municipality": municipality,
        "theme": theme,
        "role": role,
        "role_label": membership.get_role_display() if membership is not None else "",
        "nav_items": items_for(role, enabled),
        "demo_enabled": settings.DEMO,
    }
