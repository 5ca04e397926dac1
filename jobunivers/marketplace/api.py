"""The vendor callback (mounted at /api/v1/marketplace by config/api.py; ADR 0084).

POST /use-events: a vendor's server reports a session, hours of follow-up or a completion for a citizen it
knows by the pseudonym of the signed launch. Signed with the vendor's reporting key (headers
X-Jobunivers-Key, X-Jobunivers-Timestamp, X-Jobunivers-Signature; see `reporting`). Answers 201 with the
recorded event, 200 when the event id was recorded before, or an error with a stable `code` and the
message in Danish (`detail`, `errors`) and English (`detail_en`, `errors_en`).
"""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from ninja import Router, Schema

from . import reporting
from .models import CallbackKey

router = Router(tags=["marketplace"])


class RecordedOut(Schema):
    status: Literal["recorded", "duplicate"]
    event_id: str
    use_event: int
    enrolment_status: Literal["enrolled", "completed", "withdrawn"]


class ReportErrorOut(Schema):
    code: str
    detail: str
    detail_en: str
    errors: dict[str, list[str]] = {}
    errors_en: dict[str, list[str]] = {}


def _header(name: str, description: str, pattern: str, max_length: int) -> dict:
    return {"name": name, "in": "header", "required": True, "description": description,
            "schema": {"type": "string", "pattern": pattern, "maxLength": max_length}}


BODY_SCHEMA = {
    "type": "object", "additionalProperties": False,
    "required": ["event_id", "subject", "offer", "kind", "occurred_at"],
    "properties": {
        "event_id": {"type": "string", "pattern": reporting.EVENT_ID_RE.pattern, "maxLength": 64,
                     "description": "Your own id of the event; the same id again is recorded once"},
        "subject": {"type": "string", "pattern": reporting.SUBJECT_RE.pattern,
                    "description": "The citizen's pseudonym: `sub` of the signed launch"},
        "offer": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1, "description": "Your offer's id (`offer`)"},
        "kind": {"type": "string", "enum": [str(kind) for kind in reporting.REPORTED_KINDS]},
        "quantity": {"type": "number", "minimum": 0.01, "maximum": 24, "multipleOf": 0.01,
                     "description": "Sessions (whole, 1-20) or hours (0.01-24); 1 or absent for `completed`"},
        "occurred_at": {"type": "string", "format": "date-time", "maxLength": 40,
                        "description": "When it happened, ISO 8601 with a time zone; not before the enrolment"},
    },
}

OPENAPI = {
    "parameters": [
        _header("X-Jobunivers-Key", "Your reporting key's id (vendor portal, Reporting keys)", r"^jk_[0-9a-f]{16}$", 19),
        _header("X-Jobunivers-Timestamp", "Unix time in seconds when you signed; at most 5 minutes old",
                r"^[0-9]{1,12}$", 12),
        _header("X-Jobunivers-Signature", 'sha256=<hex HMAC-SHA256(key secret, "<timestamp>." + body)>',
                r"^sha256=[0-9a-f]{64}$", 71),
    ],
    "requestBody": {"required": True, "content": {"application/json": {"schema": BODY_SCHEMA}}},
}


def _refused(error: reporting.ReportRefused) -> JsonResponse:
    return JsonResponse(error.as_json(), status=error.status)


@router.post("/use-events", response={200: RecordedOut, 201: RecordedOut, 400: ReportErrorOut, 401: ReportErrorOut,
                                      404: ReportErrorOut, 409: ReportErrorOut, 413: ReportErrorOut,
                                      422: ReportErrorOut},
             summary="Report a citizen's progress in your offer (vendors)", openapi_extra=OPENAPI)
def report_use(request: HttpRequest):
    """A session, hours of follow-up or a completion for a citizen enrolled in your offer. A completion
    also ends the enrolment. Idempotent by `event_id`; nothing is written when the answer is an error."""
    body = request.body
    now = timezone.now()
    try:
        if len(body) > reporting.MAX_BODY_BYTES:
            raise reporting.ReportRefused("body_too_large")
        key = reporting.authenticate(key_id=request.headers.get("X-Jobunivers-Key"),
                                     timestamp=request.headers.get("X-Jobunivers-Timestamp"),
                                     signature=request.headers.get("X-Jobunivers-Signature"), body=body, now=now)
        report = reporting.parse_report(body)
        recorded = reporting.record_reported_use(vendor_id=key.vendor_id, report=report, via=key.key_id, now=now)
    except reporting.ReportRefused as error:
        return _refused(error)
    CallbackKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return (200 if recorded.duplicate else 201), {
        "status": "duplicate" if recorded.duplicate else "recorded", "event_id": report.event_id,
        "use_event": recorded.event.pk, "enrolment_status": recorded.enrolment_status}
