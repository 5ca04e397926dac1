"""The learning records endpoint, a subset of the xAPI LRS API (mounted at /api/v1/xapi by config/api.py;
ADR 0095).

POST /statements: one statement or a list of at most 50, about citizens enrolled in the vendor's offers;
answers 200 with the statement ids (all stored, or all already stored) or an error with a stable `code` and
the messages in Danish (`detail`, `errors`) and English (`detail_en`, `errors_en`); nothing is written then.
GET /statements: the vendor's own statements in the order stored, `limit` (1-100), `offer` and `since`
filters, and `more` (the link to the next page, empty at the end).
Both are signed with the vendor's reporting key (X-Jobunivers-Key, X-Jobunivers-Timestamp,
X-Jobunivers-Signature as for the marketplace's use events); a POST signs its body, a GET its query string.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils import timezone, translation
from ninja import Router, Schema

from . import statements, xapi
from .contracts import GatewayRefused, vendor_gateway

router = Router(tags=["learning"])
XAPI_VERSION = "1.0.3"


class StatementErrorOut(Schema):
    code: str
    detail: str
    detail_en: str
    errors: dict[str, list[str]] = {}
    errors_en: dict[str, list[str]] = {}


class StatementsOut(Schema):
    statements: list[dict[str, Any]]
    more: str


def _header(name: str, description: str, pattern: str, max_length: int) -> dict:
    return {"name": name, "in": "header", "required": True, "description": description,
            "schema": {"type": "string", "pattern": pattern, "maxLength": max_length}}


SIGNED = [
    _header("X-Jobunivers-Key", "Your reporting key's id (vendor portal, Reporting keys)", r"^jk_[0-9a-f]{16}$", 19),
    _header("X-Jobunivers-Timestamp", "Unix time in seconds when you signed; at most 5 minutes old",
            r"^[0-9]{1,12}$", 12),
    _header("X-Jobunivers-Signature", 'sha256=<hex HMAC-SHA256(key secret, "<timestamp>." + body or query string)>',
            r"^sha256=[0-9a-f]{64}$", 71),
]
STATEMENT_SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["actor", "verb", "object"],
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "actor": {"type": "object", "description": "An Agent with only account {homePage: this platform, name: the "
                                                   "pseudonym of the signed launch}"},
        "verb": {"type": "object", "description": "id from the ADL verbs: " + ", ".join(
            sorted(v.rsplit("/", 1)[1] for v in xapi.VERBS))},
        "object": {"type": "object", "description": "An Activity with id <SITE_URL>/xapi/activities/offer/<offer id>"
                                                    "[/<part>]"},
        "result": {"type": "object"}, "context": {"type": "object"},
        "timestamp": {"type": "string", "format": "date-time", "maxLength": 40},
        "version": {"type": "string", "pattern": r"^1\.0(\.\d+)?$"},
    },
}
POST_OPENAPI = {"parameters": SIGNED, "requestBody": {"required": True, "content": {"application/json": {"schema": {
    "oneOf": [STATEMENT_SCHEMA, {"type": "array", "items": STATEMENT_SCHEMA, "minItems": 1,
                                 "maxItems": xapi.MAX_STATEMENTS}]}}}}}
GET_OPENAPI = {"parameters": SIGNED}


def _refused(code: str, errors: dict[str, list[Any]] | None = None) -> JsonResponse:
    answer: dict[str, Any] = {"code": code}
    for language, suffix in (("da", ""), ("en", "_en")):
        with translation.override(language):
            answer[f"detail{suffix}"] = str(xapi.ERRORS[code][1])
            answer[f"errors{suffix}"] = {field: [str(m) for m in messages] for field, messages in (errors or {}).items()}
    response = JsonResponse(answer, status=xapi.ERRORS[code][0])
    response["X-Experience-API-Version"] = XAPI_VERSION
    return response


def _caller(request: HttpRequest, signed: bytes, now: datetime.datetime):
    return vendor_gateway().authenticate(key_id=request.headers.get("X-Jobunivers-Key"),
                                         timestamp=request.headers.get("X-Jobunivers-Timestamp"),
                                         signature=request.headers.get("X-Jobunivers-Signature"), body=signed, now=now)


@router.post("/statements", response={200: list[str], 400: StatementErrorOut, 401: StatementErrorOut,
                                      403: StatementErrorOut, 404: StatementErrorOut, 409: StatementErrorOut,
                                      413: StatementErrorOut, 422: StatementErrorOut},
             summary="Store learning records (xAPI statements) about citizens in your offers (vendors)",
             openapi_extra=POST_OPENAPI)
def post_statements(request: HttpRequest):
    """One statement or a list; all are stored or none. A completion of your offer also completes the citizen's
    enrolment and their plan activity."""
    now = timezone.now()
    body = request.body
    try:
        if len(body) > xapi.MAX_BODY_BYTES:
            raise xapi.StatementRefused("body_too_large")
        caller = _caller(request, body, now)
        parsed = xapi.parse_body(body, now=now)
        ids = statements.statements_record(vendor_id=caller.vendor_id, key_id=caller.key_id, statements=parsed,
                                           now=now)
    except GatewayRefused as error:
        return _refused(error.code)
    except xapi.StatementRefused as error:
        return _refused(error.code, error.errors)
    response = JsonResponse(ids, safe=False)
    response["X-Experience-API-Version"] = XAPI_VERSION
    return response


@router.get("/statements", response={200: StatementsOut, 400: StatementErrorOut, 401: StatementErrorOut},
            summary="Your learning records (xAPI statements), in the order stored (vendors)",
            openapi_extra=GET_OPENAPI)
def get_statements(request: HttpRequest, limit: int = 100, offer: int | None = None, since: str | None = None,
                   cursor: int = 0):
    """Only the statements you sent. `more` is the address of the next page (empty at the end)."""
    now = timezone.now()
    try:
        caller = _caller(request, request.META.get("QUERY_STRING", "").encode("ascii", "replace"), now)
    except GatewayRefused as error:
        return _refused(error.code)
    errors: dict[str, list[Any]] = {}
    if not 1 <= limit <= statements.GET_LIMIT_MAX:
        errors["limit"] = [translation.gettext_lazy("Give a limit from 1 to 100.")]
    if cursor < 0 or cursor >= 2**63:
        errors["cursor"] = [translation.gettext_lazy("Give the cursor from the last answer's more.")]
    moment = xapi.parse_time(since) if since is not None else None
    if since is not None and moment is None:
        errors["since"] = [translation.gettext_lazy("Give the time as ISO 8601 with a time zone.")]
    if offer is not None and not 1 <= offer < 2**63:
        errors["offer"] = [translation.gettext_lazy("Give your offer's id.")]
    if errors:
        return _refused("query_invalid", errors)
    page, more = statements.statements_for_vendor(vendor_id=caller.vendor_id, after=cursor, limit=limit,
                                                  offer_id=offer, since=moment)
    query = request.GET.copy()
    if more is not None:
        query["cursor"] = str(more)
    payload = {"statements": [dict(row.data, stored=row.stored.isoformat()) for row in page],
               "more": f"{request.path}?{query.urlencode()}" if more is not None else ""}
    response = JsonResponse(payload)
    response["X-Experience-API-Version"] = XAPI_VERSION
    return response
