"""The REST API (django-ninja). Each app adds a router in its api.py; the schema is committed
in docs/openapi.json and checked for drift by `make lint`."""

from django.utils.module_loading import import_string
from ninja import NinjaAPI

api = NinjaAPI(
    title="Jobunivers API",
    version="1.0.0",
    description="Public and staff API of Jobunivers. Staff endpoints live under a municipality's prefix.",
    urls_namespace="api",
)

# (mount path, router). An app that has no API yet is simply absent.
ROUTERS = [
    ("/jobs", "jobunivers.jobs.api.router"),
    ("/taxonomy", "jobunivers.taxonomy.api.router"),
    ("/citizens", "jobunivers.citizens.api.router"),
    ("/matching", "jobunivers.matching.api.router"),
    ("/segmentation", "jobunivers.segmentation.api.router"),
    ("/notifications", "jobunivers.notifications.api.router"),
    ("/caseworker", "jobunivers.caseworker.api.router"),
    ("/audit", "jobunivers.audit.api.router"),
    ("/availability", "jobunivers.availability.api.router"),
]

for prefix, dotted in ROUTERS:
    try:
        router = import_string(dotted)
    except ImportError as error:
        # Only "this app has no api.py yet" is tolerated; a broken api.py must fail loudly.
        if dotted.rsplit(".", 1)[0] not in str(error):
            raise
        continue
    api.add_router(prefix, router)
