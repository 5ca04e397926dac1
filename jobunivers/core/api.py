"""What every API operation shares: the error shape, Danish messages for invalid parameters, and a
schema that documents the error answers the API really gives (issue 12 item 8).

- 400: the parameters are well-formed but the data does not know them (an unknown place, say);
- 404: no such object; 422: a parameter does not match the schema (type, bounds, choices);
- 429: too many requests from this address (accounts.ratelimit), with Retry-After;
- 413: a body over the cap (core.middleware).
All answer with ErrorOut: {"detail": "<one sentence>", "errors": {"<field>": ["<message>", ...]}}.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Schema


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


def _message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if kind in {"float_parsing", "float_type"}:
        return _("Enter a number.")
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Enter a value of at least %(limit)s.") % {"limit": ctx.get("ge", ctx.get("gt"))}
    if kind in {"less_than_equal", "less_than"}:
        return _("Enter a value of at most %(limit)s.") % {"limit": ctx.get("le", ctx.get("lt"))}
    if kind == "string_too_long":
        return _("Use at most %(limit)s characters.") % {"limit": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("Use at least %(limit)s characters.") % {"limit": ctx.get("min_length")}
    if kind in {"literal_error", "enum"}:
        # pydantic lists the choices as "'a', 'b' or 'c'" (English "or"): give them as a plain list.
        return _("Choose one of: %(choices)s.") % {"choices": str(ctx.get("expected", "")).replace(" or ", ", ")}
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Enter a date as YYYY-MM-DD.")
    if kind == "missing":
        return _("This parameter is required.")
    return _("This value is not valid.")


def validation_errors(errors: list[dict[str, Any]]) -> dict[str, Any]:
    """ninja's ValidationError.errors as ErrorOut: one Danish message per error, keyed by parameter name."""
    by_field: dict[str, list[str]] = {}
    for error in errors:
        location = [part for part in error.get("loc", ()) if part not in {"query", "path", "body", "form"}]
        field = str(location[-1]) if location else "__all__"
        by_field.setdefault(field, []).append(_message(error))
    field, messages = next(iter(by_field.items()), ("__all__", [_("This value is not valid.")]))
    detail = _("%(field)s: %(message)s") % {"field": field, "message": messages[0]}
    return {"detail": detail, "errors": by_field}


def _error_response(description: str, *, retry_after: bool = False) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
    }
    if retry_after:
        response["headers"] = {"Retry-After": {"description": "Seconds until the next minute's allowance.",
                                               "schema": {"type": "integer", "minimum": 0}}}
    return response


def document_error_answers(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the answers the middleware and the validation handler give to every operation: 422 where
    there are parameters, 429 everywhere; and the ErrorOut component they refer to."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ErrorOut", ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}"))
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            if operation.get("parameters") or operation.get("requestBody"):
                responses.setdefault(422, _error_response("A parameter does not match the schema"))
            responses.setdefault(429, _error_response("Too many requests from this address", retry_after=True))
    return schema


def is_api_path(path: str) -> bool:
    segments = path.split("/")
    return path.startswith("/api/") or (len(segments) > 2 and segments[2] == "api")


class RepeatedQueryParameterMiddleware:
    """The API's query parameters are single values: `?limit=5&limit=abc` is refused (422), not read as
    whichever copy the framework happens to take. A list parameter would be named in API_LIST_PARAMETERS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_api_path(request.path_info):
            allowed = set(getattr(settings, "API_LIST_PARAMETERS", ()))
            repeated = sorted(key for key, values in request.GET.lists() if len(values) > 1 and key not in allowed)
            if repeated:
                message = _("Give each parameter once.")
                return JsonResponse({"detail": f"{repeated[0]}: {message}",
                                     "errors": {key: [message] for key in repeated}}, status=422)
        return self.get_response(request)
