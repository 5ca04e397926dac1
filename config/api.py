"""The REST API (django-ninja). Each app adds a router in its api.py; the schema is committed
in docs/openapi.json and checked for drift by `make lint`."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string
from ninja import NinjaAPI
from ninja.errors import ValidationError

from jobunivers.core.api import document_error_answers, validation_errors


class JobuniversAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        # The 422 and 429 answers come from the handler below and accounts.ratelimit: documented here.
        return document_error_answers(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))


api = JobuniversAPI(
    title="Jobunivers API",
    version="1.0.0",
    description=(
        "Public and staff API of Jobunivers. Staff endpoints live under a municipality's prefix. "
        "Errors answer with ErrorOut: 400 the data does not know a value (an unknown place), 404 no such "
        "object, 422 a parameter does not match this schema, 429 too many requests (see Retry-After)."
    ),
    urls_namespace="api",
)


def _invalid_parameters(request: HttpRequest, exc: Any) -> HttpResponse:
    return api.create_response(request, validation_errors(exc.errors), status=422)


api.add_exception_handler(ValidationError, _invalid_parameters)

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
    ("/assistant", "jobunivers.assistant.api.router"),
    ("/marketplace", "jobunivers.marketplace.api.router"),
    ("/xapi", "jobunivers.learning.api.router"),
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
